"""Independent panels in a real browser (issue 10, section 7), as the people involved would act: each at their own
browser, signing in with their password and authenticator code, following links and buttons by their names,
filling in fields by their labels. The world each journey starts from (panels, seats, cases under review) is
written by tests/browser/panel_world.py before the journey begins.

1. Two members of an assurance panel record that they agree with a proposed negative conclusive grounds
   decision; the chair concludes "agree"; the decision is served and its letter names the case.
2. The chair concludes "recommend reconsideration"; a manager of the authority sees the recommendation on the
   case page and reconsiders; the case awaits the decision again and the caseworker sees the panel's reasons.
3. A regional decision-making panel's chair schedules a meeting with the case on its agenda, records who
   attended (a quorum of five) and records a positive reasonable grounds decision, served with a letter that
   names the panel.
4. axe-core on every panel page, for a member, a chair and a manager.
5. A member of another panel is told the review page is not found.

Screenshots go to /tmp/casework-shots/panels/: the reviews and review pages, every page with NRM_PANEL_SHOTS=all.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Case, Decision, PanelResponse
from panels.models import PanelCase
from tests.browser.casework_driver import assert_accessible
from tests.browser.casework_driver.arrange import Browsers
from tests.browser.panel_world import (
    SHOTS_PREFIX,
    PanelCaseworker,
    PanelManager,
    case_for_the_region,
    panel_person,
    panel_site,
    record_views,
    regional_panel,
    world,
)

pytestmark = pytest.mark.browser

AGREE = "Agree with the decision"
RECONSIDER = "Recommend reconsideration"


@pytest.fixture(scope="session")
def axe_checked():
    """Pages axe-core has checked in this run: each page once, whichever journey reaches it first."""
    return set()


@pytest.fixture
def browser_for(browser, live_server):
    browsers = Browsers(browser, live_server.url)
    yield browsers.new_page
    browsers.close()


@pytest.fixture
def the_world(live_server):
    return world()


def test_two_members_agree_and_the_chair_concludes_agree_so_the_decision_is_served_with_its_letter(
    browser_for, the_world, axe_checked
):
    panel_case = the_world.review()
    reference = panel_case.case.reference
    seats = the_world.assurance
    first = panel_person(browser_for(), seats.members[0], axe_checked, "journey-1/member-1")
    second = panel_person(browser_for(), seats.members[1], axe_checked, "journey-1/member-2")
    chair = panel_person(browser_for(), seats.chair, axe_checked, "journey-1/chair")

    # Each member signs in to their reviews, opens the case from "To review" and records that they agree.
    for member, reasons in (
        (first, "The decision applies the guidance to the account and the police records support it."),
        (second, "The reasons address each indicator in the referral; nothing was overlooked."),
    ):
        member.sign_in()
        member.on_reviews()
        member.seen("reviews")
        member.open_review(reference, tab="To review")
        expect(member.page.get_by_test_id("decided-by")).not_to_contain_text(the_world.cast.caseworker.full_name)
        member.record_view(AGREE, reasons)

    # The chair finds it awaiting them, sees both views and the quorum met, and concludes "agree".
    chair.sign_in()
    chair.on_reviews()
    chair.open_review(reference, tab="Awaiting chair")
    expect(chair.page.get_by_test_id("view")).to_have_count(2)
    expect(chair.page.get_by_test_id("quorum")).to_have_text("The panel is quorate.")
    chair.conclude(AGREE, "Both members agree: the decision is sound and can be served.")
    panel_case.refresh_from_db()
    assert (panel_case.state, panel_case.recommendation) == (PanelCase.State.CONCLUDED, PanelCase.Recommendation.AGREE)
    assert panel_case.case.status == Case.Status.CG_NEGATIVE_SERVED
    # The panel's record names the case, who took part (with their agencies) and the outcome.
    record = chair.download_pdf(
        chair.page.get_by_role("link", name="Download the panel record (PDF)"), must_contain=reference
    )
    record = " ".join(record.split())
    for seat in seats.members:
        assert seat.user.full_name in record, record[:2000]
    assert "Police" in record
    chair.open_tab("Concluded")
    expect(chair.review_row(reference)).to_have_count(1)

    # The decision is served: the caseworker downloads its letter, which names the case.
    caseworker = PanelCaseworker(
        browser_for(), the_world.cast.caseworker, axe_checked, f"{SHOTS_PREFIX}/journey-1/caseworker"
    )
    caseworker.sign_in()
    caseworker.open_case(reference)
    caseworker.expect_status(Case.Status.CG_NEGATIVE_SERVED.label)
    text = caseworker.download_letter("conclusive grounds", must_contain=reference)
    assert "conclusive grounds" in text.lower()


def test_the_chair_recommends_reconsideration_and_a_manager_reconsiders_so_the_caseworker_decides_again(
    browser_for, the_world, axe_checked
):
    panel_case = the_world.review()
    reference = panel_case.case.reference
    seats = the_world.assurance
    # Both members' views are in (journey 1 records them in the browser).
    record_views(panel_case, seats.members, opinion=PanelCase.Recommendation.RECOMMEND_RECONSIDERATION)
    panel_reasons = "The decision does not weigh the medical evidence of trauma against the changes in the account."

    # The chair concludes: the panel recommends reconsideration.
    chair = panel_person(browser_for(), seats.chair, axe_checked, "journey-2/chair")
    chair.sign_in()
    chair.open_review(reference, tab="Awaiting chair")
    chair.conclude(RECONSIDER, panel_reasons)
    expect(chair.page.get_by_test_id("authority-response")).to_contain_text("Waiting for a manager")
    panel_case.refresh_from_db()
    decision = panel_case.decision
    assert decision.state == Decision.State.RECONSIDERATION_RECOMMENDED

    # A manager of the authority finds the case under review, reads the recommendation and reconsiders.
    manager = PanelManager(browser_for(), the_world.cast.manager, axe_checked, f"{SHOTS_PREFIX}/journey-2/manager")
    manager.sign_in()
    expect(manager.heading()).to_have_text("Team cases")
    manager.open_case_from_queue(reference, tab="Under review")
    expect(manager.page.get_by_test_id("panel-recommends")).to_contain_text("recommends reconsidering")
    panel_work = manager.page.get_by_test_id("panel-work")
    expect(panel_work).to_contain_text("Assurance panel for England")
    expect(panel_work).to_contain_text(panel_reasons)
    manager.respond_to_panel(PanelResponse.RECONSIDER.label, panel_reasons=panel_reasons)
    manager.expect_success("will be made again")
    manager.expect_status(Case.Status.AWAITING_CG.label)
    decision.refresh_from_db()
    panel_case.case.refresh_from_db()
    assert decision.authority_response == PanelResponse.RECONSIDER
    assert panel_case.case.status == Case.Status.AWAITING_CG

    # The caseworker makes the decision again, reading the panel's reasons on the decision page.
    caseworker = PanelCaseworker(
        browser_for(), the_world.cast.caseworker, axe_checked, f"{SHOTS_PREFIX}/journey-2/caseworker"
    )
    caseworker.sign_in()
    caseworker.open_case(reference)
    caseworker.action("Make the conclusive grounds decision")
    expect(caseworker.page.get_by_test_id("returned-decision")).to_contain_text(
        "recommended reconsidering the earlier negative conclusive grounds decision"
    )
    expect(caseworker.main()).to_contain_text(panel_reasons)
    caseworker.seen("decision-after-panel")

    # The panel sees the authority's response on the concluded review.
    chair.page.reload()
    expect(chair.page.get_by_test_id("authority-response")).to_contain_text(PanelResponse.RECONSIDER.label)
    chair.seen("review-after-response")


def test_a_regional_panel_meets_and_its_chair_records_a_positive_rg_decision_served_in_the_panels_name(
    browser_for, the_world, axe_checked
):
    regional = regional_panel()
    panel_case = case_for_the_region(the_world)
    reference = panel_case.case.reference
    today = timezone.localdate()
    chair = panel_person(browser_for(), regional.chair, axe_checked, "journey-3/chair")

    # The chair schedules today's meeting with the case on its agenda.
    chair.sign_in()
    chair.on_reviews()
    expect(chair.review_row(reference)).to_contain_text("Reasonable grounds decision")
    # A meeting that has started by now (attendance is recorded once it has), whatever the hour the suite runs.
    started = max(timezone.localtime() - timedelta(minutes=5), timezone.localtime().replace(hour=0, minute=0))
    chair.schedule_meeting(
        when=today,
        start=started.strftime("%H:%M"),
        how="Video call",
        where="The panel's usual video call",
        agenda=[reference],
    )

    # After the meeting, the chair records who attended: five present, the chair included.
    present = [regional.chair, *regional.members[:4]]
    chair.record_attendance([seat.user.full_name for seat in present])

    # From the agenda, the case, and the panel's decision: positive.
    chair.open_link(reference, within=chair.page.get_by_test_id("agenda"))
    expect(chair.heading()).to_have_text(reference)
    expect(chair.page.get_by_test_id("quorum")).to_have_text("The panel is quorate.")
    reasons = "The indicators seen by the police and the health service give reasonable grounds to believe it."
    chair.decide("Positive", reasons, stage_words="reasonable grounds")
    panel_case.refresh_from_db()
    case = panel_case.case
    assert case.status == Case.Status.RECOVERY
    decision = panel_case.decision
    assert (decision.state, decision.outcome, decision.decision_maker_name) == (
        Decision.State.SERVED,
        Decision.Outcome.POSITIVE,
        regional.panel.name,
    )
    assert {seat.pk for seat in panel_case.participants.all()} == {seat.pk for seat in present}

    # The authority's caseworker sees the case in its recovery period; the letter names the panel.
    caseworker = PanelCaseworker(
        browser_for(), the_world.cast.caseworker, axe_checked, f"{SHOTS_PREFIX}/journey-3/caseworker"
    )
    caseworker.sign_in()
    caseworker.open_case(reference)
    caseworker.expect_status(Case.Status.RECOVERY.label)
    text = caseworker.download_letter("reasonable grounds", must_contain=reference)
    assert regional.panel.name in " ".join(text.split())


def test_every_panel_page_is_accessible_for_members_chairs_and_managers(browser_for, the_world):
    failures = []
    for visit in panel_site(the_world, browser_for):
        person = visit.person
        person.sign_in()
        for name, address in visit.pages.items():
            response = person.page.goto(address)
            assert response.status == 200, f"{name}: {address} answered {response.status}"
            expect(person.heading()).to_be_visible()
            failures += axe_failures(person.page, f"{person.shots} {name}")
        for name, (address, button) in visit.error_pages.items():
            person.page.goto(address)
            person.press(button)
            expect(person.page.locator(".govuk-error-summary")).to_be_visible()
            failures += axe_failures(person.page, f"{person.shots} {name}")
    assert not failures, "\n\n".join(failures)


def axe_failures(page, name: str) -> list[str]:
    try:
        assert_accessible(page)
    except AssertionError as error:
        return [f"{name}: {error}"]
    return []


def test_a_member_of_another_panel_is_told_the_review_is_not_found(browser_for, the_world, axe_checked):
    panel_case = the_world.review()
    outsider = panel_person(browser_for(), the_world.other.members[0], axe_checked, "journey-5/outsider")
    outsider.sign_in()
    outsider.on_reviews()
    expect(outsider.page.get_by_test_id("count-to_review")).to_have_text("(0)")
    expect(outsider.main()).not_to_contain_text(panel_case.case.reference)

    response = outsider.page.goto(reverse("panels:case", args=[panel_case.pk]))

    assert response.status == 404
    expect(outsider.heading()).to_have_text("Page not found")
    expect(outsider.main()).not_to_contain_text(panel_case.case.reference)
    outsider.seen("not-found")
