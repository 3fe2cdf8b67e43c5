"""Page forms: each kind's validation, hostile input, reveals; a clear message per field, never an exception."""

from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.page_forms import PageForm
from referrals.questions.schema import DateRule, Kind, Option, Page, Question, Questionnaire, Section

YES_NO = (Option("yes", "Yes", reveals=("how_many",)), Option("no", "No"))
PAGE = Page(
    "everything",
    "Everything",
    (
        Question(
            "name",
            "First name",
            Kind.TEXT,
            max_length=100,
            error_required="Enter the person's first name",
            error_name="First name",
        ),
        Question(
            "story",
            "What happened",
            Kind.TEXTAREA,
            required=False,
            refuse_urls=True,
            error_name="What happened to them",
        ),
        Question(
            "born", "Date of birth", Kind.DATE, date_rule=DateRule.BIRTH, required=False, error_name="Date of birth"
        ),
        Question("phone", "Phone", Kind.PHONE, required=False),
        Question("email", "Email", Kind.EMAIL, required=False),
        Question(
            "children", "Children?", Kind.RADIOS, options=YES_NO, error_required="Select yes if they have children"
        ),
        Question(
            "how_many",
            "How many",
            Kind.NUMBER,
            min_value=1,
            max_value=30,
            error_required="Enter how many children they have",
            error_name="Number of children",
        ),
        Question("sure", "I confirm", Kind.CONFIRM, required=False),
    ),
)
Q = Questionnaire(sections=(Section("s", "S", pages=(PAGE,)),))


def form(data, answers=None, **kwargs):
    bound = PageForm(
        {"name": "Ana", "children": "no", **data}, questionnaire=Q, page=PAGE, answers=answers or {}, **kwargs
    )
    bound.is_valid()
    return bound


def errors(bound) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in bound.errors.items()}


def test_a_valid_page_gives_its_answers():
    bound = form(
        {
            "born-day": "7",
            "born-month": "3",
            "born-year": "1990",
            "phone": "07911 123456",
            "email": "a@b.example",
            "children": "yes",
            "how_many": "2",
            "sure": "on",
        }
    )
    assert bound.is_valid(), bound.errors
    assert bound.page_answers["born"] == "1990-03-07"
    assert bound.page_answers["phone"] == "+447911123456"
    assert bound.page_answers["how_many"] == 2
    assert bound.page_answers["sure"] == "yes"


def test_a_blank_required_answer_gets_the_message_declared_for_its_question():
    bound = form({"name": "  "})
    assert errors(bound) == {"name": ["Enter the person's first name"]}


def test_save_and_come_back_later_keeps_an_unfinished_page():
    bound = form({"name": "", "children": ""}, require_answers=False)
    assert bound.is_valid()


def test_a_revealed_question_is_required_only_when_revealed_and_dropped_otherwise():
    assert errors(form({"children": "yes"})) == {"how_many": ["Enter how many children they have"]}
    bound = form({"children": "no", "how_many": "3"})
    assert bound.is_valid()
    assert bound.page_answers["how_many"] is None


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2000"), "Date of birth must be a real date"),
        (("1", "13", "2000"), "Date of birth must be a real date"),
        (("x", "1", "2000"), "Date of birth must be a real date"),
        (("1", "1", "20"), "Date of birth must be a real date"),
        (("1", "", "2000"), "Date of birth must include a month"),
        (("", "", "2000"), "Date of birth must include a day and month"),
        (("1", "1", "1899"), "Date of birth must be in 1900 or later"),
        # A timedelta is a day counted from today, worked out when the test runs (a run may reach midnight after
        # it collected its tests).
        (timedelta(days=1), "Date of birth must be today or in the past"),
    ],
)
def test_impossible_dates_are_refused_clearly(parts, message):
    if isinstance(parts, timedelta):
        day = timezone.localdate() + parts
        parts = (str(day.day), str(day.month), str(day.year))
    day, month, year = parts
    bound = form({"born-day": day, "born-month": month, "born-year": year})
    assert bound.errors["born-day"] == [message]
    assert bound["born-day"].value() == day  # what was typed is shown again


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "A" * 101, "First name must be 100 characters or fewer"),
        ("story", "x" * 15001, "What happened to them must be 15,000 characters or fewer"),
        ("name", "Ana\x00\x07", "First name must not include special characters that cannot be printed"),
        ("story", "see www.evil.example/x", "What happened to them must not include a web address"),
        ("story", "https://example.com", "What happened to them must not include a web address"),
        ("phone", "12345", "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
        (
            "phone",
            "<script>alert(1)</script>",
            "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        ),
        ("email", "not-an-email", "Enter an email address in the correct format, like name@example.com"),
        ("email", "a" * 250 + "@b.example", "Email address must be 254 characters or fewer"),
    ],
)
def test_hostile_input_gets_a_specific_error(field, value, message):
    bound = form({field: value})
    assert bound.errors[field] == [message]


def test_markup_is_kept_as_text_not_refused():
    bound = form({"story": "<script>alert('x')</script> and <b>bold</b>"})
    assert bound.is_valid()
    assert bound.page_answers["story"] == "<script>alert('x')</script> and <b>bold</b>"  # escaped when shown


@pytest.mark.parametrize("value", ["0", "31", "-1", "2.5", "two", "9999999"])
def test_numbers_are_whole_and_in_range(value):
    assert "how_many" in form({"children": "yes", "how_many": value}).errors


@pytest.mark.parametrize(
    "value", ["²", "1²", "\u0663", "\uff13", "\u0e53"], ids=["super", "one_super", "arabic", "fullwidth", "thai"]
)
def test_digits_other_than_ascii_are_a_message_on_the_question_not_an_exception(value):
    assert errors(form({"children": "yes", "how_many": value}))["how_many"] == [
        "Number of children must be a whole number, like 2"
    ]


@pytest.mark.parametrize("part", ["born-day", "born-month", "born-year"])
def test_a_date_with_digits_other_than_ascii_is_a_message_on_the_question(part):
    data = {"born-day": "7", "born-month": "3", "born-year": "1990", part: "²" if part != "born-year" else "١٩٩٠"}
    assert errors(form(data)) == {"born-day": ["Date of birth must be a real date"]}


def test_an_unknown_choice_is_an_error_not_a_new_entry():
    assert "children" in form({"children": "maybe"}).errors
