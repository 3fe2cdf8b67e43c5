"""The vocabulary in which every referral question is declared, once (see definition.py).

A Section (a task on the task list) holds Pages; a Page (one screen, "Save and continue") holds Questions. A
Question may be revealed by an option of another question on the same page (GOV.UK conditional reveal), and a
Page or Section may apply only when a Condition on the answers holds (the route, an earlier answer). This one
declaration drives the pages, validation, task statuses, check-your-answers, the referral PDF and the prompt
sheet, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Answers = Mapping[str, Any]


class Kind(StrEnum):
    TEXT = "text"  # one line
    TEXTAREA = "textarea"  # with a character count
    RADIOS = "radios"  # one of options
    CHECKBOXES = "checkboxes"  # several of options (a list of values)
    DATE = "date"  # day / month / year; stored as "YYYY-MM-DD"
    SELECT = "select"  # one item of a reference list (stored as its name), a type-ahead when JavaScript runs
    SELECT_MANY = "select_many"  # 1 to max_items items of a reference list (add another)
    PHONE = "phone"  # stored in E.164
    EMAIL = "email"
    NUMBER = "number"  # a whole number
    CONFIRM = "confirm"  # a single checkbox that must be ticked ("yes" when ticked)


# The kinds whose checks (length, dates, numbers, list items) name the answer in their message: see error_name.
NAMED_KINDS = frozenset({Kind.TEXT, Kind.TEXTAREA, Kind.DATE, Kind.NUMBER, Kind.SELECT, Kind.SELECT_MANY})


class DateRule(StrEnum):
    PAST = "past"  # a real date, not in the future, not before 1900
    BIRTH = "birth"  # PAST, and an age of at most 120 years


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""
    reveals: tuple[str, ...] = ()  # keys of questions on the same page shown (and required) when chosen
    exclusive: bool = False  # checkboxes: "None of these" style, cannot be combined with others
    divider_before: bool = False  # radios: an "or" divider before this option


@dataclass(frozen=True)
class Condition:
    """When a page or section applies: a test on the answers and the words the prompt sheet prints."""

    test: Callable[[Answers], bool]
    description: str

    def __call__(self, answers: Answers) -> bool:
        return bool(self.test(answers))

    def __and__(self, other: Condition) -> Condition:
        return Condition(lambda a: self(a) and other(a), f"{self.description}, and {other.description}")


def answered(key: str, *values: str, description: str = "") -> Condition:
    """The answer to `key` is one of `values` (for checkboxes: includes one of them)."""

    def test(answers: Answers) -> bool:
        answer = answers.get(key)
        if isinstance(answer, list):
            return any(value in answer for value in values)
        return answer in values

    return Condition(test, description or f"if the answer to '{key}' is {' or '.join(values)}")


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: Kind
    hint: str = ""
    options: tuple[Option, ...] = ()
    required: bool = True
    reference_list: str = ""  # SELECT / SELECT_MANY: a key of referrals.reference_lists.LISTS
    exclude: tuple[str, ...] = ()  # SELECT / SELECT_MANY: items of the list not allowed here
    max_items: int = 1  # SELECT_MANY: how many at most
    max_length: int = 15000  # TEXT / TEXTAREA
    refuse_urls: bool = False  # TEXT / TEXTAREA inviting contact details
    date_rule: DateRule = DateRule.PAST
    min_value: int | None = None  # NUMBER
    max_value: int | None = None  # NUMBER
    summary_label: str = ""  # the shorter label of check-your-answers and the PDF, when the label is long
    label_is_page_heading: bool = False  # a page of one question: its label is the page's h1
    width: str = ""  # GOV.UK input width class suffix, e.g. "10" for govuk-input--width-10
    autocomplete: str = ""  # the HTML autocomplete token, e.g. "given-name" (only for the responder's own data)
    warning: str = ""  # GOV.UK warning text shown with the question (safety warnings)
    # Error messages written for this question, in the GOV.UK Design System's style (never the label behind a
    # generic prefix). error_required: shown when a required (or revealed) question is left blank, e.g. "Enter
    # the local authority's phone number", "Select the nation where you are making the report". error_name: how
    # the other messages name the answer at the start of a sentence, e.g. "Date of birth" in "Date of birth must
    # include a year", "Details of the exploitation" in "... must be 15,000 characters or fewer"; needed by the
    # kinds in NAMED_KINDS.
    error_required: str = ""
    error_name: str = ""
    # A question asked only on some routes, on a page other routes share (the police page asks an NRM referral
    # about cooperation with investigations, not a Duty to Notify). It tests answers of earlier pages only: a
    # question that depends on an answer on its own page is a conditional reveal (Option.reveals).
    show_if: Condition | None = None

    @property
    def short_label(self) -> str:
        return self.summary_label or self.label

    def applies(self, answers: Answers) -> bool:
        return self.show_if is None or self.show_if(answers)


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    questions: tuple[Question, ...]
    show_if: Condition | None = None
    # Under the heading: paragraphs separated by a blank line; a paragraph "## Words" is a heading (h2), one whose
    # lines all start with "- " a bulleted list (the consent page explains the NRM and the privacy notice so).
    intro: str = ""

    def applies(self, answers: Answers) -> bool:
        return self.show_if is None or self.show_if(answers)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    pages: tuple[Page, ...]
    show_if: Condition | None = None
    # A section that needs another answered first ("Cannot start yet"): the slugs of those sections.
    needs: tuple[str, ...] = ()
    optional: bool = False

    def applies(self, answers: Answers) -> bool:
        return self.show_if is None or self.show_if(answers)


@dataclass(frozen=True)
class Questionnaire:
    sections: tuple[Section, ...]
    _questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            for page in section.pages:
                for question in page.questions:
                    if question.key in self._questions:
                        raise ValueError(f"Question key {question.key!r} is declared twice")
                    self._questions[question.key] = question

    def question(self, key: str) -> Question:
        return self._questions[key]

    def section(self, slug: str) -> Section:
        return next(section for section in self.sections if section.slug == slug)

    def page(self, slug: str) -> tuple[Section, Page]:
        for section in self.sections:
            for page in section.pages:
                if page.slug == slug:
                    return section, page
        raise KeyError(slug)
