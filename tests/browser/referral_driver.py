"""A first responder completing a referral in the browser, as a user would: by the visible labels.

The driver knows nothing about a particular route. It reads the declaration (referrals.questions.QUESTIONNAIRE)
to know, on each page, which questions apply to the answers it was given, how each is labelled and which
component it is, and fills them in from a complete answer set (referrals.demo_answers.complete_answers):

- radios and checkboxes: the option's label, inside the fieldset named by the question's label;
- text, textarea, email, phone and number: the input labelled by the question's label;
- dates: the "Day", "Month" and "Year" inputs inside the question's fieldset;
- selects: the type-ahead (accessible-autocomplete) when JavaScript runs, the plain <select> when it does not;
- add-another lists: "<short label> 1", "<short label> 2 (optional)", …, pressing "Add another" for each more;
- confirmations: the single checkbox labelled by the question.

A question that is not required has " (optional)" after its label, as the page shows it. Every page of the
journey is checked with axe-core once per run (the `checked` set is shared between journeys).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import phonenumbers
from playwright.sync_api import Locator, Page, expect

from referrals.check import AUTOMATIC_REFERRAL
from referrals.models import Route
from referrals.questions import QUESTIONNAIRE, Kind, Question, Section, route_of
from referrals.questions.engine import (
    TaskStatus,
    applicable_questions,
    applicable_sections,
    display_value,
    walk,
)
from tests.browser.helpers import BLOCKING_IMPACTS, SCREENSHOTS, axe_violations, format_violations
from tests.browser.helpers import screenshot as take_screenshot

QUESTION_PAGE = re.compile(r"/referrals/drafts/(?P<pk>\d+)/questions/(?P<slug>[\w-]+)/$")
TASK_LIST = re.compile(r"/referrals/drafts/(?P<pk>\d+)/$")
EVIDENCE_PAGE = "evidence"
REFERENCE_PATTERNS = {
    Route.CHILD: re.compile(r"\bNRM-\d{4}-\d{6}\b"),
    Route.ADULT: re.compile(r"\bNRM-\d{4}-\d{6}\b"),
    Route.DUTY_TO_NOTIFY: re.compile(r"\bDTN-\d{4}-\d{6}\b"),
}


def is_govuk_conditional_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend's conditional reveal: its script puts aria-expanded on the radio or checkbox that reveals
    a question. axe-core calls that attribute not allowed on a radio; GOV.UK keeps it on purpose, because screen
    readers announce it (alphagov/govuk-frontend#979, a known issue). Only that attribute on those inputs is let
    through: any other failure of the same node is still reported."""
    html = node.get("html", "")
    checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
    return (
        violation["id"] == "aria-allowed-attr"
        and ("govuk-radios__input" in html or "govuk-checkboxes__input" in html)
        and 'aria-controls="conditional-' in html
        and bool(checks)
        and all(
            check["id"] == "aria-allowed-attr"
            and check.get("data", {}).get("values") in (['aria-expanded="true"'], ['aria-expanded="false"'])
            for check in checks
        )
    )


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page, but for GOV.UK's conditional reveal (above)."""
    blocking = []
    for violation in axe_violations(page):
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        nodes = [node for node in violation["nodes"] if not is_govuk_conditional_reveal(violation, node)]
        if nodes:
            blocking.append({**violation, "nodes": nodes})
    assert not blocking, format_violations(blocking, page.url)


def visible_label(question: Question) -> str:
    """The label as the page shows it: " (optional)" follows the label of a question that is not required."""
    return question.label if question.required else f"{question.label} (optional)"


def item_label(question: Question, number: int) -> str:
    """The label of the n-th input of an add-another list."""
    optional = number > 1 or not question.required
    return f"{question.short_label} {number}{' (optional)' if optional else ''}"


def as_typed_phone(value: str) -> str:
    """A stored E.164 number as a responder types it, in the national format (07700 900123)."""
    number = phonenumbers.parse(value, "GB")
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def path_of(page: Page) -> str:
    return urlparse(page.url).path


@dataclass(frozen=True)
class Evidence:
    path: Path
    description: str


