"""The competent authority's staff: a caseworker (the queue, "Get next case", requests for information, reasonable
and conclusive grounds decisions, letters) and a manager (the second review of a negative decision, the answer
to a request for reconsideration)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from playwright.sync_api import Locator, expect

from tests.browser.casework_driver.person import REFERENCE, SIGN_IN_PATH, Person, date_in, path_of


@dataclass
class Staff(Person):
    """A caseworker or a manager of the competent authority."""

    # --- the queue and the case page ---------------------------------------------------------------------
    def open_queue(self) -> None:
        """The header's "Case queue" (signing in again on the way when the session has expired)."""
        self.navigate("Case queue")
        if path_of(self.page) == SIGN_IN_PATH:
            self.sign_in()
        expect(self.heading()).to_have_text("Case queue")
        self.seen("queue")

    def open_tab(self, label: str) -> None:
        """A tab of the queue (or of the team page), named by its label and count ("Under review 1")."""
        tab = self.page.get_by_test_id("tabs").get_by_role("link", name=re.compile(rf"^{re.escape(label)} \d"))
        self.follow(tab)
        expect(self.page.locator("#cases").get_by_role("heading", level=2)).to_have_text(label)
        self.seen(f"queue-{label.lower().replace(' ', '-')}")

    def open_case_from_queue(self, reference: str, *, tab: str) -> None:
        """The case's row in a tab of the queue (or of the team page), and its link."""
        self.open_tab(tab)
        link = self.page.get_by_role("table").get_by_role("link", name=reference, exact=True)
        self.follow(link)
        self.on_case_page(reference)
        self.seen("case")

    def case_url(self, reference: str) -> str:
        return f"/casework/cases/{reference}/"

    def on_case_page(self, reference: str) -> None:
        expect(self.heading()).to_have_text(reference)
        assert path_of(self.page) == self.case_url(reference), self.page.url

    def open_case(self, reference: str) -> None:
        """The case page, as a link from a notification or a bookmark opens it (signing in again if need be)."""
        self.visit(self.case_url(reference))
        self.on_case_page(reference)
        self.seen("case")

    def expect_status(self, label: str) -> None:
        expect(self.page.get_by_test_id("case-status")).to_contain_text(label)

    def expect_success(self, text: str) -> None:
        expect(self.page.get_by_role("alert", name="Success")).to_contain_text(text)

    def action(self, label: str) -> None:
        """One of the case page's actions, which opens its own page."""
        self.open_link(label, within=self.page.get_by_test_id("actions"))

    def card(self, heading: str | re.Pattern, *, containing: str | None = None) -> Locator:
        """A GOV.UK summary card by its title, a heading (and by text it contains)."""
        title = self.page.get_by_role("heading", level=3, name=heading)
        cards = self.page.locator(".govuk-summary-card").filter(has=title)
        return cards.filter(has_text=containing) if containing else cards

    def submit(self, button: str, *, doing: str) -> None:
        self.press(button)
        self.assert_no_error_summary(doing)

    # --- decisions ----------------------------------------------------------------------------------------
    def download_letter(self, stage_words: str, *, must_contain: str) -> str:
        """The letter of the served decision at `stage_words` ("conclusive grounds"), from its card."""
        link = self.main().get_by_role("link", name=re.compile(rf"^Download the letter of the \w+ {stage_words}"))
        return self.download_pdf(link, must_contain=must_contain)


