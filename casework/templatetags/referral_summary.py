"""The referral's answers on the case page and a panel's review page (casework/case/_referral.html):

{% load referral_summary %}
{% summary_rows block.rows %}

A referral holds dozens of answers; written by the template loop, each row cost two variable lookups, an escape
and the linebreaksbr filter through Django's wrappers, a large part of the case page. The markup and escaping are
the loop's: `<dt>{{ row.question.short_label }}</dt><dd>{{ row.value|linebreaksbr }}</dd>`."""

import html

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_ROW = """<div class="govuk-summary-list__row">
  <dt class="govuk-summary-list__key">{}</dt>
  <dd class="govuk-summary-list__value">{}</dd>
</div>
"""


def _text(value) -> str:
    """As `{{ value }}` writes a text: escaped (plain text, most values, without Django's wrappers)."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _lines(value) -> str:
    """As `{{ value|linebreaksbr }}` writes it: newlines normalised, escaped, each line break a <br>."""
    if type(value) is not str:
        return linebreaksbr(value, autoescape=True)
    return html.escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


@register.simple_tag
def summary_rows(rows) -> SafeString:
    """The GOV.UK summary list rows of a section of referrals.check.answer_summary."""
    return mark_safe("".join([_ROW.format(_text(row["question"].short_label), _lines(row["value"])) for row in rows]))  # noqa: S308 - every part escaped above
