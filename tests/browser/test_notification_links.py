"""Each demo sign-in's notifications, in the browser: the list passes axe-core, and following each kind of link on
it opens a page of the recipient's own (issue 12, section 7). Screenshots in test-artifacts/screenshots/."""

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from casework import demo as casework_demo
from notifications import demo as notifications_demo
from panels import demo as panels_demo
from referrals import demo as referrals_demo
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser

SIGN_INS = [
    "responder@police.example",
    "spoc@police.example",
    "caseworker@sca.example",
    "manager@sca.example",
    "support@provider.example",
    "chair@panel.example",
    "member1@panel.example",
]


@pytest.fixture
def demo_world(demo_mode):
    """The demo's people, referrals, cases and panels and the notifications they caused, as `make run` has them."""
    ensure_project_data()
    accounts_demo.seed()
    referrals_demo.seed()
    panels_demo.seed_assurance_panels()
    casework_demo.seed()
    panels_demo.seed()
    notifications_demo.seed(User.objects.filter(email__in=[email for email, *_ in accounts_demo.DEMO_USERS]))


def test_each_sign_in_opens_the_pages_its_notifications_link_to(page, demo_world):
    problems = []
    for email in SIGN_INS:
        sign_in(page, email, accounts_demo.DEMO_PASSWORD)
        page.goto("/notifications/")
        who = email.split("@")[0] + "-" + email.split("@")[1].split(".")[0]
        screenshot(page, f"notifications/{who}")
        assert_accessible(page)
        links = page.locator("[data-testid=notification] a.govuk-link")
        hrefs = list(dict.fromkeys(links.nth(i).get_attribute("href") for i in range(links.count())))
        if not hrefs:
            problems.append(f"{email}: no notification links on the demo")
        for href in hrefs[:4]:  # a few of each sign-in's (the Django tests open every one)
            response = page.goto(href)
            if response.status != 200 or not page.locator("h1").first.is_visible():
                problems.append(f"{email}: {href} answered {response.status}")
        page.context.clear_cookies()
    assert not problems, "\n".join(problems)
