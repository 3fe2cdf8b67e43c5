"""Values written as a template writes them, for the few tags that write GOV.UK markup in Python rather than by a
template loop (docs/adr/0033: the question tag, the answers' summary rows).

- `as_text(value)` is `{{ value }}`: localised (a number, a date) and escaped; a SafeString stays as it is.
- `as_lines(value)` is `{{ value|linebreaksbr }}`: newlines normalised, escaped, each line break a `<br>`.

Plain strings, most values, take a short path (`html.escape`, which escapes the same five characters as
django.utils.html.escape) without Django's wrappers; anything else goes through Django's own functions."""

import html

from django.template.defaultfilters import linebreaksbr
from django.utils.formats import localize
from django.utils.html import conditional_escape


def as_text(value) -> str:
    """As `{{ value }}` writes it: localised and escaped."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value if isinstance(value, str) else localize(value))


def as_lines(value) -> str:
    """As `{{ value|linebreaksbr }}` writes it: newlines normalised, escaped, each line break a <br>."""
    if type(value) is not str:
        return linebreaksbr(value, autoescape=True)
    return html.escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")
