"""Someone at their own browser (a context of their own, so their own cookies), acting on the pages by what they
show: roles, names and labels, as a user would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from tests.browser.casework_driver.checks import SHOTS, assert_accessible, pdf_text
from tests.factories import TEST_PASSWORD

SIGN_IN_PATH = "/accounts/login/"
REFERENCE = re.compile(r"NRM-\d{4}-\d{6}")


def path_of(page: Page) -> str:
    return urlparse(page.url).path


@dataclass
class Person:
    """Someone at their own browser page, signed in as `user`."""

    page: Page
    user: User
    # Names of the pages axe-core has checked in this run (shared by every person and journey).
    checked: set[str]
    # Screenshot names start with this, say "journey-1/caseworker".
    shots: str
    taken: list[Path] = field(default_factory=list)

    def __post_init__(self):
        for old in SHOTS.glob(f"{self.shots}-*.png"):
            old.unlink()

    # --- checks ----------------------------------------------------------------------------------------------
    def check_accessible(self, name: str) -> None:
        """axe-core on the page as it is now, once per page name in the run."""
        if name not in self.checked:
            assert_accessible(self.page)
            self.checked.add(name)

    def screenshot(self, name: str) -> Path:
        path = SHOTS / f"{self.shots}-{len(self.taken) + 1:02d}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path

    def seen(self, name: str) -> None:
        """The page as it is now: checked with axe-core (once per name) and photographed."""
        self.check_accessible(name)
        self.screenshot(name)

    def assert_no_error_summary(self, doing: str) -> None:
        summary = self.page.locator(".govuk-error-summary")
        if summary.count():
            raise AssertionError(f"{doing}: {path_of(self.page)} shows an error summary:\n{summary.inner_text()}")

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def main(self) -> Locator:
        return self.page.get_by_role("main")

    # --- moving around ---------------------------------------------------------------------------------------
    def follow(self, locator: Locator) -> None:
        """Clicks a link or button that loads a new page, and waits for it."""
        expect(locator).to_have_count(1)
        with self.page.expect_navigation():
            locator.click()

    def press(self, name: str, *, within: Locator | None = None) -> None:
        self.follow((within or self.main()).get_by_role("button", name=name, exact=True))

    def open_link(self, name: str, *, within: Locator | None = None, exact: bool = True) -> None:
        self.follow((within or self.page).get_by_role("link", name=name, exact=exact))

    def navigate(self, label: str) -> None:
        """A link of the service navigation in the header."""
        self.open_link(label, within=self.page.get_by_role("navigation", name="Menu"))

    # --- signing in ------------------------------------------------------------------------------------------
    def sign_in(self) -> None:
        """From the start page, or wherever the service sent an expired session: the sign-in form."""
        if path_of(self.page) != SIGN_IN_PATH:
            self.page.goto(SIGN_IN_PATH)
        self.page.get_by_label("Email address").fill(self.user.email)
        self.page.get_by_label("Password").fill(TEST_PASSWORD)
        self.press("Sign in")
        self.assert_no_error_summary(f"signing in as {self.user.email}")
        assert path_of(self.page) != SIGN_IN_PATH, f"{self.user.email} is still on the sign-in page"

    def visit(self, path: str) -> None:
        """Opens `path`; when the session has expired (time moved on), signs in again and lands back on it."""
        self.page.goto(path)
        if path_of(self.page) == SIGN_IN_PATH:
            self.sign_in()
            assert path_of(self.page) == urlparse(path).path, f"signing in led to {self.page.url}, not {path}"

    def expect_notification(self, text: str) -> None:
        """The header's "Notifications" page lists an unread one that says `text`."""
        menu = self.page.get_by_role("navigation", name="Menu")
        self.follow(menu.get_by_role("link", name=re.compile(r"^Notifications\b")))  # with the unread count
        expect(self.heading()).to_have_text("Notifications")
        # Newest first: the one just sent is at the top of those that say it.
        expect(self.page.get_by_test_id("notification").filter(has_text=text).first).to_contain_text("Unread")
        self.seen("notifications")

    # --- files -----------------------------------------------------------------------------------------------
    def download_pdf(self, link: Locator, *, must_contain: str) -> str:
        """The PDF behind `link`: really a PDF, whose text contains `must_contain`. Returns the text."""
        expect(link).to_have_count(1)
        with self.page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
        path = download.path()
        assert path.read_bytes().startswith(b"%PDF-"), f"{download.suggested_filename} is not a PDF"
        text = pdf_text(path)
        assert must_contain in text, f"{must_contain} is not in {download.suggested_filename}:\n{text[:2000]}"
        return text


def date_in(group: Locator) -> date:
    """The date a GOV.UK date input shows."""
    parts = [group.get_by_label(label, exact=True).input_value() for label in ("Day", "Month", "Year")]
    return date(int(parts[2]), int(parts[1]), int(parts[0]))
