"""What the declaration means for one set of answers: which pages apply, which questions are revealed, what
is missing, each task's status, and what a route change leaves behind."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from referrals.questions.schema import Answers, Kind, Page, Question, Questionnaire, Section


class TaskStatus(StrEnum):
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"


# Kept by identity: a frozen dataclass hashes by value, and hashing the whole questionnaire (every section, page,
# question and option) on each look-up was a fifth of a case page's time (is_revealed asks for every question).
_REVEAL_PARENTS: dict[int, tuple[Questionnaire, dict[str, tuple[str, str]]]] = {}


def reveal_parents(questionnaire: Questionnaire) -> dict[str, tuple[str, str]]:
    """For every revealed question: (the key of the question that reveals it, the option value that does)."""
    held = _REVEAL_PARENTS.get(id(questionnaire))
    if held is None or held[0] is not questionnaire:
        held = _REVEAL_PARENTS[id(questionnaire)] = (questionnaire, _reveal_parents(questionnaire))
    return held[1]


def _reveal_parents(questionnaire: Questionnaire) -> dict[str, tuple[str, str]]:
    parents: dict[str, tuple[str, str]] = {}
    for section in questionnaire.sections:
        for page in section.pages:
            for question in page.questions:
                for option in question.options:
                    for revealed in option.reveals:
                        parents[revealed] = (question.key, option.value)
    return parents


def is_blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def is_revealed(questionnaire: Questionnaire, question: Question, answers: Answers) -> bool:
    """A question shows unless its route condition fails or an unchosen option of its parent reveals it (parents
    may nest)."""
    if not question.applies(answers):
        return False
    parent = reveal_parents(questionnaire).get(question.key)
    if parent is None:
        return True
    parent_key, value = parent
    answer = answers.get(parent_key)
    chosen = value in answer if isinstance(answer, list) else answer == value
    return chosen and is_revealed(questionnaire, questionnaire.question(parent_key), answers)


def applicable_sections(questionnaire: Questionnaire, answers: Answers) -> list[Section]:
    return [section for section in questionnaire.sections if section.applies(answers)]


def applicable_pages(section: Section, answers: Answers) -> list[Page]:
    return [page for page in section.pages if page.applies(answers)]


def applicable_questions(questionnaire: Questionnaire, page: Page, answers: Answers) -> list[Question]:
    return [question for question in page.questions if is_revealed(questionnaire, question, answers)]


def walk(questionnaire: Questionnaire, answers: Answers) -> Iterator[tuple[Section, Page, Question]]:
    """Every question that applies to these answers, in the order of the declaration."""
    for section in applicable_sections(questionnaire, answers):
        for page in applicable_pages(section, answers):
            for question in applicable_questions(questionnaire, page, answers):
                yield section, page, question


def missing_on_page(questionnaire: Questionnaire, page: Page, answers: Answers) -> list[Question]:
    return [
        question
        for question in applicable_questions(questionnaire, page, answers)
        if question.required and is_blank(answers.get(question.key))
    ]


def page_is_answered(questionnaire: Questionnaire, page: Page, answers: Answers, visited: frozenset[str]) -> bool:
    """Complete when every required question has an answer and the page has been saved once (so that a page
    of optional questions counts only after the responder has seen it)."""
    return page.slug in visited and not missing_on_page(questionnaire, page, answers)


def section_status(
    questionnaire: Questionnaire, section: Section, answers: Answers, visited: frozenset[str]
) -> TaskStatus:
    for needed in section.needs:
        needed_section = questionnaire.section(needed)
        if needed_section.applies(answers) and (
            section_status(questionnaire, needed_section, answers, visited) != TaskStatus.COMPLETED
        ):
            return TaskStatus.CANNOT_START
    pages = applicable_pages(section, answers)
    if pages and all(page_is_answered(questionnaire, page, answers, visited) for page in pages):
        return TaskStatus.COMPLETED
    if any(page.slug in visited for page in pages):
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def missing_answers(
    questionnaire: Questionnaire, answers: Answers, visited: frozenset[str]
) -> list[tuple[Section, Page, Question | None]]:
    """Every required answer not given (and every page never seen), for the completeness check."""
    missing: list[tuple[Section, Page, Question | None]] = []
    for section in applicable_sections(questionnaire, answers):
        for page in applicable_pages(section, answers):
            questions = missing_on_page(questionnaire, page, answers)
            if questions:
                missing.extend((section, page, question) for question in questions)
            elif page.slug not in visited and not section.optional:
                missing.append((section, page, None))
    return missing


def applicable_answers(questionnaire: Questionnaire, answers: Answers) -> dict:
    """Only the answers that apply to this route and these choices: what is shown, checked and submitted."""
    return {
        question.key: answers[question.key]
        for _, _, question in walk(questionnaire, answers)
        if not is_blank(answers.get(question.key))
    }


def answers_no_longer_applying(questionnaire: Questionnaire, before: Answers, after: Answers) -> list[Question]:
    """Answered questions that applied before a change and do not after it (a route change, say)."""
    kept = applicable_answers(questionnaire, after)
    return [questionnaire.question(key) for key in applicable_answers(questionnaire, before) if key not in kept]


def next_page(section: Section, page: Page, answers: Answers) -> Page | None:
    pages = applicable_pages(section, answers)
    if page in pages:
        position = pages.index(page)
        return pages[position + 1] if position + 1 < len(pages) else None
    return pages[0] if pages else None


def first_page_to_open(section: Section, answers: Answers, visited: frozenset[str]) -> Page | None:
    """Where a task starts: its first page not yet saved (or its first page, when every one has been)."""
    pages = applicable_pages(section, answers)
    return next((page for page in pages if page.slug not in visited), pages[0] if pages else None)


def next_section_start(
    questionnaire: Questionnaire, section: Section, answers: Answers, visited: frozenset[str]
) -> Page | None:
    """After the last page of `section`, working in order: the page that starts the next task that applies, can
    start and is not yet completed (None: back to the task list, every later task is done or waiting)."""
    sections = applicable_sections(questionnaire, answers)
    later = sections[sections.index(section) + 1 :] if section in sections else []
    for candidate in later:
        if section_status(questionnaire, candidate, answers, visited) in (
            TaskStatus.NOT_STARTED,
            TaskStatus.IN_PROGRESS,
        ):
            return first_page_to_open(candidate, answers, visited)
    return None


def display_value(question: Question, value) -> str:
    """An answer as words, for check-your-answers and the PDF."""
    if is_blank(value):
        return "Not given"
    labels = {option.value: option.label for option in question.options}
    if question.kind == Kind.CHECKBOXES:
        return "\n".join(labels.get(item, item) for item in value)
    if question.kind == Kind.SELECT_MANY:
        return "\n".join(value)
    if question.kind == Kind.RADIOS:
        return labels.get(value, value)
    if question.kind == Kind.CONFIRM:
        return "Confirmed" if value == "yes" else "Not confirmed"
    if question.kind == Kind.PHONE and str(value).startswith("+44"):
        import phonenumbers

        return phonenumbers.format_number(phonenumbers.parse(value), phonenumbers.PhoneNumberFormat.NATIONAL)
    if question.kind == Kind.DATE:
        from datetime import date

        return date.fromisoformat(value).strftime("%-d %B %Y")
    return str(value)
