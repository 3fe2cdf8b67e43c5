"""Every list page reflows at 320 px (issue 12, section 3; WCAG 1.4.10): on the demo's data, each list's rows show
as blocks, each value under its column's name, and the page never scrolls sideways. axe-core checks each page at
that width; the screenshots are in test-artifacts/screenshots/lists-320/."""

import pytest
from django.urls import reverse, reverse_lazy

from accounts import demo as accounts_demo
from accounts.models import User
from casework import demo as casework_demo
from panels import demo as panels_demo
from referrals import demo as referrals_demo
from referrals.services import draft_create
from tests.browser.helpers import SCREENSHOTS, assert_accessible, screenshot, sign_in
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser

WIDTH = 320
# Who sees each list, and the list pages they open: (page name, URL).
LIST_PAGES = {
    "responder@police.example": [("referrals", reverse_lazy("referrals:list")), ("notifications", "/notifications/")],
    "spoc@police.example": [("organisation-members", reverse_lazy("organisation:members"))],
    "caseworker@sca.example": [("case-queue", reverse_lazy("casework:queue"))],
    "manager@sca.example": [
        ("case-queue-under-review", f"{reverse_lazy('casework:queue')}?tab=under_review"),
        ("team", reverse_lazy("casework:team")),
    ],
    "support@provider.example": [("supported-people", reverse_lazy("casework:supported"))],
    "chair@panel.example": [
        ("panel-reviews", reverse_lazy("panels:reviews")),
        ("panel-meetings", reverse_lazy("panels:meetings")),
    ],
}


@pytest.fixture
def demo_world(demo_mode):
    """The demo's people, referrals, cases and panels, as `make run` has them (the statistics' history aside)."""
    ensure_project_data()
    accounts_demo.seed()
    referrals_demo.seed()
    panels_demo.seed_assurance_panels()
    casework_demo.seed()
    panels_demo.seed()
    responder = User.objects.get(email="responder@police.example")
    draft = draft_create(actor=responder)
    draft.answers["responder_reference"] = "PS/2026/0001-A-LONG-REFERENCE-WITHOUT-SPACES"
    draft.save()


def page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_every_list_page_reflows_at_320_pixels_without_scrolling_sideways(browser, live_server, demo_world):
    (SCREENSHOTS / "lists-320").mkdir(parents=True, exist_ok=True)
    problems = []
    for email, pages in LIST_PAGES.items():
        context = browser.new_context(
            viewport={"width": WIDTH, "height": 900}, bypass_csp=True, base_url=live_server.url
        )
        page = context.new_page()
        try:
            sign_in(page, email, accounts_demo.DEMO_PASSWORD)
            for name, url in pages:
                problems += list_page_problems(page, name, url)
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def list_page_problems(page, name: str, url: str) -> list[str]:
    response = page.goto(str(url))
    if response.status != 200:
        return [f"{name} answered {response.status}"]
    screenshot(page, f"lists-320/{name}")
    rows = page.locator("table.app-table--responsive tbody tr")
    if not rows.count():
        return [f"{name}: no list rows on the demo's data"]
    problems = []
    if page_width(page) > WIDTH:
        problems.append(f"{name} is {page_width(page)} px wide at {WIDTH} px: the page scrolls sideways")
    # Each row is a block no wider than the page, each value under its column's name.
    if rows.first.bounding_box()["width"] > WIDTH:
        problems.append(f"{name}: its rows are wider than the page")
    labelled = rows.first.locator("td[data-label]").first
    label = labelled.get_attribute("data-label")
    shown = labelled.evaluate("cell => getComputedStyle(cell, '::before').content")
    if label not in shown:
        problems.append(f"{name}: a cell does not show its column's name {label!r} (shows {shown})")
    assert_accessible(page)
    return problems


def test_lists_stay_tables_on_a_desktop(page, demo_world):
    sign_in(page, "manager@sca.example", accounts_demo.DEMO_PASSWORD)
    page.goto(reverse("casework:team"))
    assert page.locator("table.app-table--responsive thead").first.is_visible()
    cell = page.locator("table.app-table--responsive td").first
    assert cell.evaluate("c => getComputedStyle(c).display") == "table-cell"
