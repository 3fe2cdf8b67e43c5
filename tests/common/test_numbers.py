"""Whole numbers read in one place: ASCII digits only, so no superscript or other script's digit reaches int()."""

import pytest
from django.test import RequestFactory

from common.numbers import UNREADABLE_VERSION, ascii_whole_number, posted_version


@pytest.mark.parametrize(
    ("text", "number"),
    [("0", 0), ("7", 7), ("000123", 123), ("123456", 123456)],
)
def test_ascii_digits_are_read_as_a_whole_number(text, number):
    assert ascii_whole_number(text, max_digits=6) == number


@pytest.mark.parametrize(
    "text",
    ["", " 1", "1 ", "-1", "+1", "1.0", "1_000", "²", "1²", "\u0661", "\uff11", "\u0e51", "1\x00", "1234567", None],
)
def test_anything_else_is_not_a_number(text):
    assert ascii_whole_number(text, max_digits=6) is None


@pytest.mark.parametrize("value", ["²", "\u0661", "", "abc", "9" * 10, "1\x00"])
def test_an_unreadable_posted_version_counts_as_stale(value):
    assert posted_version(RequestFactory().post("/", {"version": value})) == UNREADABLE_VERSION


def test_a_posted_version_of_ascii_digits_is_read():
    assert posted_version(RequestFactory().post("/", {"version": "42"})) == 42
