"""Reconsideration of a served negative decision (casework.services.reconsideration): who may ask and when,
one request at a time, and a manager's acceptance (the case reopens at the decided stage) or refusal."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Nation
from accounts.roles import Role
from casework.lifecycle.states import STATUS_IN_WORDS
from casework.models import Case, CaseEvent, Decision, Policy, Reconsideration
from casework.rules import can_request_reconsideration
from casework.services import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    StaleCase,
    reconsideration_accept,
    reconsideration_decline,
    reconsideration_request,
)
from notifications.models import Notification
from tests.casework.factories import (
    assert_transition,
    case_in_any_state,
    case_in_state,
    make_decision,
    staff_of,
)
from tests.factories import SupportProviderFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
GROUNDS = [Reconsideration.Ground.NEW_EVIDENCE]


@pytest.fixture
def rg_refused(caseworker, manager) -> Case:
    return case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)


@pytest.fixture
def cg_refused(caseworker, manager) -> Case:
    return case_in_state(Case.Status.CG_NEGATIVE_SERVED, opened_days_ago=40, caseworker=caseworker, manager=manager)


def ask(case, actor=None, **kwargs) -> Reconsideration:
    kwargs.setdefault("grounds", GROUNDS)
    kwargs.setdefault("details", "A new witness statement.")
    return reconsideration_request(case_id=case.pk, actor=actor or case.referral.submitted_by, **kwargs)


def told(user, kind) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_the_first_responder_asks_within_the_window_and_the_managers_are_told(rg_refused, manager):
    decision = rg_refused.decisions.get()
    colleague = UserFactory(role=Role.FIRST_RESPONDER, organisation=rg_refused.referral.organisation)
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):  # the last day of the window
        request = ask(rg_refused, colleague, expected_version=rg_refused.version)
    assert_transition(rg_refused, version_before=4, kind=CaseEvent.Kind.RECONSIDERATION_REQUESTED, changed=())
    assert (request.decision, request.is_late, request.state, request.requester_organisation) == (
        decision,
        False,
        "pending",
        rg_refused.referral.organisation,
    )
    assert rg_refused.events.last().data == {
        "reconsideration_id": request.pk,
        "decision_id": decision.pk,
        "late": False,
        "from_status": "rg_negative_served",
        "to_status": "rg_negative_served",
    }
    assert told(manager, Notification.Kind.RECONSIDERATION_REQUESTED) == 1
    with pytest.raises(IllegalTransition, match="already waiting"):
        ask(rg_refused)
    assert Reconsideration.objects.count() == 1


def test_a_late_request_needs_exceptional_circumstances(cg_refused):
    deadline = cg_refused.decisions.get(stage="cg").reconsideration_deadline
    assert deadline == timezone.localdate() + timedelta(days=30)
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        with pytest.raises(InvalidInput, match=f"ended on {date_format(deadline, 'j F Y')}") as error:
            ask(cg_refused, exceptional_circumstances="  ")
        assert error.value.field == "exceptional_circumstances"
        request = ask(cg_refused, exceptional_circumstances="They were in hospital.")
    assert (request.is_late, request.exceptional_circumstances) == (True, "They were in hospital.")


def test_exceptional_circumstances_are_not_kept_for_a_request_in_time(rg_refused):
    assert ask(rg_refused, exceptional_circumstances="Not needed.").exceptional_circumstances == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"grounds": []}, "grounds"),
        ({"grounds": ["because"]}, "grounds"),
        ({"details": "  "}, "details"),
    ],
)
def test_grounds_and_details_are_needed(rg_refused, change, field):
    with pytest.raises(InvalidInput) as error:
        ask(rg_refused, **change)
    assert error.value.field == field
    assert not Reconsideration.objects.exists()


@pytest.mark.parametrize("status", list(Case.Status))
def test_only_a_served_negative_decision_can_be_reconsidered(status, manager):
    case = case_in_any_state(status, manager=manager)
    if status in (Case.Status.RG_NEGATIVE_SERVED, Case.Status.CG_NEGATIVE_SERVED):
        assert ask(case, manager).requested_by == manager  # the authority's staff ask on the person's behalf
        return
    with pytest.raises(
        IllegalTransition, match=f"served negative decision: {case.reference} {STATUS_IN_WORDS[status]}$"
    ):
        ask(case, manager)


def test_the_support_provider_asks_only_for_the_cases_it_supports(caseworker, manager, ieca):
    provider = SupportProviderFactory()
    Policy.objects.filter(nation=Nation.ENGLAND).update(support_provider=provider)
    supported = case_in_state(
        Case.Status.CG_NEGATIVE_SERVED,
        opened_days_ago=40,
        caseworker=caseworker,
        manager=manager,
        answers={"wants_support": "yes"},
    )
    not_supported = case_in_state(
        Case.Status.CG_NEGATIVE_SERVED, opened_days_ago=40, caseworker=caseworker, manager=manager
    )
    provider_staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    assert supported.support_provider == provider
    assert ask(supported, provider_staff).requester_organisation == provider
    for case, outsider in [
        (not_supported, provider_staff),
        (supported, UserFactory(role=Role.SUPPORT_PROVIDER)),
        (supported, UserFactory(role=Role.FIRST_RESPONDER)),
        (supported, staff_of(ieca, Role.MANAGER)),
        (supported, UserFactory(role=Role.PANEL_MEMBER)),
        (supported, UserFactory(role=Role.FIRST_RESPONDER, organisation=provider, is_active=False)),
    ]:
        assert not can_request_reconsideration(outsider, case)
        with pytest.raises(NotPermitted, match="You cannot ask for reconsideration"):
            ask(case, outsider)


def test_accepting_an_rg_reconsideration_reopens_the_rg_with_a_new_target_date(rg_refused, manager, caseworker):
    earlier = rg_refused.decisions.get()
    with time_machine.travel(datetime(2026, 12, 24, 10, tzinfo=LONDON), tick=False):  # Thursday, Christmas Eve
        request = ask(rg_refused)
        rg_refused.refresh_from_db()
        version = rg_refused.version
        reconsideration_accept(reconsideration_id=request.pk, actor=manager, expected_version=version)
    assert_transition(
        rg_refused,
        version_before=version,
        kind=CaseEvent.Kind.RECONSIDERATION_ACCEPTED,
        changed=("status", "rg_due_at", "next_deadline_at"),
    )
    assert rg_refused.status == Case.Status.AWAITING_RG
    # 29, 30, 31 December, 4 and 5 January: Christmas Day, Boxing Day's substitute and New Year's Day are holidays.
    assert rg_refused.rg_due_at == datetime(2027, 1, 5, 10, tzinfo=LONDON)
    assert rg_refused.next_deadline_at == rg_refused.rg_due_at
    earlier.refresh_from_db()
    assert (earlier.state, earlier.outcome) == (Decision.State.SERVED, "negative")
    request.refresh_from_db()
    assert (request.state, request.decided_by, request.decision_reasons) == ("accepted", manager, "")
    assert (
        told(rg_refused.referral.submitted_by, Notification.Kind.RECONSIDERATION_DECIDED) == 1
    )  # the requester and referrer
    make_decision(rg_refused, caseworker)
    rg_refused.refresh_from_db()
    assert rg_refused.status == Case.Status.RECOVERY
    assert list(rg_refused.decisions.values_list("outcome", "state")) == [
        ("negative", "served"),
        ("positive", "served"),
    ]


def test_accepting_a_cg_reconsideration_reopens_the_cg(cg_refused, caseworker, manager):
    requester = staff_of(cg_refused.authority)
    request = ask(cg_refused, requester)
    reconsideration_accept(reconsideration_id=request.pk, actor=manager, reasons="The guidance was not applied.")
    cg_refused.refresh_from_db()
    assert cg_refused.status == Case.Status.AWAITING_CG
    request.refresh_from_db()
    assert request.decision_reasons == "The guidance was not applied."
    assert told(requester, Notification.Kind.RECONSIDERATION_DECIDED) == 1
    assert told(cg_refused.referral.submitted_by, Notification.Kind.RECONSIDERATION_DECIDED) == 1
    make_decision(cg_refused, caseworker, stage="cg")
    cg_refused.refresh_from_db()
    assert cg_refused.status == Case.Status.CONFIRMED_VICTIM
    assert cg_refused.decisions.filter(stage="cg", state="served").count() == 2


def test_declining_needs_reasons_and_leaves_the_decision_standing(cg_refused, manager):
    request = ask(cg_refused)
    with pytest.raises(InvalidInput, match="Enter why the reconsideration is declined") as error:
        reconsideration_decline(reconsideration_id=request.pk, actor=manager, reasons=" ")
    assert error.value.field == "reasons"
    cg_refused.refresh_from_db()
    version = cg_refused.version
    reconsideration_decline(reconsideration_id=request.pk, actor=manager, reasons="Nothing new.")
    assert_transition(cg_refused, version_before=version, kind=CaseEvent.Kind.RECONSIDERATION_DECLINED, changed=())
    assert cg_refused.status == Case.Status.CG_NEGATIVE_SERVED
    request.refresh_from_db()
    assert (request.state, request.decision_reasons) == ("declined", "Nothing new.")
    assert told(cg_refused.referral.submitted_by, Notification.Kind.RECONSIDERATION_DECIDED) == 1
    for decide in (reconsideration_accept, reconsideration_decline):
        with pytest.raises(IllegalTransition, match="has been declined"):
            decide(reconsideration_id=request.pk, actor=manager, reasons="Again.")
    assert ask(cg_refused).state == "pending"  # the decision can be asked about again


def test_only_a_manager_of_the_authority_decides_and_only_on_the_case_as_seen(rg_refused, caseworker, ieca, manager):
    request = ask(rg_refused)
    for outsider in (caseworker, staff_of(ieca, Role.MANAGER), rg_refused.referral.submitted_by):
        for decide in (reconsideration_accept, reconsideration_decline):
            with pytest.raises(NotPermitted, match="Only a manager"):
                decide(reconsideration_id=request.pk, actor=outsider, reasons="No.")
    rg_refused.refresh_from_db()
    with pytest.raises(StaleCase):
        reconsideration_accept(reconsideration_id=request.pk, actor=manager, expected_version=rg_refused.version - 1)
    request.refresh_from_db()
    assert request.state == "pending"
    assert rg_refused.status == Case.Status.RG_NEGATIVE_SERVED


def test_a_request_or_refusal_from_a_stale_page_changes_nothing(cg_refused, manager):
    with pytest.raises(StaleCase):
        ask(cg_refused, expected_version=cg_refused.version - 1)
    assert not Reconsideration.objects.exists()
    request = ask(cg_refused, expected_version=cg_refused.version)
    with pytest.raises(StaleCase):
        reconsideration_decline(
            reconsideration_id=request.pk, actor=manager, reasons="Nothing new.", expected_version=cg_refused.version
        )
    request.refresh_from_db()
    assert request.state == "pending"