@dataclass
class Caseworker(Staff):
    def get_next_case(self) -> str:
        """Presses "Get next case": the most urgent unassigned case is theirs, on its page. Returns its
        reference."""
        self.press("Get next case")
        self.assert_no_error_summary("Get next case")
        reference = self.heading().inner_text().strip()
        assert REFERENCE.fullmatch(reference), f"'Get next case' led to {self.page.url} ({reference})"
        self.on_case_page(reference)
        expect(self.page.get_by_test_id("assignee")).to_have_text(self.user.full_name)
        self.seen("case")
        return reference

    def request_information(self, question: str, *, expected_due: date) -> date:
        """Asks the first responder `question`, keeping the due date the form offers (which must be
        `expected_due`). Returns the due date."""
        self.action("Request information from the first responder")
        expect(self.heading()).to_have_text("Request information")
        self.page.get_by_label("What information do you need?").fill(question)
        due_group = self.page.get_by_role("group", name="When is it due?")
        due = date_in(due_group)
        assert due == expected_due, f"the form offers {due}, not {expected_due}"
        self.seen("request-information")
        self.submit("Send the request", doing="requesting information")
        self.expect_success(f"due {due.day} {due:%B %Y}")
        expect(self.card(re.compile(r"^Asked "), containing=question)).to_contain_text("Awaiting answer")
        return due

    def expect_information_answer(self, question: str, answer: str, *, files: tuple[str, ...] = ()) -> None:
        """The request's card on the case page: answered, with the answer and the files sent with it."""
        card = self.card(re.compile(r"^Asked "), containing=question)
        expect(card).to_contain_text("Answered")
        expect(card).to_contain_text(answer)
        for name in files:
            expect(card.get_by_role("link", name=name, exact=True)).to_be_visible()
        self.screenshot("information-answered")

    def make_decision(
        self, stage_words: str, outcome: str, *, factors: list[str], reasons: str, negative_reason: str = ""
    ) -> None:
        """A reasonable or conclusive grounds decision (`stage_words`), dated as the form offers (today); a
        negative one with its main reason (`negative_reason`, the label), asked only once Negative is chosen."""
        self.action(f"Make the {stage_words} decision")
        expect(self.heading()).to_have_text(f"{stage_words.capitalize()} decision")
        main_reason = self.page.get_by_role("group", name="What is the main reason for the negative decision?")
        expect(main_reason).to_be_hidden()
        self.page.get_by_role("group", name=f"What is the {stage_words} decision?").get_by_label(
            outcome, exact=True
        ).check()
        if outcome == "Negative":
            assert negative_reason, "a negative decision needs its main reason"
            expect(main_reason).to_be_visible()  # revealed under Negative
            main_reason.get_by_label(negative_reason, exact=True).check()
        factor_group = self.page.get_by_role("group", name="Which objective factors does the decision rely on?")
        for label in factors:
            factor_group.get_by_label(label, exact=True).check()
        self.page.get_by_label("Reasons for the decision").fill(reasons)
        assert date_in(self.page.get_by_role("group", name="Decision date")) == timezone.localdate()
        self.seen(f"decision-{stage_words.replace(' ', '-')}")
        self.submit("Continue", doing=f"making the {stage_words} decision")
        self.check_decision(stage_words, outcome, reasons=reasons)
        self.expect_success(f"{outcome} {stage_words} decision")
        card = self.card(f"{outcome} {stage_words} decision", containing=reasons)
        expect(card).to_have_count(1)
        if negative_reason:
            expect(card.get_by_test_id("negative-reason")).to_have_text(negative_reason)
        self.seen(f"case-after-{outcome.lower()}-{stage_words.replace(' ', '-')}")

    def check_decision(self, stage_words: str, outcome: str, *, reasons: str) -> None:
        """The decision's check page: the answers and what will happen; "Change" goes back to the form with every
        answer kept; then "Confirm and serve" (or "Confirm and send for review" for a decision reviewed first)."""
        expect(self.heading()).to_have_text(f"Check the {stage_words} decision")
        answers = self.page.get_by_test_id("decision-answers")
        expect(answers).to_contain_text(f"{outcome}:")
        expect(answers).to_contain_text(reasons)
        expect(self.page.get_by_role("heading", name="What happens when you confirm")).to_be_visible()
        self.seen(f"decision-check-{stage_words.replace(' ', '-')}")
        self.press("Change reasons")
        expect(self.heading()).to_have_text(f"{stage_words.capitalize()} decision")
        expect(self.page.get_by_label("Reasons for the decision")).to_have_value(reasons)
        outcome_group = self.page.get_by_role("group", name=f"What is the {stage_words} decision?")
        expect(outcome_group.get_by_label(outcome, exact=True)).to_be_checked()
        self.submit("Continue", doing=f"checking the {stage_words} decision again")
        confirm = self.main().get_by_role("button", name=re.compile(r"^Confirm and (serve|send for review)$"))
        self.follow(confirm)
        self.assert_no_error_summary(f"confirming the {stage_words} decision")


@dataclass
class Manager(Staff):
    def review_negative_decision(self, reasons: str, *, agree: bool, negative_reason: str = "") -> None:
        """The second review of the negative decision whose reasons are `reasons` (and main reason, when given)."""
        self.action("Review the negative decision")
        expect(self.heading()).to_have_text(re.compile(r"^Review: negative"))
        expect(self.main()).to_contain_text(reasons)
        if negative_reason:
            expect(self.page.get_by_test_id("negative-reason")).to_have_text(negative_reason)
        answer = "Agree: serve the decision" if agree else "Return it to the decision maker"
        self.page.get_by_role("group", name="Do you agree with the decision?").get_by_label(answer).check()
        self.seen("review")
        self.submit("Save the review", doing="reviewing the decision")
        self.seen("case-after-review")

    def accept_reconsideration(self, details: str) -> None:
        self.action("Accept or decline the reconsideration request")
        expect(self.heading()).to_have_text("Decide the reconsideration request")
        expect(self.main()).to_contain_text(details)
        self.page.get_by_role("group", name="Do you accept the request?").get_by_label("Accept", exact=True).check()
        self.seen("reconsideration-decision")
        self.submit("Save the decision", doing="accepting the reconsideration")
        self.expect_success("Reconsideration accepted")
        self.seen("case-after-reconsideration")
