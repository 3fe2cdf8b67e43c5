"""benchmarks/journey.py's walker, which knows only the pages, on the live server: a Duty to Notify from "Start a
new referral" to the sent page within the issue's page-load target (so the benchmark cannot rot, and the route
cannot grow pages unnoticed)."""

import pytest

from benchmarks.journey import TARGETS, JourneyWalker
from referrals.models import Draft, Referral, Route
from tests.browser.helpers import sign_in
from tests.factories import TEST_PASSWORD
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser


def test_the_journey_walker_sends_a_duty_to_notify_within_the_page_load_target(page, live_server, first_responder):
    ensure_project_data()
    sign_in(page, first_responder.email, TEST_PASSWORD)

    result = JourneyWalker(page, "duty_to_notify").run()

    referral = Referral.objects.get(reference=result.reference)
    assert referral.route == Route.DUTY_TO_NOTIFY
    assert referral.organisation == first_responder.organisation
    assert page.locator(".govuk-panel--confirmation").is_visible()
    # Every page load is counted, from the task list "Start a new referral" opens to the sent page.
    assert result.pages[0].startswith("Referral draft")
    assert "sent" in result.pages[-1]
    assert result.page_loads == len(result.pages)
    assert result.page_loads <= TARGETS["duty_to_notify"], "\n".join(result.pages)
    assert Draft.objects.count() == 1  # one draft started, and sent
