"""common.html writes a value exactly as a template's {{ value }} and {{ value|linebreaksbr }} write it: the
question and summary-row tags depend on it to keep the pages as the templates made them."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from common.html import as_lines, as_text

VALUES = [
    "plain text",
    "<script>alert('x') & \"y\"</script>",
    mark_safe("<b>already safe</b>"),
    "",
    1234567,
    Decimal("12.50"),
    date(2026, 3, 4),
    datetime(2026, 3, 4, 5, 6),
    None,
    True,
    gettext_lazy("Not specified"),
    "line one\r\nline two\rline three\nline <four>",
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_value_is_written_as_the_template_writes_it(value):
    assert as_text(value) == Template("{{ value }}").render(Context({"value": value}))


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_value_s_lines_are_written_as_linebreaksbr_writes_them(value):
    assert as_lines(value) == Template("{{ value|linebreaksbr }}").render(Context({"value": value}))
