"""A Django form for one page of the referral, generated from its declaration.

Fields are named after the question keys (dates as <key>-day/-month/-year, an add-another list as
<key>-1 … <key>-N), every error names the question it belongs to, and what was typed is always re-shown.
Revealed questions count only when the option that reveals them is chosen; their answers are dropped otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from common.numbers import ascii_whole_number
from referrals.choices import FixedChoices
from referrals.questions.engine import is_blank, is_revealed, reveal_parents
from referrals.questions.schema import Answers, DateRule, Kind, Page, Question, Questionnaire
from referrals.reference_lists import is_reference_value, reference_select_choices

URL_PATTERN = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|org|net|uk|io|co)\b/?)", re.IGNORECASE)
CHOICE_KINDS = (Kind.RADIOS, Kind.CHECKBOXES, Kind.SELECT, Kind.SELECT_MANY, Kind.CONFIRM)
# The GOV.UK Design System's own words for a number or address in the wrong format.
PHONE_FORMAT_MESSAGE = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


# A question's options as its field's choices, made once per process; kept by identity (a frozen dataclass hashes
# by value, every label and option again on each look-up).
_OPTION_CHOICES: dict[int, tuple[Question, FixedChoices]] = {}


def option_choices(question: Question) -> FixedChoices:
    held = _OPTION_CHOICES.get(id(question))
    if held is None or held[0] is not question:
        if len(_OPTION_CHOICES) > 1000:  # questions declared by tests, not the questionnaire's
            _OPTION_CHOICES.clear()
        held = _OPTION_CHOICES[id(question)] = (question, FixedChoices((o.value, o.label) for o in question.options))
    return held[1]


def required_message(question: Question) -> str:
    """The question's own message for a blank answer. Every question of the referral declares one (a test holds
    the declaration to it); the neutral words below serve only questions declared without one, never the label."""
    if question.error_required:
        return question.error_required
    return "Select an answer" if question.kind in CHOICE_KINDS else "Enter an answer"


def name_of(question: Question) -> str:
    """How a message names the answer at the start of a sentence ("Date of birth must include a year")."""
    return question.error_name or "The answer"


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(character) == "Cc" and character not in "\n\r\t" for character in text)


class PageForm(forms.Form):
    def __init__(
        self, *args, questionnaire: Questionnaire, page: Page, answers: Answers, require_answers: bool = True, **kwargs
    ):
        self.questionnaire = questionnaire
        self.page = page
        self.answers = answers
        # "Save and come back later" keeps an unfinished page: only what was typed wrongly is refused.
        self.require_answers = require_answers
        self.item_counts: dict[str, int] = {}
        if "initial" not in kwargs:
            kwargs["initial"] = initial_for(page, answers)
        super().__init__(*args, **kwargs)
        # The page's questions for this route (a question with its own show_if may not apply).
        self.questions = tuple(question for question in page.questions if question.applies(answers))
        for question in self.questions:
            self._add_fields(question)

    # --- building -------------------------------------------------------------------------------------------
    def _add_fields(self, question: Question) -> None:
        key, kind = question.key, question.kind
        if kind == Kind.DATE:
            for part in ("day", "month", "year"):
                self.fields[f"{key}-{part}"] = forms.CharField(required=False, max_length=4, strip=True)
        elif kind == Kind.SELECT_MANY:
            count = self._item_count(question)
            choices = reference_select_choices(question.reference_list, kept=self.held(question))
            for number in range(1, count + 1):
                self.fields[f"{key}-{number}"] = forms.ChoiceField(required=False, choices=choices)
        elif kind == Kind.SELECT:
            choices = reference_select_choices(question.reference_list, kept=self.held(question))
            self.fields[key] = forms.ChoiceField(required=False, choices=choices)
        elif kind == Kind.RADIOS:
            self.fields[key] = forms.ChoiceField(required=False, choices=option_choices(question))
        elif kind == Kind.CHECKBOXES:
            self.fields[key] = forms.MultipleChoiceField(required=False, choices=option_choices(question))
        elif kind == Kind.CONFIRM:
            self.fields[key] = forms.BooleanField(required=False)
        else:  # text, textarea, phone, email, number: validated in clean() so that messages name the question
            field = forms.CharField(required=False, strip=True, max_length=None)
            field.validators = []  # control characters (NUL included) are refused with a message naming the question
            self.fields[key] = field

    def held(self, question: Question) -> list[str]:
        """The list answer the draft already holds: kept on offer and valid even if its row has ended since (a
        local authority abolished after the referral was started); new answers take only current rows."""
        value = self.answers.get(question.key)
        if isinstance(value, str):
            return [value]
        return [item for item in value or [] if isinstance(item, str)]

    def _item_count(self, question: Question) -> int:
        """How many inputs an add-another list shows: what it holds, at least one; one more after "Add another"."""
        key = question.key
        held = len(self.answers.get(key) or [])
        if self.is_bound:
            posted = sum(
                1
                for name in self.data
                if name.startswith(f"{key}-") and ascii_whole_number(name[len(key) + 1 :], max_digits=3) is not None
            )
            held = max(held, posted)
            if self.data.get("add_another") == key:
                held += 1
        count = min(max(held, 1), question.max_items)
        self.item_counts[key] = count
        return count

    def without_errors(self) -> PageForm:
        """Shown again as typed, unchecked (after "Add another", which saves nothing)."""
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        return self

    # --- validating -----------------------------------------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        proposed = dict(self.answers)
        values: dict[str, object] = {}
        for question in self.questions:
            try:
                values[question.key] = self._value_of(question, cleaned)
            except ValidationError as error:
                self.add_error(self.error_field(question), error)
                values[question.key] = None
        proposed.update(values)
        for question in self.questions:
            if self.has_error(self.error_field(question)):
                continue
            if not is_revealed(self.questionnaire, question, proposed):
                values[question.key] = None  # hidden by the choice above it: not kept, not checked
            elif self.require_answers and question.required and is_blank(values[question.key]):
                self.add_error(self.error_field(question), required_message(question))
        self.page_answers = values
        return cleaned

    def error_field(self, question: Question) -> str:
        """The input an error links to (the first of a date or of a list)."""
        if question.kind == Kind.DATE:
            return f"{question.key}-day"
        if question.kind == Kind.SELECT_MANY:
            return f"{question.key}-1"
        return question.key

    def _value_of(self, question: Question, cleaned: dict):
        kind, key = question.kind, question.key
        if kind == Kind.DATE:
            return clean_date(question, *(cleaned.get(f"{key}-{part}", "") for part in ("day", "month", "year")))
        if kind == Kind.SELECT_MANY:
            items = [cleaned.get(f"{key}-{n}") for n in range(1, self.item_counts[key] + 1)]
            items = list(dict.fromkeys(item for item in items if item))  # in order, once each
            for item in items:
                check_reference(question, item, kept=self.held(question))
            return items
        if kind == Kind.SELECT:
            value = cleaned.get(key) or ""
            if value:
                check_reference(question, value, kept=self.held(question))
            return value
        if kind == Kind.CHECKBOXES:
            chosen = cleaned.get(key) or []
            exclusive = {option.value for option in question.options if option.exclusive}
            if exclusive & set(chosen) and len(chosen) > 1:
                labels = {option.value: option.label for option in question.options}
                alone = labels[next(iter(exclusive & set(chosen)))]
                raise ValidationError(f"{required_message(question)}, or select '{alone}' on its own")
            return chosen
        if kind == Kind.RADIOS:
            return cleaned.get(key) or ""
        if kind == Kind.CONFIRM:
            return "yes" if cleaned.get(key) else ""
        return clean_text_like(question, cleaned.get(key) or "")


def check_reference(question: Question, value: str, *, kept: list[str] = ()) -> None:
    if value in question.exclude or not is_reference_value(question.reference_list, value, kept=kept):
        raise ValidationError(f"{name_of(question)} must be chosen from the list")


def clean_text_like(question: Question, text: str):
    text = text.strip()
    if not text:
        return ""
    if has_control_characters(text):
        raise ValidationError(f"{name_of(question)} must not include special characters that cannot be printed")
    if question.kind == Kind.PHONE:
        try:
            number = phonenumbers.parse(text, "GB")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(PHONE_FORMAT_MESSAGE)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if question.kind == Kind.EMAIL:
        if len(text) > 254:
            raise ValidationError("Email address must be 254 characters or fewer")
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(EMAIL_FORMAT_MESSAGE) from None
        return text
    if question.kind == Kind.NUMBER:
        number = ascii_whole_number(text, max_digits=6)
        if number is None:
            raise ValidationError(f"{name_of(question)} must be a whole number, like 2")
        if question.min_value is not None and number < question.min_value:
            raise ValidationError(f"{name_of(question)} must be {question.min_value} or more")
        if question.max_value is not None and number > question.max_value:
            raise ValidationError(f"{name_of(question)} must be {question.max_value} or fewer")
        return number
    if len(text) > question.max_length:
        raise ValidationError(f"{name_of(question)} must be {question.max_length:,} characters or fewer")
    if question.kind == Kind.TEXT and "\n" in text:
        text = " ".join(text.split())
    if question.refuse_urls and URL_PATTERN.search(text):
        raise ValidationError(f"{name_of(question)} must not include a web address")
    return text


def clean_date(question: Question, day: str, month: str, year: str) -> str:
    parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    if not any(parts.values()):
        return ""
    missing = [name for name, value in parts.items() if not value]
    if missing:
        raise ValidationError(f"{name_of(question)} must include a {' and '.join(missing)}")
    numbers = {name: ascii_whole_number(value, max_digits=4) for name, value in parts.items()}
    if None in numbers.values() or len(parts["year"]) != 4:
        raise ValidationError(f"{name_of(question)} must be a real date")
    try:
        value = date(numbers["year"], numbers["month"], numbers["day"])
    except ValueError:
        raise ValidationError(f"{name_of(question)} must be a real date") from None
    today = timezone.localdate()
    if value > today:
        raise ValidationError(f"{name_of(question)} must be today or in the past")
    if value.year < 1900:
        raise ValidationError(f"{name_of(question)} must be in 1900 or later")
    if question.date_rule == DateRule.BIRTH and today.year - value.year > 120:
        raise ValidationError(f"{name_of(question)} must be within the last 120 years")
    return value.isoformat()


def initial_for(page: Page, answers: Answers) -> dict:
    """The form's initial values from the saved answers."""
    initial: dict[str, object] = {}
    for question in page.questions:
        value = answers.get(question.key)
        if is_blank(value):
            continue
        if question.kind == Kind.DATE:
            saved = date.fromisoformat(value)
            initial.update({f"{question.key}-day": saved.day, f"{question.key}-month": saved.month,
                            f"{question.key}-year": saved.year})  # fmt: skip
        elif question.kind == Kind.SELECT_MANY:
            initial.update({f"{question.key}-{n}": item for n, item in enumerate(value, start=1)})
        elif question.kind == Kind.CONFIRM:
            initial[question.key] = value == "yes"
        elif question.kind == Kind.PHONE:
            initial[question.key] = phonenumbers.format_number(
                phonenumbers.parse(value, "GB"), phonenumbers.PhoneNumberFormat.NATIONAL
            ) if value.startswith("+44") else value  # fmt: skip
        else:
            initial[question.key] = value
    return initial


__all__ = ["PageForm", "reveal_parents"]
