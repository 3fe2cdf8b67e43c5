"""Whole numbers that people type or pages post back: ASCII digits only.

`str.isdigit()` also accepts superscripts and other scripts' digits; `int()` refuses some of those ("²") and reads
others ("٣"). Neither belongs in a version or an answer, so every such number is read here, and anything else is
simply not a number (a form error, or a stale version refused with a 4xx), never a server error.
"""

from django.http import HttpRequest

# A version no row has: what a missing or unreadable hidden field counts as, so the post is refused as stale.
UNREADABLE_VERSION = -1
VERSION_MAX_DIGITS = 9


def ascii_whole_number(text: str, *, max_digits: int) -> int | None:
    """The number written in `text` with 1 to `max_digits` ASCII digits and nothing else; None otherwise."""
    if not isinstance(text, str) or not 0 < len(text) <= max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def posted_version(request: HttpRequest) -> int:
    """The version of the row the page was opened at (its hidden `version` field); anything unreadable counts as
    stale, so the service refuses it as a stale or forged post."""
    number = ascii_whole_number(request.POST.get("version", ""), max_digits=VERSION_MAX_DIGITS)
    return UNREADABLE_VERSION if number is None else number
