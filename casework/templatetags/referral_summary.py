"""The referral's answers on the case page and a panel's review page (casework/case/_referral.html):

{% load referral_summary %}
{% summary_rows block.rows %}

A referral holds dozens of answers; written by the template loop, each row cost two variable lookups, an escape
and the linebreaksbr filter through Django's wrappers, a large part of the case page. The markup and escaping are
the loop's: `<dt>{{ row.question.short_label }}</dt><dd>{{ row.value|linebreaksbr }}</dd>`."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from common.html import as_lines, as_text

register = template.Library()

_ROW = """<div class="govuk-summary-list__row">
  <dt class="govuk-summary-list__key">{}</dt>
  <dd class="govuk-summary-list__value">{}</dd>
</div>
"""


@register.simple_tag
def summary_rows(rows) -> SafeString:
    """The GOV.UK summary list rows of a section of referrals.check.answer_summary."""
    written = "".join([_ROW.format(as_text(row["question"].short_label), as_lines(row["value"])) for row in rows])
    return mark_safe(written)  # noqa: S308 - every part escaped above
