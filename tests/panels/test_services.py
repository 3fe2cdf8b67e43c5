"""panels.services against real PostgreSQL: routing, quorum, conflicts, the chair's rules, overdue escalation,
both outcomes of a review and the authority's two responses, and decision-making panels."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Nation
from casework.errors import AlreadyDone
from casework.models import Case, CaseEvent, Decision, Letter, PanelResponse, Policy, ReviewRoute
from casework.services import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    StaleCase,
    case_withdraw,
    decision_panel_respond,
)
from common.calendar import add_working_days
from notifications.models import Notification
from panels.models import Agency, ConflictOfInterest, Membership, Panel, PanelCase
from panels.quorum import quorum_for
from panels.services import (
    NotQuorate,
    panel_cases_escalate_overdue,
    panel_conflict_declare,
    panel_decision_make,
    panel_meeting_record_attendance,
    panel_meeting_schedule,
    panel_review_conclude,
    panel_view_record,
)
from tests.casework.factories import AwaitingRgCaseFactory, SubmittedReferralFactory, make_decision, recovery_case
from tests.factories import FirstResponderOrganisationFactory
from tests.panels.factories import MembershipFactory, SafeguardingLeadFactory, panel_with_members

pytestmark = pytest.mark.django_db
REASONS = "The decision applies the guidance to the evidence in the referral."


@pytest.fixture(autouse=True)
def panel_route(project_data):
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route=ReviewRoute.PANEL)


def proposed_negative_cg(caseworker, manager, **referral_fields):
    case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=31, **referral_fields)
    return make_decision(case, caseworker, stage="cg", outcome="negative")


def quorate(panel_case, members, opinion="agree"):
    for member in members:
        panel_view_record(panel_case_id=panel_case.pk, actor=member.user, opinion=opinion, reasons=REASONS)


def told(user, kind) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


# Routing ------------------------------------------------------------------------------------------------------


def test_a_proposed_negative_cg_is_sent_in_its_transaction_to_the_panel_covering_the_case_with_a_due_date(
    caseworker, manager
):
    panel, chair, members = panel_with_members(members=2)
    decision = proposed_negative_cg(caseworker, manager)
    panel_case = PanelCase.objects.get(decision=decision)
    assert (panel_case.panel, panel_case.kind, panel_case.stage, panel_case.state) == (panel, "review", "cg", "open")
    assert panel_case.due_date == add_working_days(timezone.localdate(), 10)
    assert decision.review_route == ReviewRoute.PANEL
    for seat in (chair, *members):
        assert told(seat.user, Notification.Kind.PANEL_CASE_ROUTED) == 1


def test_routing_picks_a_panel_of_the_cases_nation_and_region_and_the_least_loaded_when_several_qualify(
    caseworker, manager
):
    panel_with_members(members=2, nation=Nation.WALES, name="Welsh panel")
    devon, _, _ = panel_with_members(members=2, regions=["Devon"], name="Devon panel")
    busy, _, _ = panel_with_members(members=2, name="England busy")
    quiet, _, _ = panel_with_members(members=2, name="England quiet")
    PanelCase.objects.create(
        panel=busy, case=AwaitingRgCaseFactory(), kind="review", stage="cg", due_date=timezone.localdate()
    )
    in_devon = proposed_negative_cg(caseworker, manager, answers={"current_region": "Devon"})
    assert PanelCase.objects.get(decision=in_devon).panel in {devon, quiet}
    elsewhere = proposed_negative_cg(caseworker, manager, answers={"current_region": "Kent"})
    routed_to = PanelCase.objects.get(decision=elsewhere).panel
    assert routed_to != devon
    assert routed_to.nation == Nation.ENGLAND
    # The least loaded of those covering Kent: never the busy one while the quiet one has fewer open cases.
    assert routed_to == quiet


def test_an_inactive_panel_or_one_that_only_reviews_rg_decisions_is_never_chosen(caseworker, manager):
    panel_with_members(members=2, active_to=timezone.localdate() - timedelta(days=1), name="Closed panel")
    panel_with_members(members=2, reviews_negative_cg=False, reviews_negative_rg=True, name="RG only")
    decision = proposed_negative_cg(caseworker, manager)
    assert not PanelCase.objects.filter(decision=decision).exists()
    assert decision.review_route == ReviewRoute.SECOND_REVIEWER


def test_a_negative_rg_goes_to_a_panel_when_the_policy_says_so(caseworker, manager):
    Policy.objects.filter(nation=Nation.ENGLAND).update(review_negative_rg=True, negative_rg_review_route="panel")
    panel_with_members(members=2, reviews_negative_rg=True)
    from tests.casework.factories import worked_case

    case = worked_case(caseworker=caseworker, manager=manager)
    decision = make_decision(case, caseworker, stage="rg", outcome="negative")
    assert PanelCase.objects.get(decision=decision).stage == "rg"
    case.refresh_from_db()
    assert case.status == Case.Status.RG_NEGATIVE_REVIEW


# Views, conflicts and quorum ----------------------------------------------------------------------------------


@pytest.fixture
def review(caseworker, manager):
    _panel, chair, members = panel_with_members(members=2)
    decision = proposed_negative_cg(caseworker, manager)
    return PanelCase.objects.get(decision=decision), chair, members


def test_a_member_records_a_view_and_changes_it_until_the_chair_concludes(review):
    panel_case, chair, (first, second) = review
    view = panel_view_record(panel_case_id=panel_case.pk, actor=first.user, opinion="agree", reasons=REASONS)
    changed = panel_view_record(
        panel_case_id=panel_case.pk,
        actor=first.user,
        opinion="recommend_reconsideration",
        reasons="On reflection the indicators were not weighed.",
        expected_version=view.version,
    )
    assert (changed.pk, changed.opinion, changed.version) == (view.pk, "recommend_reconsideration", 2)
    with pytest.raises(AlreadyDone, match=f"You have already recorded your view on {panel_case.case.reference}"):
        panel_view_record(  # the member's own view changed since: never "someone else changed this case"
            panel_case_id=panel_case.pk, actor=first.user, opinion="agree", reasons=REASONS, expected_version=1
        )
    panel_view_record(panel_case_id=panel_case.pk, actor=second.user, opinion="agree", reasons=REASONS)
    panel_review_conclude(panel_case_id=panel_case.pk, actor=chair.user, recommendation="agree", reasons=REASONS)
    with pytest.raises(IllegalTransition, match="already concluded"):
        panel_view_record(panel_case_id=panel_case.pk, actor=first.user, opinion="agree", reasons=REASONS)


def test_a_view_needs_an_opinion_of_the_panels_kind_and_reasons(review):
    panel_case, _, (first, _) = review
    with pytest.raises(InvalidInput, match="agree or recommend reconsideration") as error:
        panel_view_record(panel_case_id=panel_case.pk, actor=first.user, opinion="positive", reasons=REASONS)
    assert error.value.field == "opinion"
    with pytest.raises(InvalidInput, match="Enter the reasons for your view"):
        panel_view_record(panel_case_id=panel_case.pk, actor=first.user, opinion="agree", reasons="  ")


def test_someone_not_on_the_panel_cannot_record_a_view(review, caseworker):
    panel_case, _, _ = review
    outsider = panel_with_members(members=1, name="Other panel")[2][0]
    for user in (outsider.user, caseworker):
        with pytest.raises(NotPermitted, match="Only members of the panel"):
            panel_view_record(panel_case_id=panel_case.pk, actor=user, opinion="agree", reasons=REASONS)


def test_the_assurance_quorum_is_the_chair_and_two_members_and_the_refusal_says_what_is_missing(review):
    panel_case, chair, (first, second) = review
    panel_view_record(panel_case_id=panel_case.pk, actor=first.user, opinion="agree", reasons=REASONS)
    with pytest.raises(NotQuorate, match=r"1 more person must take part \(3 needed, the chair included; 2 so far\)"):
        panel_review_conclude(panel_case_id=panel_case.pk, actor=chair.user, recommendation="agree", reasons=REASONS)
    panel_view_record(panel_case_id=panel_case.pk, actor=second.user, opinion="agree", reasons=REASONS)
    assert quorum_for(panel_case, chair=chair).met


def test_a_declared_conflict_takes_the_member_out_and_their_view_no_longer_counts(review):
    panel_case, chair, (first, second) = review
    panel_view_record(panel_case_id=panel_case.pk, actor=first.user, opinion="agree", reasons=REASONS)
    panel_view_record(panel_case_id=panel_case.pk, actor=second.user, opinion="agree", reasons=REASONS)
    panel_conflict_declare(panel_case_id=panel_case.pk, actor=second.user, details="I know the family.")
    assert not quorum_for(panel_case, chair=chair).met
    with pytest.raises(NotPermitted, match="declared a conflict of interest"):
        panel_view_record(panel_case_id=panel_case.pk, actor=second.user, opinion="agree", reasons=REASONS)
    with pytest.raises(IllegalTransition, match="already take no part"):
        panel_conflict_declare(panel_case_id=panel_case.pk, actor=second.user, details="Again.")


def test_a_member_from_the_referring_organisation_is_excluded_automatically_and_told_why(caseworker, manager):
    referrer = FirstResponderOrganisationFactory()
    panel, _chair, _members = panel_with_members(members=2)
    insider = MembershipFactory(panel=panel, agency=Agency.POLICE, home_organisation=referrer)
    decision = proposed_negative_cg(caseworker, manager, draft__organisation=referrer)
    panel_case = PanelCase.objects.get(decision=decision)
    conflict = ConflictOfInterest.objects.get(panel_case=panel_case, membership=insider)
    assert conflict.ground == ConflictOfInterest.Ground.REFERRING_ORGANISATION
    with pytest.raises(NotPermitted, match="organisation that made this referral"):
        panel_view_record(panel_case_id=panel_case.pk, actor=insider.user, opinion="agree", reasons=REASONS)


def test_the_chair_can_never_be_the_original_decision_maker(caseworker, manager):
    panel, _chair, (first, second) = panel_with_members(members=2)
    decision = proposed_negative_cg(caseworker, manager)
    panel_case = PanelCase.objects.get(decision=decision)
    # The decision maker later leaves the authority to chair this panel: still never on their own decision.
    caseworker.role, caseworker.organisation = "panel_chair", first.user.organisation
    caseworker.save()
    Membership.objects.create(panel=panel, user=caseworker, role=Membership.Role.CHAIR, agency=Agency.OTHER)
    quorate(panel_case, (first, second))
    with pytest.raises(NotPermitted, match="never be the original decision maker"):
        panel_review_conclude(panel_case_id=panel_case.pk, actor=caseworker, recommendation="agree", reasons=REASONS)


def test_only_the_panels_chair_concludes(review):
    panel_case, _chair, (first, second) = review
    for member in (first, second):
        panel_view_record(panel_case_id=panel_case.pk, actor=member.user, opinion="agree", reasons=REASONS)
    other_chair = panel_with_members(members=0, name="Another panel")[1]
    for user in (first.user, other_chair.user):
        with pytest.raises(NotPermitted, match="Only the panel's chair"):
            panel_review_conclude(panel_case_id=panel_case.pk, actor=user, recommendation="agree", reasons=REASONS)


# Outcomes -----------------------------------------------------------------------------------------------------


def test_the_panel_agrees_and_casework_serves_the_decision_with_its_letter(review, caseworker):
    panel_case, chair, members = review
    quorate(panel_case, members)
    panel_review_conclude(panel_case_id=panel_case.pk, actor=chair.user, recommendation="agree", reasons=REASONS)
    panel_case.refresh_from_db()
    decision = panel_case.decision
    decision.refresh_from_db()
    assert (panel_case.state, panel_case.recommendation, panel_case.concluded_by) == ("concluded", "agree", chair.user)
    assert set(panel_case.participants.all()) == {chair, *members}
    assert decision.state == Decision.State.SERVED
    assert Letter.objects.filter(decision=decision).exists()
    assert panel_case.case.events.filter(kind=CaseEvent.Kind.DECISION_AGREED, actor=chair.user).exists()


def test_a_recommendation_to_reconsider_waits_for_a_manager_who_reconsiders(review, manager, caseworker):
    panel_case, chair, members = review
    quorate(panel_case, members, opinion="recommend_reconsideration")
    panel_review_conclude(
        panel_case_id=panel_case.pk,
        actor=chair.user,
        recommendation="recommend_reconsideration",
        reasons="The psychological indicators were not weighed.",
    )
    decision = Decision.objects.get(pk=panel_case.decision_id)
    assert decision.state == Decision.State.RECONSIDERATION_RECOMMENDED
    assert told(manager, Notification.Kind.PANEL_RECOMMENDATION) == 1
    decision_panel_respond(decision_id=decision.pk, actor=manager, response=PanelResponse.RECONSIDER)
    decision.refresh_from_db()
    panel_case.refresh_from_db()
    # Stored apart: the panel's recommendation here, the authority's response on the decision.
    assert (panel_case.recommendation, decision.authority_response) == ("recommend_reconsideration", "reconsider")
    assert decision.review_reasons == "The psychological indicators were not weighed."
    assert Case.objects.get(pk=panel_case.case_id).status == Case.Status.AWAITING_CG


def test_a_recommendation_to_reconsider_that_the_manager_maintains_is_served(review, manager):
    panel_case, chair, members = review
    quorate(panel_case, members, opinion="recommend_reconsideration")
    panel_review_conclude(
        panel_case_id=panel_case.pk, actor=chair.user, recommendation="recommend_reconsideration", reasons=REASONS
    )
    decision_panel_respond(
        decision_id=panel_case.decision_id,
        actor=manager,
        response=PanelResponse.MAINTAIN,
        reasons="The evidence the panel relies on was considered and does not change the facts.",
    )
    assert Case.objects.get(pk=panel_case.case_id).status == Case.Status.CG_NEGATIVE_SERVED
    assert Decision.objects.get(pk=panel_case.decision_id).authority_response == "maintain"


def test_a_stale_conclusion_changes_nothing(review):
    panel_case, chair, members = review
    quorate(panel_case, members)
    with pytest.raises(StaleCase):
        panel_review_conclude(
            panel_case_id=panel_case.pk,
            actor=chair.user,
            recommendation="agree",
            reasons=REASONS,
            expected_version=panel_case.version + 5,
        )
    assert Case.objects.get(pk=panel_case.case_id).status == Case.Status.CG_NEGATIVE_REVIEW


def test_a_case_withdrawn_while_under_review_leaves_the_panel(review, manager):
    panel_case, _chair, members = review
    case_withdraw(case_id=panel_case.case_id, actor=manager, reason="The person withdrew from the NRM.")
    panel_case.refresh_from_db()
    assert panel_case.state == PanelCase.State.WITHDRAWN
    with pytest.raises(IllegalTransition, match="withdrawn from the panel"):
        panel_view_record(panel_case_id=panel_case.pk, actor=members[0].user, opinion="agree", reasons=REASONS)


# Overdue ------------------------------------------------------------------------------------------------------


def test_an_overdue_review_is_escalated_to_the_chair_and_managers_once(review, manager):
    panel_case, chair, members = review
    assert panel_cases_escalate_overdue() == 0  # not due yet
    later = panel_case.due_date + timedelta(days=1)
    assert panel_cases_escalate_overdue(today=later) == 1
    assert panel_cases_escalate_overdue(today=later) == 0  # safe to run twice
    assert told(chair.user, Notification.Kind.PANEL_REVIEW_OVERDUE) == 1
    assert told(manager, Notification.Kind.PANEL_REVIEW_OVERDUE) == 1
    assert told(members[0].user, Notification.Kind.PANEL_REVIEW_OVERDUE) == 0


def test_the_policy_may_tell_only_the_chair_of_an_overdue_review(review, manager):
    panel_case, chair, _ = review
    Policy.objects.filter(nation=Nation.ENGLAND).update(overdue_review_escalation="chair")
    panel_cases_escalate_overdue(today=panel_case.due_date + timedelta(days=3))
    assert (told(chair.user, Notification.Kind.PANEL_REVIEW_OVERDUE), told(manager, "panel_review_overdue")) == (1, 0)


# Decision-making panels ---------------------------------------------------------------------------------------


@pytest.fixture
def regional_panel():
    panel, chair, members = panel_with_members(
        members=5, kind=Panel.Kind.DECISION_MAKING, regions=["Devon", "Cornwall"], name="South West panel"
    )
    return panel, chair, members


def test_a_case_in_a_regional_panels_area_is_routed_to_it_at_opening_and_its_safeguarding_leads_are_told(
    regional_panel, caseworker
):
    panel, _chair, _members = regional_panel
    lead = SafeguardingLeadFactory()
    referral = SubmittedReferralFactory(answers={"current_region": "Devon"}, draft__organisation=lead.organisation)
    case = AwaitingRgCaseFactory(referral=referral)
    panel_case = PanelCase.objects.get(case=case)
    assert (panel_case.panel, panel_case.kind, panel_case.stage) == (panel, "decision", "rg")
    assert told(lead.user, Notification.Kind.SAFEGUARDING_LEAD_TOLD) == 1
    outside = AwaitingRgCaseFactory(referral=SubmittedReferralFactory(answers={"current_region": "Kent"}))
    assert not PanelCase.objects.filter(case=outside).exists()


def test_the_authoritys_caseworker_cannot_make_a_decision_a_panel_makes(regional_panel, caseworker, manager):
    from tests.casework.factories import worked_case

    case = worked_case(caseworker=caseworker, manager=manager, answers={"current_region": "Cornwall"})
    with pytest.raises(IllegalTransition, match="South West panel makes this decision"):
        make_decision(case, caseworker, stage="rg", outcome="positive")


def test_a_regional_panel_meets_and_its_chair_records_the_rg_decision_which_casework_serves(regional_panel):
    panel, chair, members = regional_panel
    case = AwaitingRgCaseFactory(referral=SubmittedReferralFactory(answers={"current_region": "Devon"}))
    panel_case = PanelCase.objects.get(case=case)
    meeting = panel_meeting_schedule(
        panel_id=panel.pk,
        actor=chair.user,
        starts_at=timezone.now(),
        format="video",
        where="Video call",
        panel_case_ids=[panel_case.pk],
    )
    assert told(members[0].user, Notification.Kind.PANEL_MEETING_SCHEDULED) == 1
    panel_meeting_record_attendance(meeting_id=meeting.pk, actor=chair.user, membership_ids=[m.pk for m in members[:3]])
    with pytest.raises(NotQuorate, match="1 more person must take part"):
        panel_decision_make(
            panel_case_id=panel_case.pk,
            actor=chair.user,
            outcome="positive",
            reasons=REASONS,
            decision_date=timezone.localdate(),
        )
    meeting.refresh_from_db()
    panel_meeting_record_attendance(
        meeting_id=meeting.pk,
        actor=chair.user,
        membership_ids=[m.pk for m in members[:4]],
        expected_version=meeting.version,
    )
    panel_decision_make(
        panel_case_id=panel_case.pk,
        actor=chair.user,
        outcome="positive",
        reasons=REASONS,
        decision_date=timezone.localdate(),
    )
    case.refresh_from_db()
    panel_case.refresh_from_db()
    decision = panel_case.decision
    assert case.status == Case.Status.RECOVERY
    assert (decision.state, decision.decision_maker_name, decision.decided_by) == ("served", panel.name, chair.user)
    assert Letter.objects.filter(decision=decision).exists()
    assert panel_case.participants.count() == 5


def test_a_panels_negative_decision_records_its_main_reason_and_refuses_one_not_published(regional_panel):
    _, chair, members = regional_panel
    case = AwaitingRgCaseFactory(referral=SubmittedReferralFactory(answers={"current_region": "Devon"}))
    panel_case = PanelCase.objects.get(case=case)
    quorate(panel_case, members[:4], opinion="negative")
    arguments = {"outcome": "negative", "reasons": REASONS, "decision_date": timezone.localdate()}
    with pytest.raises(InvalidInput, match="Select the main reason for the negative decision") as error:
        panel_decision_make(panel_case_id=panel_case.pk, actor=chair.user, negative_reason="made_up", **arguments)
    assert error.value.field == "negative_reason"
    panel_case.refresh_from_db()
    assert (panel_case.is_open, case.decisions.count()) == (True, 0)
    panel_decision_make(panel_case_id=panel_case.pk, actor=chair.user, negative_reason="other", **arguments)
    panel_case.refresh_from_db()
    decision = panel_case.decision
    assert (decision.outcome, decision.negative_reason, decision.state) == ("negative", "other", "served")
    assert Case.objects.get(pk=case.pk).status == Case.Status.RG_NEGATIVE_SERVED


def test_a_childrens_panel_needs_local_authority_health_and_police_present(caseworker):
    panel, chair, _members = panel_with_members(
        members=0,
        kind=Panel.Kind.DECISION_MAKING,
        children_only=True,
        quorum_minimum_present=3,
        quorum_requires_chair=True,
        quorum_agencies=["local_authority", "health", "police"],
        local_authorities=["Leeds"],
        name="Leeds children's panel",
    )
    la = MembershipFactory(panel=panel, agency=Agency.LOCAL_AUTHORITY)
    health = MembershipFactory(panel=panel, agency=Agency.HEALTH)
    ngo = MembershipFactory(panel=panel, agency=Agency.NGO)
    adult = AwaitingRgCaseFactory(referral=SubmittedReferralFactory(answers={"la_name": "Leeds"}))
    assert not PanelCase.objects.filter(case=adult).exists()  # children only
    from tests.casework.factories import ChildReferralFactory

    child = AwaitingRgCaseFactory(referral=ChildReferralFactory(answers={"la_name": "Leeds"}))
    panel_case = PanelCase.objects.get(case=child)
    for member in (la, health, ngo):
        panel_view_record(panel_case_id=panel_case.pk, actor=member.user, opinion="positive", reasons=REASONS)
    quorum = quorum_for(panel_case, chair=chair)
    assert quorum.missing == ("someone from the police must take part",)
    police = MembershipFactory(panel=panel, agency=Agency.POLICE)
    panel_view_record(panel_case_id=panel_case.pk, actor=police.user, opinion="positive", reasons=REASONS)
    assert quorum_for(panel_case, chair=chair).met
