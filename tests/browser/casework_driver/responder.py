"""A first responder of the referring organisation: signs in with a code sent by email, answers requests for
information on the referral's page, downloads letters and asks for reconsideration."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, expect

from tests.browser.casework_driver.person import SIGN_IN_PATH, Person

SIGN_IN_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


@dataclass
class Responder(Person):
    """A first responder of the referring organisation: signs in with a code sent by email."""

    mailoutbox: list | None = None

    def sign_in(self) -> None:
        self.page.goto(SIGN_IN_PATH)
        self.press("Email me a sign-in code")  # a link that looks like a button, and says it is one
        self.page.get_by_label("Email address").fill(self.user.email)
        sent = len(self.mailoutbox)
        self.press("Email me a code")
        assert len(self.mailoutbox) == sent + 1, "no sign-in code was emailed"
        message = self.mailoutbox[-1]
        assert message.to == [self.user.email]
        code = SIGN_IN_CODE.search(message.body)
        assert code, f"no code in the email:\n{message.body}"
        self.page.get_by_label("Code").fill(code[0])
        self.press("Continue")
        self.assert_no_error_summary("entering the sign-in code")
        expect(self.heading()).to_have_text("Your organisation's referrals")

    def open_referral(self, reference: str) -> None:
        """From the organisation's referrals, the referral's own page."""
        self.navigate("Referrals")
        self.open_link(reference, within=self.main())
        expect(self.heading()).to_have_text(reference)
        self.seen("referral")

    def information_request(self, question: str) -> Locator:
        return self.page.get_by_test_id("information-request").filter(has_text=question)

    def answer_information_request(self, question: str, answer: str, *, files: tuple[Path, ...] = ()) -> None:
        """From the referral's page, the request's "Answer" link: the answer typed, `files` attached."""
        request = self.information_request(question)
        expect(request).not_to_contain_text("Answered")
        self.follow(request.get_by_role("link", name=re.compile(r"^Answer")))
        expect(self.heading()).to_have_text("Answer a request for information")
        expect(self.page.get_by_test_id("question")).to_have_text(question)
        self.page.get_by_label("Your answer").fill(answer)
        if files:
            self.page.get_by_label("Attach files (optional)").set_input_files([str(path) for path in files])
        self.seen("answer")
        self.press("Send your answer")
        self.assert_no_error_summary("answering the request")
        expect(self.page.get_by_role("alert", name="Success")).to_contain_text("Your answer has been sent")
        request = self.information_request(question)
        expect(request).to_contain_text("Answered")
        expect(request).to_contain_text(answer)
        for path in files:
            # Listed at once, without a link until the scanner has found it clean.
            expect(request).to_contain_text(path.name)
            expect(request.get_by_role("link", name=path.name, exact=True)).to_have_count(0)
        if files:
            expect(request.get_by_test_id("scan-tag").first).to_have_text("Being checked for viruses")
        self.seen("referral-after-answer")

    def expect_outcome(self, stage: str, outcome: str) -> Locator:
        row = self.page.get_by_test_id("decision").filter(has_text=stage).filter(has_text=outcome)
        expect(row).to_have_count(1)
        return row

    def download_letter(self, stage: str, outcome: str, *, must_contain: str) -> str:
        row = self.expect_outcome(stage, outcome)
        return self.download_pdf(
            row.get_by_role("link", name=re.compile(r"^Download letter")), must_contain=must_contain
        )

    def request_reconsideration(self, *, ground: str, details: str) -> None:
        self.open_link("Ask for reconsideration", within=self.page.get_by_test_id("reconsideration"))
        expect(self.heading()).to_have_text("Ask for reconsideration")
        grounds = self.page.get_by_role("group", name="Why should the decision be reconsidered?")
        grounds.get_by_label(ground, exact=True).check()
        self.page.get_by_label("Explain why the decision should be reconsidered").fill(details)
        self.seen("ask-for-reconsideration")
        self.press("Ask for reconsideration")
        self.assert_no_error_summary("asking for reconsideration")
        expect(self.page.get_by_role("alert", name="Success")).to_contain_text("request for reconsideration")
        expect(self.page.get_by_test_id("reconsideration-pending")).to_be_visible()
        self.seen("referral-after-reconsideration-request")

    def expect_reconsideration(self, outcome: str) -> None:
        """The referral page's requests for reconsideration: the newest has this outcome."""
        expect(self.page.get_by_test_id("reconsideration-row").first).to_contain_text(outcome)
        self.seen(f"referral-reconsideration-{outcome.lower()}")

    def expect_status(self, label: str) -> None:
        expect(self.page.get_by_test_id("referral-status")).to_contain_text(label)
