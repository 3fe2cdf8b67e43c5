"""The referral's PDF documents: the copy of a sent referral, and the prompt sheet of every question.

Both are generated from the one declaration of the questions (QUESTIONNAIRE), so neither can drift from the
pages. Nothing is written to disk: a copy holds personal data and is made again on each request; the prompt sheet
holds none and is kept in the process's memory once made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.utils import timezone
from django.utils.formats import date_format

from common.pdf import render_pdf
from referrals.check import answer_summary
from referrals.models import Referral
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import reveal_parents
from referrals.questions.schema import Kind, Page, Question, Section

PROMPT_SHEET_FILENAME = "nrm-referral-prompt-sheet.pdf"

LIST_WORDS = {
    "countries": "the list of countries",
    "nationalities": "the list of nationalities",
    "uk_towns": "the list of UK towns and cities",
    "uk_regions": "the list of UK regions",
    "local_authorities": "the list of local authorities",
    "police_forces": "the list of police forces",
    "organisations": "the list of first responder organisations",
}


def sent_at_words(referral: Referral) -> str:
    """ "14 March 2026, 3:05pm", in UK time."""
    local = timezone.localtime(referral.submitted_at)
    return f"{date_format(local, 'j F Y')}, {date_format(local, 'g:i')}{date_format(local, 'a').replace('.', '')}"


def referral_copy_filename(referral: Referral) -> str:
    return f"{referral.reference}.pdf"


def referral_copy_pdf(referral: Referral) -> bytes:
    """Every answer of the sent referral by section, with the reference and the time it was sent on each page."""
    sent_at = sent_at_words(referral)
    evidence = list(referral.draft.evidence.all()) if not referral.is_duty_to_notify else []
    return render_pdf(
        template_name="referrals/pdf/referral_copy.html",
        context={
            "referral": referral,
            "title": "Duty to Notify report" if referral.is_duty_to_notify else "National Referral Mechanism referral",
            "sent_at": sent_at,
            "summary": answer_summary(QUESTIONNAIRE, referral.answers),
            "evidence": evidence,
            "running_header": "NRM Digital – copy of referral",  # noqa: RUF001 - GOV.UK uses the en dash
            "running_header_right": f"{referral.reference} · sent {sent_at}",
        },
    )


# --- the prompt sheet -----------------------------------------------------------------------------------------


@dataclass
class PromptQuestion:
    question: Question
    how: str  # how it is answered, in words
    asked_when: str  # "" when always asked on its page
    options: list[dict] = field(default_factory=list)  # {label, hint, reveals: [labels]}
    write_in: str = ""  # "line", "short" or "box": space to write the answer by hand


@dataclass
class PromptPage:
    page: Page
    applies: str
    questions: list[PromptQuestion]

    @property
    def heading_is_question(self) -> bool:
        """Online, a page of one main question has that question as its heading: so does the sheet."""
        return any(prompt.question.label_is_page_heading for prompt in self.questions)


@dataclass
class PromptSection:
    section: Section
    applies: str
    pages: list[PromptPage]


def how_answered(question: Question) -> tuple[str, str]:
    """(How the question is answered, in words; the space to write in: "line", "short", "box" or "")."""
    kind = question.kind
    short = "short" if question.width in ("2", "3", "4", "5", "10") else "line"
    if kind == Kind.RADIOS:
        return "Choose one", ""
    if kind == Kind.CHECKBOXES:
        return "Choose all that apply", ""
    if kind == Kind.SELECT:
        return f"One from {LIST_WORDS.get(question.reference_list, 'a list')}", "line"
    if kind == Kind.SELECT_MANY:
        return f"Up to {question.max_items} from {LIST_WORDS.get(question.reference_list, 'a list')}", "box"
    if kind == Kind.DATE:
        return "A date: day, month and year", "short"
    if kind == Kind.PHONE:
        return "A phone number", "line"
    if kind == Kind.EMAIL:
        return "An email address", "line"
    if kind == Kind.NUMBER:
        return "A number", "short"
    if kind == Kind.CONFIRM:
        return "A confirmation (tick the box)", ""
    if kind == Kind.TEXTAREA:
        return f"In your own words (up to {question.max_length:,} characters)", "box"
    return f"A short answer (up to {question.max_length:,} characters)", short


def prompt_sheet_sections() -> list[PromptSection]:
    """Every section, page and question of the declaration, with when each applies, in the order asked."""
    parents = reveal_parents(QUESTIONNAIRE)
    labels = {
        question.key: question.short_label
        for section in QUESTIONNAIRE.sections
        for page in section.pages
        for question in page.questions
    }
    sections = []
    for section in QUESTIONNAIRE.sections:
        pages = []
        for page in section.pages:
            questions = []
            for question in page.questions:
                how, write_in = how_answered(question)
                asked_when = ""
                if question.key in parents:
                    parent_key, value = parents[question.key]
                    parent = QUESTIONNAIRE.question(parent_key)
                    option_label = next(option.label for option in parent.options if option.value == value)
                    asked_when = f"Only if the answer to '{parent.short_label}' is '{option_label}'"
                if question.show_if is not None:
                    asked_when = " ".join(filter(None, [asked_when, f"Asked {question.show_if.description}"]))
                questions.append(
                    PromptQuestion(
                        question=question,
                        how=how,
                        asked_when=asked_when,
                        write_in=write_in,
                        options=[
                            {
                                "label": option.label,
                                "hint": option.hint,
                                "reveals": [labels[key] for key in option.reveals],
                            }
                            for option in question.options
                        ],
                    )
                )
            applies = f"Asked {page.show_if.description}" if page.show_if else ""
            pages.append(PromptPage(page=page, applies=applies, questions=questions))
        applies = f"This section is asked {section.show_if.description}." if section.show_if else ""
        sections.append(PromptSection(section=section, applies=applies, pages=pages))
    return sections


@cache
def prompt_sheet_pdf() -> bytes:
    """Every question of the referral, section by section, for gathering the answers with the person on paper.
    The same for everyone until the declaration changes, which takes a deployment: kept in memory once made."""
    return render_pdf(
        template_name="referrals/pdf/prompt_sheet.html",
        context={
            "sections": prompt_sheet_sections(),
            "running_header": "NRM Digital – referral prompt sheet",  # noqa: RUF001
            "running_header_right": "Keep completed sheets secure",
            "protective_marking": "OFFICIAL-SENSITIVE when completed",
        },
    )
