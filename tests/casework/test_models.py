import pytest

from accounts.models import Nation
from casework.events import EventPayloadError
from casework.models import Case, CaseEvent, Policy, ReviewRoute
from tests.casework.factories import AwaitingRgCaseFactory


@pytest.mark.parametrize(
    ("nation", "recovery_days"),
    [(Nation.ENGLAND, 30), (Nation.WALES, 30), (Nation.SCOTLAND, 90), (Nation.NORTHERN_IRELAND, 45)],
)
def test_each_nation_has_a_policy_with_the_defaults_of_the_domain(db, nation, recovery_days):
    policy = Policy.for_nation(nation)
    assert policy.pk is not None
    assert policy.recovery_days == recovery_days
    assert (
        policy.rg_target_working_days,
        policy.move_on_days,
        policy.minimum_support_days,
        policy.reconsideration_window_days,
        policy.information_request_working_days,
        policy.review_negative_rg,
        policy.negative_cg_review_route,
        policy.duplicate_lookback_days,
    ) == (5, 45, 90, 30, 10, True, ReviewRoute.PANEL, 365)


def test_policy_changes_are_kept_in_history(db):
    policy = Policy.for_nation(Nation.WALES)
    policy.recovery_days = 45
    policy.save()
    assert [h.recovery_days for h in policy.history.order_by("history_date")][-1] == 45


def test_a_timeline_event_records_its_kind_actor_and_values(db):
    case = AwaitingRgCaseFactory()
    event = CaseEvent.record(case, None, CaseEvent.Kind.INFORMATION_REQUESTED, request_id=7, due=case.rg_due_at.date())
    event.refresh_from_db()
    assert (event.case, event.actor, event.kind) == (case, None, "information_requested")
    assert event.data == {
        "request_id": 7,
        "due": case.rg_due_at.date().isoformat(),
        "from_status": "awaiting_rg",
        "to_status": "awaiting_rg",
    }


def test_an_unknown_event_kind_is_refused(db):
    case = AwaitingRgCaseFactory()
    events_before = case.events.count()
    with pytest.raises(EventPayloadError, match="No payload is declared"):
        CaseEvent.record(case, None, "made_up")
    assert case.events.count() == events_before


def test_every_status_has_a_label_in_plain_words():
    assert Case.Status.AWAITING_RG.label == "Awaiting reasonable grounds decision"
    assert all(status.label and "_" not in status.label for status in Case.Status)
