"""The panel selectors: scope, the tabs' rules, what the review page holds (and leaves out), meetings."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Nation
from casework.models import CaseEvent
from casework.services import case_add_note
from panels import selectors
from panels.models import PanelCase, View
from panels.services import panel_view_record
from referrals.models import EvidenceFile
from tests.panels.factories import (
    MeetingFactory,
    PanelCaseFactory,
    ViewFactory,
    panel_with_members,
    reviewed_panel_case,
)

pytestmark = pytest.mark.django_db
REASONS = "The decision follows the guidance and the evidence recorded supports it."


@pytest.fixture
def seats(project_data):
    return panel_with_members(name="Assurance panel for England")


@pytest.fixture
def review(seats, caseworker, manager):
    return reviewed_panel_case(seats[0], caseworker=caseworker, manager=manager)


def slugs(user) -> dict[str, list[int]]:
    return {tab.slug: list(selectors.review_list_for(user=user, tab=tab).keys) for tab in selectors.TABS}


def test_a_decision_maker_is_named_by_role_and_organisation(caseworker):
    assert selectors.role_label(caseworker) == "Caseworker, Single Competent Authority"
    assert selectors.role_label(None) == "The system"


def test_the_tabs_hold_only_the_users_panels_cases_soonest_due_first(seats):
    panel, _, members = seats
    later = PanelCaseFactory(panel=panel, due_date=timezone.localdate() + timedelta(days=9))
    sooner = PanelCaseFactory(panel=panel, due_date=timezone.localdate() + timedelta(days=2))
    PanelCaseFactory()  # another panel's
    other_panel, _, _ = panel_with_members(members=1, name="Welsh panel", nation=Nation.WALES)
    PanelCaseFactory(panel=other_panel)
    assert slugs(members[0].user) == {"to_review": [sooner.pk, later.pk], "awaiting_chair": [], "concluded": []}


def test_a_member_from_the_referring_organisation_finds_the_case_awaiting_the_chair(seats):
    panel, _, members = seats
    panel_case = PanelCaseFactory(panel=panel)
    members[0].home_organisation = panel_case.case.referral.organisation
    members[0].save(update_fields=["home_organisation"])
    assert slugs(members[0].user) == {"to_review": [], "awaiting_chair": [panel_case.pk], "concluded": []}
    assert slugs(members[1].user)["to_review"] == [panel_case.pk]


def test_the_counts_match_the_tabs(seats):
    panel, _, members = seats
    first, second = PanelCaseFactory(panel=panel), PanelCaseFactory(panel=panel)
    ViewFactory(panel_case=first, membership=members[0])
    PanelCaseFactory(panel=panel, state=PanelCase.State.WITHDRAWN)
    listing = selectors.review_list_for(user=members[0].user, tab=selectors.tab_named("nonsense"))
    assert listing.tab.slug == "to_review"
    assert list(listing.keys) == [second.pk]
    assert listing.counts == {"to_review": 1, "awaiting_chair": 1, "concluded": 1}


def test_a_notifications_reference_finds_the_open_panel_case_else_the_latest(seats):
    panel, _, members = seats
    old = PanelCaseFactory(panel=panel, state=PanelCase.State.CONCLUDED)
    user = members[0].user
    assert selectors.open_panel_case_for(user=user, reference=old.case.reference) == old
    current = PanelCaseFactory(panel=panel, case=old.case, stage="rg")
    assert selectors.open_panel_case_for(user=user, reference=old.case.reference) == current
    with pytest.raises(Http404):
        selectors.open_panel_case_for(user=user, reference=PanelCaseFactory().case.reference)


def test_the_review_page_leaves_out_the_authoritys_internal_working(seats, review, caseworker):
    _, _, members = seats
    case_add_note(case_id=review.case_id, actor=caseworker, text="Internal: call the police officer back")
    panel_case = selectors.panel_case_of(user=members[0].user, pk=review.pk)
    page = selectors.review_page_for(user=members[0].user, panel_case=panel_case)
    kinds = {entry.kind for entry in page.timeline}
    assert not kinds & {CaseEvent.Kind.NOTE_ADDED, CaseEvent.Kind.ASSIGNED, CaseEvent.Kind.RELEASED}
    assert {entry.actor for entry in page.timeline} <= {
        "Caseworker, Single Competent Authority",
        "Manager, Single Competent Authority",
        "The system",
        f"First responder, {review.case.referral.organisation.name}",
    }
    assert page.decision.decided_by_role == "Caseworker, Single Competent Authority"
    assert caseworker.full_name not in repr(page.decision)


def test_a_member_sees_only_their_own_view_while_the_review_is_open(seats, review):
    _, chair, members = seats
    for membership in members:
        panel_view_record(panel_case_id=review.pk, actor=membership.user, opinion="agree", reasons=REASONS)
    member_page = selectors.review_page_for(user=members[0].user, panel_case=review)
    assert [(view.is_mine, view.opinion_label) for view in member_page.views] == [(True, "Agree with the decision")]
    assert member_page.others_hidden == 1
    chair_page = selectors.review_page_for(user=chair.user, panel_case=review)
    assert len(chair_page.views) == 2
    assert chair_page.others_hidden == 0
    assert chair_page.quorum.met  # the chair takes part by concluding


def test_the_review_page_reads_the_same_queries_whatever_the_number_of_views(seats, review):
    _, chair, members = seats

    def queries() -> int:
        panel_case = selectors.panel_case_of(user=chair.user, pk=review.pk)
        with CaptureQueriesContext(connection) as captured:
            selectors.review_page_for(user=chair.user, panel_case=panel_case)
        return len(captured)

    View.objects.create(panel_case=review, membership=members[0], opinion="agree", reasons=REASONS)
    one = queries()
    View.objects.create(panel_case=review, membership=members[1], opinion="agree", reasons=REASONS)
    assert queries() == one


def test_a_file_of_another_referral_is_not_found(seats, review):
    other = PanelCaseFactory(panel=seats[0])
    evidence = EvidenceFile.objects.create(
        draft=other.case.referral.draft, file="evidence/x", original_name="x.pdf", content_type="application/pdf",
        size=10, uploaded_by=other.case.referral.submitted_by,
    )  # fmt: skip
    assert selectors.evidence_file_of(panel_case=other, file_id=evidence.pk) == evidence
    with pytest.raises(Http404):
        selectors.evidence_file_of(panel_case=review, file_id=evidence.pk)


def test_meetings_are_split_into_upcoming_soonest_first_and_past_latest_first(seats):
    panel, chair, members = seats
    now = timezone.now()
    later = MeetingFactory(panel=panel, scheduled_by=chair.user, starts_at=now + timedelta(days=9))
    sooner = MeetingFactory(panel=panel, scheduled_by=chair.user, starts_at=now + timedelta(days=2))
    old = MeetingFactory(panel=panel, scheduled_by=chair.user, starts_at=now - timedelta(days=20))
    recent = MeetingFactory(panel=panel, scheduled_by=chair.user, starts_at=now - timedelta(days=2))
    MeetingFactory()  # another panel's
    assert selectors.meetings_of(user=members[0].user) == ([sooner, later], [recent, old])
    with pytest.raises(Http404):
        selectors.meeting_of(user=members[0].user, pk=MeetingFactory().pk)
