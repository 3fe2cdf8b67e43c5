"""Reasonable and Conclusive Grounds decisions (casework.services.decisions): making them, their dates and who is
told, the second review of a negative one, and every move the services must refuse."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Nation, Organisation
from accounts.roles import Role
from casework.deadlines import start_of_day
from casework.lifecycle.states import STATUS_IN_WORDS
from casework.models import Case, CaseEvent, Decision, Letter, Policy
from casework.services import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    StaleCase,
    case_make_cg_decision,
    case_make_rg_decision,
    decision_review_agree,
    decision_review_return,
)
from notifications.models import Notification
from tests.casework.factories import (
    assert_transition,
    case_in_any_state,
    event_kinds,
    make_decision,
    recovery_case,
    staff_of,
    worked_case,
)
from tests.factories import OrganisationFactory, SupportProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(sca):
    return staff_of(sca, Role.MANAGER)


def told(user, kind) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


# Reasonable Grounds ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "recovery_days"),
    [(Nation.ENGLAND, 30), (Nation.WALES, 30), (Nation.SCOTLAND, 90), (Nation.NORTHERN_IRELAND, 45)],
)
def test_a_positive_rg_starts_the_recovery_period_of_the_nations_policy(caseworker, manager, nation, recovery_days):
    assert Policy.objects.get(nation=nation).recovery_days == recovery_days
    case = worked_case(caseworker=caseworker, manager=manager, opened_days_ago=3, nation=nation)
    rg_date = timezone.localdate() - timedelta(days=2)
    decision = make_decision(case, caseworker, decision_date=rg_date, expected_version=case.version)
    assert_transition(
        case,
        version_before=2,
        kind=CaseEvent.Kind.DECISION_SERVED,
        changed=("status", "recovery_ends_at", "support_ends_at", "rg_decided_at", "next_deadline_at"),
    )
    assert case.status == Case.Status.RECOVERY
    assert case.recovery_ends_at == start_of_day(rg_date + timedelta(days=recovery_days))
    assert case.support_ends_at == start_of_day(rg_date + timedelta(days=90))
    assert (case.next_deadline_at, case.next_deadline_kind) == (case.recovery_ends_at, Case.DeadlineKind.RECOVERY_ENDS)
    decision.refresh_from_db()
    assert (decision.state, decision.served_at is not None, decision.reconsideration_deadline) == ("served", True, None)
    assert Letter.objects.filter(decision=decision).exists()
    assert event_kinds(case)[-2:] == ["rg_decided", "decision_served"]
    assert told(case.referral.submitted_by, Notification.Kind.DECISION_SERVED) == 1


def test_an_adult_who_wants_support_is_referred_to_the_policys_support_provider(caseworker, manager):
    provider = SupportProviderFactory()
    provider_staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    SupportProviderFactory()  # another provider of the nation: the policy's choice wins
    Policy.objects.filter(nation=Nation.ENGLAND).update(support_provider=provider)
    case = worked_case(caseworker=caseworker, manager=manager, answers={"wants_support": "yes"})
    make_decision(case, caseworker)
    case.refresh_from_db()
    assert case.support_provider == provider
    decision = case.decisions.get()
    assert timezone.localtime(case.support_started_at).date() == decision.decision_date
    assert told(provider_staff, Notification.Kind.SUPPORT_STARTED) == 1
    assert case.events.get(kind="support_started").data == {
        "by": "support_provider",
        "provider_id": provider.pk,
        "told": None,
        "from_status": "recovery",
        "to_status": "recovery",
    }


def test_without_a_policy_provider_the_nations_only_active_provider_supports(caseworker, manager):
    provider = SupportProviderFactory(nation=Nation.WALES)
    SupportProviderFactory(nation=Nation.WALES, is_active=False)
    SupportProviderFactory(nation=Nation.ENGLAND)
    case = worked_case(caseworker=caseworker, manager=manager, nation=Nation.WALES, answers={"wants_support": "yes"})
    make_decision(case, caseworker)
    case.refresh_from_db()
    assert case.support_provider == provider


def test_an_adult_who_does_not_want_support_is_referred_to_no_one(caseworker, manager):
    provider = SupportProviderFactory()
    Policy.objects.filter(nation=Nation.ENGLAND).update(support_provider=provider)
    case = worked_case(caseworker=caseworker, manager=manager, answers={"wants_support": "no"})
    make_decision(case, caseworker)
    case.refresh_from_db()
    assert case.support_provider is None
    assert not Notification.objects.filter(kind=Notification.Kind.SUPPORT_STARTED).exists()


def test_for_a_child_the_local_authority_named_in_the_referral_is_told(caseworker, manager):
    authority = OrganisationFactory(name="Exampleshire County Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    social_worker = UserFactory(role=Role.FIRST_RESPONDER, organisation=authority)
    elsewhere = UserFactory(
        role=Role.FIRST_RESPONDER,
        organisation=OrganisationFactory(name="Otherton Council", kind=Organisation.Kind.LOCAL_AUTHORITY),
    )
    case = worked_case(caseworker=caseworker, manager=manager, child=True, answers={"la_name": authority.name})
    make_decision(case, caseworker)
    case.refresh_from_db()
    assert case.support_provider is None
    assert told(social_worker, Notification.Kind.SUPPORT_STARTED) == 1
    assert told(social_worker, Notification.Kind.DECISION_SERVED) == 1
    assert told(elsewhere, Notification.Kind.SUPPORT_STARTED) == 0
    assert case.events.get(kind="support_started").data == {
        "by": "local_authority",
        "told": 1,
        "provider_id": None,
        "from_status": "recovery",
        "to_status": "recovery",
    }


def test_a_negative_rg_is_reviewed_by_another_manager_when_the_policy_says_so(caseworker, manager, reviewer):
    Policy.objects.filter(nation=Nation.ENGLAND).update(review_negative_rg=True)
    case = worked_case(caseworker=manager, manager=manager)
    decision = make_decision(case, manager, outcome="negative")
    assert_transition(case, version_before=2, kind=CaseEvent.Kind.DECISION_PROPOSED)
    assert case.status == Case.Status.RG_NEGATIVE_REVIEW
    assert (decision.state, decision.review_route) == ("under_review", "second_reviewer")
    assert not Letter.objects.exists()
    assert (told(reviewer, Notification.Kind.REVIEW_NEEDED), told(manager, Notification.Kind.REVIEW_NEEDED)) == (1, 0)
    assert told(case.referral.submitted_by, Notification.Kind.DECISION_SERVED) == 0
    with pytest.raises(NotPermitted, match="someone other than the decision maker"):
        decision_review_agree(decision_id=decision.pk, actor=manager)
    decision_review_agree(decision_id=decision.pk, actor=reviewer, expected_version=case.version)
    assert_transition(case, version_before=3, kind=CaseEvent.Kind.DECISION_SERVED)
    assert case.status == Case.Status.RG_NEGATIVE_SERVED
    decision.refresh_from_db()
    assert (decision.state, decision.reviewed_by) == ("served", reviewer)
    assert decision.reconsideration_deadline == timezone.localdate() + timedelta(days=30)
    assert Letter.objects.filter(decision=decision).exists()
    assert told(case.referral.submitted_by, Notification.Kind.DECISION_SERVED) == 1


def test_a_negative_rg_is_served_at_once_when_the_policy_needs_no_review(caseworker, manager):
    Policy.objects.filter(nation=Nation.ENGLAND).update(review_negative_rg=False)
    case = worked_case(caseworker=caseworker, manager=manager)
    decision = make_decision(case, caseworker, outcome="negative")
    assert_transition(case, version_before=2, kind=CaseEvent.Kind.DECISION_SERVED)
    assert case.status == Case.Status.RG_NEGATIVE_SERVED
    assert (case.recovery_ends_at, case.support_ends_at) == (None, None)
    decision.refresh_from_db()
    assert decision.reconsideration_deadline == timezone.localdate() + timedelta(days=30)
    assert Letter.objects.filter(decision=decision).exists()


# The main reason for a negative decision (counted by the published statistics) -------------------------------


def test_a_negative_rg_keeps_its_main_reason_through_review_and_serving(caseworker, manager, reviewer):
    Policy.objects.filter(nation=Nation.ENGLAND).update(review_negative_rg=True)
    case = worked_case(caseworker=caseworker, manager=manager)
    decision = make_decision(case, caseworker, outcome="negative", negative_reason="definition_not_met")
    assert (decision.state, decision.negative_reason) == ("under_review", "definition_not_met")
    assert event_kinds(case)[-2:] == ["rg_decided", "decision_proposed"]  # one decision event, as without a reason
    decision_review_agree(decision_id=decision.pk, actor=reviewer)
    decision.refresh_from_db()
    assert (decision.state, decision.negative_reason) == ("served", "definition_not_met")


def test_a_negative_cg_records_its_main_reason_and_one_given_none_stays_blank(caseworker, manager):
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route="second_reviewer")
    for reason in ("credibility", ""):
        case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=31)
        decision = make_decision(case, caseworker, stage="cg", outcome="negative", negative_reason=reason)
        assert (decision.state, Decision.objects.get(pk=decision.pk).negative_reason) == ("under_review", reason)


@pytest.mark.parametrize("stage", ["rg", "cg"])
def test_a_main_reason_given_with_a_positive_decision_is_ignored(caseworker, manager, stage):
    if stage == "rg":
        case = worked_case(caseworker=caseworker, manager=manager)
    else:
        case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=31)
    decision = make_decision(case, caseworker, stage=stage, negative_reason="credibility")
    assert (decision.outcome, Decision.objects.get(pk=decision.pk).negative_reason) == ("positive", "")


@pytest.mark.parametrize("service", [case_make_rg_decision, case_make_cg_decision])
@pytest.mark.parametrize("forged", ["made_up", "Credibility", "positive", "credibility\x00", " other"])
def test_a_main_reason_outside_the_published_ones_is_refused_and_nothing_is_saved(caseworker, manager, service, forged):
    if service is case_make_rg_decision:
        case = worked_case(caseworker=caseworker, manager=manager)
    else:
        case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=31)
    version, decisions = case.version, case.decisions.count()
    with pytest.raises(InvalidInput, match="Select the main reason for the negative decision") as error:
        service(
            case_id=case.pk,
            actor=caseworker,
            outcome="negative",
            factors=[],
            reasons="Reasons.",
            decision_date=timezone.localdate(),
            negative_reason=forged,
        )
    assert error.value.field == "negative_reason"
    case.refresh_from_db()
    assert (case.version, case.decisions.count()) == (version, decisions)


# Conclusive Grounds ---------------------------------------------------------------------------------------------


def test_a_cg_decision_is_refused_until_the_recovery_period_ends_with_its_date(caseworker, manager):
    case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=10)
    ends = date_format(timezone.localdate() + timedelta(days=20), "j F Y")
    with pytest.raises(IllegalTransition, match=f"until the recovery period ends on {ends}"):
        make_decision(case, caseworker, stage="cg")
    assert not case.decisions.filter(stage="cg").exists()


def test_a_cg_decision_cannot_be_dated_before_the_recovery_period_ended(caseworker, manager):
    case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=35)
    with pytest.raises(InvalidInput, match="on or after") as error:
        make_decision(case, caseworker, stage="cg", decision_date=timezone.localdate() - timedelta(days=6))
    assert error.value.field == "decision_date"


@pytest.mark.parametrize(
    ("rg_days_ago", "later"),
    [(31, "rg_plus_90"), (60, "cg_plus_45"), (45, "both")],  # RG+90 is today+59, today+30, today+45
)
def test_a_positive_cg_confirms_the_victim_with_support_until_the_later_end(caseworker, manager, rg_days_ago, later):
    case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=rg_days_ago)
    today = timezone.localdate()
    make_decision(case, caseworker, stage="cg", decision_date=today, expected_version=case.version)
    assert_transition(case, version_before=3, kind=CaseEvent.Kind.DECISION_SERVED, changed=("status", "cg_decided_at"))
    rg_plus_90, cg_plus_45 = today - timedelta(days=rg_days_ago) + timedelta(days=90), today + timedelta(days=45)
    expected = {"rg_plus_90": rg_plus_90, "cg_plus_45": cg_plus_45, "both": rg_plus_90}[later]
    assert expected == max(rg_plus_90, cg_plus_45)
    assert case.support_ends_at == start_of_day(expected)
    assert (case.status, case.cg_decided_at is not None) == (Case.Status.CONFIRMED_VICTIM, True)
    assert (case.next_deadline_at, case.next_deadline_kind) == (case.support_ends_at, Case.DeadlineKind.SUPPORT_ENDS)
    assert Letter.objects.filter(decision__stage="cg").count() == 1


def test_a_negative_cg_waits_under_review_for_the_panel(caseworker, manager, reviewer):
    from tests.panels.factories import panel_with_members

    panel_with_members(members=2)
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route="panel")
    case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=31)
    decision = make_decision(case, caseworker, stage="cg", outcome="negative")
    assert_transition(case, version_before=3, kind=CaseEvent.Kind.DECISION_PROPOSED)
    assert case.status == Case.Status.CG_NEGATIVE_REVIEW
    assert (decision.state, decision.review_route, decision.served_at) == ("under_review", "panel", None)
    assert not Letter.objects.filter(decision=decision).exists()
    assert told(case.referral.submitted_by, Notification.Kind.DECISION_SERVED) == 1  # the RG only
    with pytest.raises(IllegalTransition, match="independent panel"):
        decision_review_agree(decision_id=decision.pk, actor=reviewer)


@pytest.fixture
def proposed_cg(caseworker, manager):
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route="second_reviewer")
    case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=31)
    return make_decision(case, caseworker, stage="cg", outcome="negative")


def test_the_second_reviewer_agrees_and_the_negative_cg_is_served(proposed_cg, manager):
    case = proposed_cg.case
    assert told(manager, Notification.Kind.REVIEW_NEEDED) == 1
    decision_review_agree(decision_id=proposed_cg.pk, actor=manager)
    assert_transition(case, version_before=4, kind=CaseEvent.Kind.DECISION_SERVED)
    assert case.status == Case.Status.CG_NEGATIVE_SERVED
    proposed_cg.refresh_from_db()
    served_on = timezone.localtime(proposed_cg.served_at).date()
    assert proposed_cg.reconsideration_deadline == served_on + timedelta(days=30)
    assert Letter.objects.filter(decision=proposed_cg).exists()
    assert "decision_agreed" in event_kinds(case)
    with pytest.raises(IllegalTransition, match="not waiting for a review"):
        decision_review_agree(decision_id=proposed_cg.pk, actor=manager)


def test_the_second_reviewer_returns_it_with_reasons_to_the_decision_maker(proposed_cg, caseworker, manager):
    case = proposed_cg.case
    with pytest.raises(InvalidInput) as error:
        decision_review_return(decision_id=proposed_cg.pk, actor=manager, reasons="  ")
    assert error.value.field == "reasons"
    decision_review_return(decision_id=proposed_cg.pk, actor=manager, reasons="Weigh the new evidence.")
    assert_transition(case, version_before=4, kind=CaseEvent.Kind.DECISION_RETURNED)
    assert case.status == Case.Status.AWAITING_CG
    proposed_cg.refresh_from_db()
    assert (proposed_cg.state, proposed_cg.review_reasons, proposed_cg.reviewed_by) == (
        "returned",
        "Weigh the new evidence.",
        manager,
    )
    assert told(caseworker, Notification.Kind.DECISION_RETURNED) == 1
    assert not Letter.objects.filter(decision=proposed_cg).exists()
    make_decision(case, caseworker, stage="cg")  # decided again
    case.refresh_from_db()
    assert case.status == Case.Status.CONFIRMED_VICTIM


@pytest.mark.parametrize("who", ["caseworker", "other_authority_manager", "first_responder"])
def test_only_a_manager_of_the_authority_reviews(proposed_cg, ieca, who):
    actor = {
        "caseworker": staff_of(proposed_cg.case.authority),
        "other_authority_manager": staff_of(ieca, Role.MANAGER),
        "first_responder": proposed_cg.case.referral.submitted_by,
    }[who]
    for review in (decision_review_agree, lambda **kw: decision_review_return(reasons="No.", **kw)):
        with pytest.raises(NotPermitted, match="Only a manager"):
            review(decision_id=proposed_cg.pk, actor=actor)
    proposed_cg.refresh_from_db()
    assert proposed_cg.state == "under_review"


# What the services refuse ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(Case.Status))
def test_decisions_are_refused_in_every_other_state_with_a_reason(status, caseworker, manager):
    case = case_in_any_state(status, caseworker=caseworker, manager=manager)
    version, decisions = case.version, case.decisions.count()
    words = STATUS_IN_WORDS[status]  # "is in its recovery period", never "is recovery period"
    if status != Case.Status.AWAITING_RG:
        with pytest.raises(IllegalTransition, match=f"reasonable grounds decision because {case.reference} {words}$"):
            make_decision(case, manager)
    if status not in (Case.Status.RECOVERY, Case.Status.AWAITING_CG):
        with pytest.raises(IllegalTransition, match=f"conclusive grounds decision because {case.reference} {words}$"):
            make_decision(case, manager, stage="cg")
    case.refresh_from_db()
    assert (case.status, case.version, case.decisions.count()) == (status, version, decisions)


def test_only_the_assigned_caseworker_or_a_manager_of_the_authority_decides(sca, ieca, caseworker, manager):
    case = worked_case(caseworker=caseworker, manager=manager)
    unassigned = worked_case(caseworker=manager, manager=manager)
    for actor, message in [
        (staff_of(ieca, Role.MANAGER), "Only staff of the authority"),
        (staff_of(sca), "assigned to someone else"),
        (case.referral.submitted_by, "Only staff of the authority"),
        (UserFactory(role=Role.SUPPORT_PROVIDER), "Only staff of the authority"),
        (staff_of(sca, Role.ANALYST), "Only staff of the authority"),
    ]:
        with pytest.raises(NotPermitted, match=message):
            make_decision(case, actor)
    from casework.services import case_release

    case_release(case_id=unassigned.pk, actor=manager)
    with pytest.raises(NotPermitted, match=r"Assign .* to yourself"):
        make_decision(unassigned, caseworker)
    make_decision(unassigned, manager)  # a manager needs no assignment
    assert not case.decisions.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reasons": "   "}, "reasons", "Enter the reasons for the decision"),
        ({"decision_date": timedelta(days=1)}, "decision_date", "today or in the past"),
        ({"decision_date": timedelta(days=-10)}, "decision_date", "when the case opened"),
        ({"factors": ["indicators", "made_up"]}, "factors", "objective factors from the referral"),
        ({"outcome": "maybe"}, "outcome", "Select whether the decision is positive or negative"),
        ({"decision_date": None}, "decision_date", "Enter the decision date"),
    ],
)
def test_bad_input_is_refused_for_its_field_and_nothing_is_saved(caseworker, manager, change, field, message):
    case = worked_case(
        caseworker=caseworker, manager=manager, opened_days_ago=3, answers={"indicators_identified": "yes"}
    )
    today = timezone.localdate()
    # A timedelta is a day counted from today, worked out when the test runs (a run may reach midnight after it
    # collected its tests).
    change = {name: today + value if isinstance(value, timedelta) else value for name, value in change.items()}
    arguments = {"outcome": "positive", "factors": [], "reasons": "Reasons.", "decision_date": today}
    with pytest.raises(InvalidInput, match=message) as error:
        case_make_rg_decision(case_id=case.pk, actor=caseworker, **{**arguments, **change})
    assert error.value.field == field
    case.refresh_from_db()
    assert (case.status, case.version, case.decisions.count()) == (Case.Status.AWAITING_RG, 2, 0)


def test_the_factors_are_those_the_referral_recorded_in_the_order_chosen_once_each(caseworker, manager):
    answers = {"indicators_identified": "yes", "exploitation_types": ["forced_labour"], "treatment": "Threatened."}
    case = worked_case(caseworker=caseworker, manager=manager, answers=answers)
    decision = make_decision(case, caseworker, factors=["treatment", "exploitation:forced_labour", "treatment"])
    assert decision.factors == ["treatment", "exploitation:forced_labour"]
    assert decision.reasons == "The account is consistent and the indicators recorded in the referral support it."


def test_a_decision_on_a_case_changed_since_the_form_opened_is_refused_and_changes_nothing(caseworker, manager):
    case = worked_case(caseworker=caseworker, manager=manager)
    stale = case.version - 1
    events = case.events.count()
    with pytest.raises(StaleCase, match="Someone else changed this case"):
        make_decision(case, caseworker, expected_version=stale)
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count(), case.decisions.count()) == (
        Case.Status.AWAITING_RG,
        2,
        events,
        0,
    )
    assert not Notification.objects.filter(kind=Notification.Kind.DECISION_SERVED).exists()


def test_a_decision_under_review_is_not_reviewed_while_the_case_is_suspended(proposed_cg, manager):
    from casework.services import case_resume, case_suspend

    case = proposed_cg.case
    case_suspend(case_id=case.pk, actor=manager, reason="Missing from their accommodation.")
    with pytest.raises(IllegalTransition, match="suspended"):
        decision_review_agree(decision_id=proposed_cg.pk, actor=manager)
    case_resume(case_id=case.pk, actor=manager)
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_REVIEW
    decision_review_agree(decision_id=proposed_cg.pk, actor=manager)
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_SERVED


def test_a_review_from_a_stale_page_changes_nothing(proposed_cg, manager):
    case = proposed_cg.case
    case.refresh_from_db()
    with pytest.raises(StaleCase):
        decision_review_agree(decision_id=proposed_cg.pk, actor=manager, expected_version=case.version - 1)
    with pytest.raises(StaleCase):
        decision_review_return(
            decision_id=proposed_cg.pk, actor=manager, reasons="Look again.", expected_version=case.version - 1
        )
    proposed_cg.refresh_from_db()
    assert (proposed_cg.state, proposed_cg.reviewed_by) == ("under_review", None)
    assert not Letter.objects.filter(decision=proposed_cg).exists()