@dataclass
class ReferralDriver:
    """Completes a referral for `answers` in `page` (signed in as a first responder)."""

    page: Page
    answers: dict
    # Names (page slugs and other page names) axe-core has already checked during this run.
    checked: set[str] = field(default_factory=set)
    # The screenshots' path and name prefix under test-artifacts/screenshots/, say "referrals/child" for
    # referrals/child-task-list.png (None: no screenshots).
    screenshots: str | None = None
    evidence: tuple[Evidence, ...] = ()
    # Question pages shown in the screenshots (filled in, before "Save and continue"), besides the first page.
    screenshot_pages: tuple[str, ...] = ()
    accessibility: bool = True
    pages_seen: list[str] = field(default_factory=list)
    # How many times a task was opened from the task list (1 when the service leads through every section).
    task_lists_seen: int = 0
    draft_pk: int | None = None

    def __post_init__(self):
        self.answers = {key: value for key, value in self.answers.items() if not key.startswith("_")}
        self._screenshot_taken: set[str] = set()

    # --- checks ----------------------------------------------------------------------------------------------
    @property
    def route(self):
        return route_of(self.answers)

    def check_accessible(self, name: str) -> None:
        """axe-core on the page as it is now, once per name in this run."""
        if self.accessibility and name not in self.checked:
            assert_accessible(self.page)
            self.checked.add(name)

    def screenshot(self, name: str) -> None:
        """A full-page screenshot, test-artifacts/screenshots/<screenshots>-<name>.png, once per name."""
        if self.screenshots is None or name in self._screenshot_taken:
            return
        (SCREENSHOTS / self.screenshots).parent.mkdir(parents=True, exist_ok=True)
        take_screenshot(self.page, f"{self.screenshots}-{name}")
        self._screenshot_taken.add(name)

    def assert_no_error_summary(self, doing: str) -> None:
        summary = self.page.locator(".govuk-error-summary")
        if summary.count():
            raise AssertionError(
                f"{doing}: the page {path_of(self.page)} shows an error summary:\n{summary.inner_text()}"
            )

    # --- the journey -----------------------------------------------------------------------------------------
    def start(self) -> int:
        """From the organisation's referrals page, "Start a new referral": a new draft's task list."""
        self.page.goto("/referrals/")
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Your organisation's referrals")
        self.check_accessible("referrals-list")
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Start a new referral").click()
        match = TASK_LIST.search(path_of(self.page))
        assert match, f"'Start a new referral' led to {self.page.url}, not a draft's task list"
        self.draft_pk = int(match["pk"])
        self.check_accessible("task-list")
        self.screenshot("task-list")
        return self.draft_pk

    def task_row(self, section: Section) -> Locator:
        name = self.page.locator(".govuk-task-list__name-and-hint").get_by_text(section.title, exact=True)
        return self.page.locator("li.govuk-task-list__item").filter(has=name)

    def task_status(self, section: Section) -> str:
        row = self.task_row(section)
        expect(row).to_have_count(1)
        return " ".join(row.locator(".govuk-task-list__status").inner_text().split())

    def task_link(self, section: Section) -> Locator:
        return self.page.locator(".govuk-task-list").get_by_role("link", name=section.title, exact=True)

    def open_task(self, section: Section) -> None:
        """The task's link on the task list: its first page not yet saved."""
        with self.page.expect_navigation():
            self.task_link(section).click()

    def go_to_task_list(self) -> None:
        """The link every question page has to the task list."""
        with self.page.expect_navigation():
            self.page.get_by_role("link", name="Go to the task list", exact=True).click()
        self._on_task_list()

    def complete_all_sections(self) -> list[str]:
        """From the task list, the first task not completed; then each page in turn, as the service leads from
        one section to the next, until it comes back to the task list (with every task done, when the sections
        were worked through in order). Returns the slugs of the pages filled in, in order."""
        self._on_task_list()
        while section := next(
            (
                section
                for section in self.sections()  # a task shows once the route it needs is known
                if self.task_row(section).count() and self.task_status(section) != TaskStatus.COMPLETED
            ),
            None,
        ):
            self.complete_section(section)
        missing = [section.title for section in self.sections() if not self.task_row(section).count()]
        assert not missing, f"tasks not on the task list: {missing}"
        return self.pages_seen

    def sections(self) -> list[Section]:
        return applicable_sections(QUESTIONNAIRE, self.answers)

    def complete_section(self, section: Section) -> None:
        """Opens the task from the task list and answers every page the service shows until it comes back to the
        task list: the pages of this section, then those of the sections after it."""
        self._on_task_list()
        status = self.task_status(section)
        assert status != TaskStatus.CANNOT_START, (
            f"the task '{section.title}' cannot start yet, though the sections it needs ({section.needs}) are done"
        )
        if status == TaskStatus.COMPLETED:
            return
        self.open_task(section)
        self.task_lists_seen += 1
        while QUESTION_PAGE.search(path_of(self.page)):
            self.complete_page()
        self._on_task_list()
        assert self.task_status(section) == TaskStatus.COMPLETED, (
            f"after its last page, the task '{section.title}' is '{self.task_status(section)}', not Completed"
        )

    def _on_task_list(self) -> None:
        assert TASK_LIST.search(path_of(self.page)), f"expected the draft's task list, on {self.page.url}"

    def complete_page(self) -> str:
        """Fills in the question page shown from the answers, then "Save and continue". Returns its slug."""
        match = QUESTION_PAGE.search(path_of(self.page))
        assert match, f"not a question page: {self.page.url}"
        slug = match["slug"]
        section, page = QUESTIONNAIRE.page(slug)
        applies = section.applies(self.answers) and page.applies(self.answers)
        assert applies, f"the page '{slug}' does not apply to these answers but was shown"
        self.pages_seen.append(slug)
        if slug == EVIDENCE_PAGE:
            for evidence in self.evidence:
                self.upload_evidence(evidence)
        for question in applicable_questions(QUESTIONNAIRE, page, self.answers):
            if question.key in self.answers:
                self.fill(question, self.answers[question.key])
        # Filled in, so that the questions the answers reveal are checked too (axe skips what is hidden).
        self.check_accessible(f"questions/{slug}")
        if len(self.pages_seen) == 1 or slug in self.screenshot_pages:
            self.screenshot(f"question-{slug}")
        self.save_and_continue(doing=f"saving the page '{slug}'")
        if QUESTION_PAGE.search(path_of(self.page)):
            assert QUESTION_PAGE.search(path_of(self.page))["slug"] != slug, f"'{slug}' did not move on"
        return slug

    def save_and_continue(self, *, doing: str = "Save and continue") -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Save and continue", exact=True).click()
        self.assert_no_error_summary(doing)

    # --- questions -------------------------------------------------------------------------------------------
    def group(self, question: Question) -> Locator:
        """The fieldset of a radios, checkboxes, date or add-another question, by its legend."""
        return self.page.get_by_role("group", name=visible_label(question), exact=True)

    def named(self, question: Question, name: str | None = None) -> Locator:
        """Narrows a locator found by label to the question's own input (labels such as "Yes" repeat when a
        revealed question sits inside its parent's fieldset)."""
        return self.page.locator(f'[name="{name or question.key}"]')

    def fill(self, question: Question, value) -> None:
        kind = question.kind
        if kind == Kind.RADIOS:
            option = next(option for option in question.options if option.value == value)
            radio = self.group(question).get_by_label(option.label, exact=True).and_(self.named(question))
            radio.check()
        elif kind == Kind.CHECKBOXES:
            for option in question.options:
                box = self.group(question).get_by_label(option.label, exact=True).and_(self.named(question))
                box.set_checked(option.value in value)
        elif kind == Kind.CONFIRM:
            box = self.page.get_by_label(question.label, exact=True).and_(self.named(question))
            box.set_checked(value == "yes")
        elif kind == Kind.DATE:
            group = self.group(question)
            if value:
                day = date.fromisoformat(value)
                parts = {"Day": str(day.day), "Month": str(day.month), "Year": str(day.year)}
            else:
                parts = dict.fromkeys(("Day", "Month", "Year"), "")
            for label, text in parts.items():
                group.get_by_label(label, exact=True).fill(text)
        elif kind == Kind.SELECT:
            self.choose(visible_label(question), value)
        elif kind == Kind.SELECT_MANY:
            self.fill_list(question, list(value))
        else:
            text = "" if value is None else str(value)
            if kind == Kind.PHONE and text:
                text = as_typed_phone(text)
            field = self.page.get_by_label(visible_label(question), exact=True).and_(self.named(question))
            field.fill(text)
            if kind == Kind.TEXTAREA:
                field.press("End")  # a key up, on which GOV.UK's character count counts what was typed

    def choose(self, label: str, value: str, *, within: Locator | None = None) -> None:
        """Chooses `value` in the select labelled `label`: typed into the accessible-autocomplete type-ahead and
        picked from its list when JavaScript runs, or chosen in the plain <select> when it does not."""
        scope = within or self.page
        field = scope.get_by_role("combobox", name=label, exact=True)
        expect(field).to_have_count(1)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
            return
        field.fill("")
        if not value:
            return
        field.fill(value)
        listbox = self.page.locator(f"#{field.get_attribute('id')}__listbox")
        listbox.get_by_role("option", name=value, exact=True).click()
        expect(field).to_have_value(value)

    def fill_list(self, question: Question, values: Iterable[str]) -> None:
        """An add-another list: the first input, then "Add another" for each further item."""
        for number, value in enumerate(values, start=1):
            label = item_label(question, number)
            if not self.group(question).get_by_role("combobox", name=label, exact=True).count():
                with self.page.expect_navigation():
                    self.group(question).get_by_role("button", name="Add another").click()
                self.assert_no_error_summary(f"adding item {number} to '{question.short_label}'")
            self.choose(label, value, within=self.group(question))

    # --- evidence --------------------------------------------------------------------------------------------
    def upload_evidence(self, evidence: Evidence) -> None:
        """The evidence page's own upload form: the file, its description, "Upload file"."""
        self.page.get_by_label("Upload a file", exact=True).set_input_files(evidence.path)
        self.page.get_by_label("Describe the file", exact=True).fill(evidence.description)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Upload file", exact=True).click()
        self.assert_no_error_summary(f"uploading {evidence.path.name}")
        expect(self.page.get_by_test_id("evidence-files")).to_contain_text(evidence.path.name)
        self.check_accessible("questions/evidence-with-a-file")

    # --- check and send --------------------------------------------------------------------------------------
    def check_your_answers(self) -> None:
        """From the completed task list, "Check your answers": nothing missing, and every question that applies
        listed in order with the answer given, as the page words it (so what was typed was saved as meant)."""
        self._on_task_list()
        self.screenshot("task-list-completed")
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Check your answers").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending")
        self.assert_no_error_summary("checking the answers")
        # The evidence files' rows (name and description) follow the evidence section's questions.
        rows = self.page.locator(".govuk-summary-list__row:not([data-testid^='check-evidence'])")
        files = self.page.locator("[data-testid='check-evidence-file']")
        expect(files).to_have_count(len(self.evidence))
        for row, evidence in zip(files.all(), self.evidence, strict=True):
            expect(row.locator(".govuk-summary-list__key")).to_have_text(f"File: {evidence.path.name}")
            expect(row.locator(".govuk-summary-list__value")).to_have_text(evidence.description)
        shown = [
            (" ".join(key.split()), " ".join(value.split()))
            for key, value in zip(
                rows.locator(".govuk-summary-list__key").all_inner_texts(),
                rows.locator(".govuk-summary-list__value").all_inner_texts(),
                strict=True,
            )
        ]
        expected = [
            (question.short_label, " ".join(display_value(question, self.answers.get(question.key)).split()))
            for _, _, question in walk(QUESTIONNAIRE, self.answers)
        ]
        if self.route == Route.CHILD:  # referred without being asked: the consent row after the age section's
            before = ("setup", "age")
            after_age = sum(1 for section, _, _ in walk(QUESTIONNAIRE, self.answers) if section.slug in before)
            consent = QUESTIONNAIRE.question("consent")
            expected.insert(after_age, (consent.short_label, AUTOMATIC_REFERRAL))
        assert shown == expected, "the check page does not show the answers as given:\n" + "\n".join(
            f"  shown {row}\n  given {wanted}" for row, wanted in zip(shown, expected, strict=False) if row != wanted
        )
        self.check_accessible(f"check-your-answers/{self.route}")
        self.screenshot("check-your-answers")

    def send(self) -> str:
        """On the check page: tick the declaration, "Accept and send report". Returns the reference the
        confirmation panel shows ("NRM referral sent" or "Duty to Notify sent" as the route has it)."""
        declaration = self.page.get_by_role("group", name="Declaration", exact=True)
        checkbox = declaration.get_by_role("checkbox")
        expect(checkbox).to_have_count(1)
        expect(checkbox).to_have_accessible_name(re.compile(r"\S"))  # labelled, not a bare box
        checkbox.check()
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Accept and send report", exact=True).click()
        duty_to_notify = self.route == Route.DUTY_TO_NOTIFY
        panel = self.page.locator(".govuk-panel--confirmation")
        expect(panel.get_by_role("heading", level=1)).to_have_text(
            "Duty to Notify sent" if duty_to_notify else "NRM referral sent"
        )
        pattern = REFERENCE_PATTERNS[self.route]
        found = pattern.search(panel.inner_text())
        assert found, f"no reference like {pattern.pattern} in the confirmation panel: {panel.inner_text()!r}"
        self.check_accessible(f"confirmation/{self.route}")
        self.screenshot("confirmation")
        return found[0]

    def complete(self) -> None:
        """The whole referral, from "Start a new referral" to the check page."""
        self.start()
        self.complete_all_sections()
        self.check_your_answers()
