"""Dates the case lives by, with time moved on (time_machine): the RG target in working days, the end of the
recovery period, and the support end date with its warnings, as the periodic job `cases_track_deadlines` sees
them, run as often as it likes."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case, CaseEvent, Policy
from casework.services import (
    IllegalTransition,
    case_open_for_referral,
    case_resume,
    case_suspend,
    cases_track_deadlines,
)
from notifications.models import Notification
from tests.casework.factories import SubmittedReferralFactory, assert_transition, make_decision, worked_case
from tests.factories import SupportProviderFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOTHING = {"recovery_ended": 0, "support_warned": 0, "closed": 0}


def at(day: date, hour: int = 10, minute: int = 0):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON), tick=False)


def track_on(day: date, hour: int = 6, minute: int = 0) -> dict:
    with at(day, hour, minute):
        return cases_track_deadlines()


@pytest.mark.parametrize(
    ("submitted_at", "due_at"),
    [
        # Good Friday 26 and Easter Monday 29 March 2027.
        (datetime(2027, 3, 24, 10, tzinfo=LONDON), datetime(2027, 4, 2, 10, tzinfo=LONDON)),
        # Christmas Day and Boxing Day 2027 fall at the weekend: Monday 27 and Tuesday 28 December are holidays.
        (datetime(2027, 12, 22, 10, tzinfo=LONDON), datetime(2027, 12, 31, 10, tzinfo=LONDON)),
        # ... and New Year's Day 2028 (a Saturday) moves to Monday 3 January.
        (datetime(2027, 12, 23, 15, tzinfo=LONDON), datetime(2028, 1, 4, 15, tzinfo=LONDON)),
        # Clocks go forward on 29 March 2026 and Easter follows: 10:00 stays 10:00 in London.
        (datetime(2026, 3, 27, 10, tzinfo=LONDON), datetime(2026, 4, 7, 10, tzinfo=LONDON)),
        # Boxing Day 2026 (a Saturday) moves to Monday 28 December.
        (datetime(2026, 12, 24, 9, tzinfo=LONDON), datetime(2027, 1, 5, 9, tzinfo=LONDON)),
    ],
)
def test_the_rg_is_due_five_working_days_after_the_referral(sca, submitted_at, due_at):
    with time_machine.travel(submitted_at, tick=False):
        case = case_open_for_referral(referral=SubmittedReferralFactory(submitted_at=submitted_at))
    case.refresh_from_db()
    assert case.rg_due_at == due_at
    assert (case.next_deadline_at, case.next_deadline_kind) == (due_at, Case.DeadlineKind.RG_DUE)


@pytest.mark.parametrize(
    ("nation", "ends_on"), [(Nation.ENGLAND, date(2026, 4, 1)), (Nation.SCOTLAND, date(2026, 5, 31))]
)
def test_the_recovery_period_ends_exactly_once_when_its_end_passes(caseworker, manager, nation, ends_on):
    with at(date(2026, 3, 2)):
        case = worked_case(caseworker=caseworker, manager=manager, opened_days_ago=1, nation=nation)
        make_decision(case, caseworker)
    case.refresh_from_db()
    assert case.recovery_ends_at == datetime(ends_on.year, ends_on.month, ends_on.day, tzinfo=LONDON)
    version = case.version
    the_day_before = ends_on - timedelta(days=1)
    assert track_on(the_day_before, 23, 59) == NOTHING
    with at(the_day_before, 23, 59), pytest.raises(IllegalTransition, match=f"ends on {ends_on.day} "):
        make_decision(case, caseworker, stage="cg")
    assert track_on(ends_on, 0, 0) == {**NOTHING, "recovery_ended": 1}
    assert_transition(case, version_before=version, kind=CaseEvent.Kind.RECOVERY_ENDED, changed=("status",))
    assert (case.status, case.next_deadline_at, case.events.last().actor) == (Case.Status.AWAITING_CG, None, None)
    for day in (ends_on, ends_on + timedelta(days=1)):
        assert track_on(day, 12) == NOTHING
    case.refresh_from_db()
    assert (case.version, case.events.filter(kind="recovery_ended").count()) == (version + 1, 1)
    with at(ends_on):
        make_decision(case, caseworker, stage="cg")
    case.refresh_from_db()
    assert case.status == Case.Status.CONFIRMED_VICTIM


def test_a_recovery_period_that_ends_while_suspended_ends_after_resumption(caseworker, manager):
    with at(date(2026, 3, 2)):
        case = worked_case(caseworker=caseworker, manager=manager, opened_days_ago=1)
        make_decision(case, caseworker)
        case_suspend(case_id=case.pk, actor=caseworker, reason="Missing.")
    assert track_on(date(2026, 4, 2)) == NOTHING
    with at(date(2026, 4, 3)):
        case_resume(case_id=case.pk, actor=caseworker)
    assert track_on(date(2026, 4, 3), 11) == {**NOTHING, "recovery_ended": 1}
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_CG


@pytest.fixture
def confirmed(caseworker, manager):
    """Positive RG on Monday 5 January 2026, positive CG on 4 February when recovery ended: support ends at the
    start of 5 April (RG + 90 days, later than CG + 45 days, 21 March), a Sunday after the clocks went forward."""
    provider = SupportProviderFactory()
    provider_staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    Policy.objects.filter(nation=Nation.ENGLAND).update(support_provider=provider)
    with at(date(2026, 1, 5)):
        case = worked_case(caseworker=caseworker, manager=manager, opened_days_ago=1, answers={"wants_support": "yes"})
        make_decision(case, caseworker)
    assert track_on(date(2026, 2, 4)) == {**NOTHING, "recovery_ended": 1}
    with at(date(2026, 2, 4)):
        make_decision(case, caseworker, stage="cg")
    case.refresh_from_db()
    assert case.support_ends_at == datetime(2026, 4, 5, tzinfo=LONDON)
    return case, provider_staff


def support_ending_told(user) -> list[date]:
    sent = Notification.objects.filter(recipient=user, kind=Notification.Kind.SUPPORT_ENDING).order_by("pk")
    return [created.date() for created in sent.values_list("created_at", flat=True)]


def test_support_warnings_go_14_and_7_days_before_the_end_then_the_case_closes(confirmed, caseworker):
    case, provider_staff = confirmed
    results = {}
    day = date(2026, 3, 15)
    while day <= date(2026, 4, 7):
        for hour in (0, 6, 18):  # the job runs many times a day: nothing twice
            result = track_on(day, hour, 30)
            if result != NOTHING:
                results[(day, hour)] = result
        day += timedelta(days=1)
    assert results == {
        (date(2026, 3, 22), 0): {**NOTHING, "support_warned": 1},  # 13 days 22.5 hours left
        (date(2026, 3, 29), 0): {**NOTHING, "support_warned": 1},  # GMT until 01:00: 6 days 22.5 hours left
        (date(2026, 4, 5), 0): {**NOTHING, "closed": 1},
    }
    for user in (provider_staff, caseworker):
        assert support_ending_told(user) == [date(2026, 3, 22), date(2026, 3, 29)]
    warned = case.events.filter(kind=CaseEvent.Kind.SUPPORT_ENDING_WARNED)
    assert [event.data["days"] for event in warned] == [14, 7]
    case.refresh_from_db()
    assert (case.status, case.support_warning_days_sent) == (Case.Status.CLOSED, 7)
    assert case.closed_at == datetime(2026, 4, 5, 0, 30, tzinfo=LONDON)
    assert case.events.last().data == {
        "reason": "support_ended",
        "from_status": "confirmed_victim",
        "to_status": "closed",
    }
    assert case.events.filter(kind="closed").count() == 1


def test_a_job_that_first_runs_in_the_last_week_sends_only_the_last_warning(confirmed, caseworker):
    case, provider_staff = confirmed
    assert track_on(date(2026, 3, 31)) == {**NOTHING, "support_warned": 1}
    assert track_on(date(2026, 4, 1)) == NOTHING
    assert support_ending_told(provider_staff) == [date(2026, 3, 31)]
    case.refresh_from_db()
    assert case.support_warning_days_sent == 7


def test_support_of_a_suspended_case_neither_warns_nor_closes(confirmed, caseworker):
    case, provider_staff = confirmed
    with at(date(2026, 3, 20)):
        case_suspend(case_id=case.pk, actor=caseworker, reason="Missing.")
    assert track_on(date(2026, 3, 25)) == track_on(date(2026, 4, 10)) == NOTHING
    with at(date(2026, 4, 11)):
        case_resume(case_id=case.pk, actor=caseworker)
    assert track_on(date(2026, 4, 11), 12) == {**NOTHING, "closed": 1}
    assert support_ending_told(provider_staff) == []
