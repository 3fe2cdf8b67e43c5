"""The support provider's own records (casework.services.support): support started, the Recovery Needs
Assessment, extensions by policy, the person missing, support ended. Each one move of the lifecycle table: locked,
versioned, one typed event, the caseworker told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import (
    Case,
    CaseEvent,
    Policy,
    RecoveryNeed,
    SupportEndReason,
    SupportExtension,
    SupportExtensionReason,
    SupportRecord,
)
from casework.selectors.timeline import Lookups, timeline_entry
from casework.services import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    StaleCase,
    case_resume,
    case_support_end,
    case_support_extend,
    case_support_person_missing,
    case_support_rna_record,
    case_support_start,
    case_suspend,
)
from notifications.models import Notification
from tests.casework.factories import case_in_any_state, case_in_state
from tests.factories import SupportProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

SUPPORTING = {
    Case.Status.RECOVERY,
    Case.Status.AWAITING_CG,
    Case.Status.CG_NEGATIVE_REVIEW,
    Case.Status.CONFIRMED_VICTIM,
    Case.Status.CG_NEGATIVE_SERVED,
    Case.Status.SUSPENDED,
}


@pytest.fixture
def provider():
    return SupportProviderFactory(nation=Nation.ENGLAND)


@pytest.fixture
def provider_staff(provider):
    return UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)


def supported(status, *, provider, caseworker, manager, **kwargs) -> Case:
    """A case of an adult who wants support, referred to `provider` at its positive RG, worked by `caseworker`."""
    Policy.objects.update_or_create(nation=Nation.ENGLAND, defaults={"support_provider": provider})
    case = case_in_state(
        status,
        caseworker=caseworker,
        manager=manager,
        authority=caseworker.organisation,
        answers={"wants_support": "yes"},
        opened_days_ago=kwargs.pop("opened_days_ago", 40),
        **kwargs,
    )
    Case.objects.filter(pk=case.pk).update(assignee=caseworker)
    case.refresh_from_db()
    assert case.support_provider == provider
    return case


@pytest.fixture
def recovering(provider, caseworker, manager):
    return supported(Case.Status.RECOVERY, provider=provider, caseworker=caseworker, manager=manager)


def today():
    return timezone.localdate()


def started(case, actor) -> Case:
    case_support_start(case_id=case.pk, actor=actor, started_on=today())
    case.refresh_from_db()
    return case


def told(user, kind) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def newest_event(case) -> CaseEvent:
    return case.events.order_by("-created_at", "-pk").first()


# --- support started -----------------------------------------------------------------------------------------------
def test_the_provider_records_that_support_started_and_the_caseworker_is_told(recovering, provider_staff, caseworker):
    version = recovering.version
    record = case_support_start(case_id=recovering.pk, actor=provider_staff, started_on=today())
    recovering.refresh_from_db()
    assert record.started_on == today()
    assert recovering.version == version + 1
    assert recovering.status == Case.Status.RECOVERY  # the record moves no status
    event = newest_event(recovering)
    assert (event.kind, event.actor, event.data["started_on"]) == (
        CaseEvent.Kind.SUPPORT_BEGAN,
        provider_staff,
        today().isoformat(),
    )
    assert told(caseworker, Notification.Kind.SUPPORT_BEGAN) == 1
    assert Notification.objects.get(kind=Notification.Kind.SUPPORT_BEGAN).reference == recovering.reference


def test_support_is_recorded_as_started_once(recovering, provider_staff):
    started(recovering, provider_staff)
    with pytest.raises(IllegalTransition, match="already recorded as started"):
        case_support_start(case_id=recovering.pk, actor=provider_staff, started_on=today())
    assert SupportRecord.objects.count() == 1


def test_only_the_provider_the_person_was_referred_to_records_support(recovering, caseworker, manager):
    someone_else = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=SupportProviderFactory())
    for actor in (someone_else, caseworker, manager):
        with pytest.raises(NotPermitted):
            case_support_start(case_id=recovering.pk, actor=actor, started_on=today())
    assert not SupportRecord.objects.exists()


@pytest.mark.parametrize("status", sorted(set(Case.Status) - SUPPORTING - {Case.Status.CLOSED}))
def test_support_cannot_be_recorded_as_started_where_it_does_not_run(status, provider, provider_staff):
    case = case_in_any_state(status)
    Case.objects.filter(pk=case.pk).update(support_provider=provider)
    with pytest.raises(IllegalTransition):
        case_support_start(case_id=case.pk, actor=provider_staff, started_on=today())


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "must be today or in the past"), (-60, "on or after the day the person was referred for support")],
)
def test_a_start_date_in_the_future_or_before_the_referral_for_support_is_refused(
    recovering, provider_staff, days, message
):
    with pytest.raises(InvalidInput, match=message) as refused:
        case_support_start(case_id=recovering.pk, actor=provider_staff, started_on=today() + timedelta(days=days))
    assert refused.value.field == "started_on"
    assert not SupportRecord.objects.exists()


def test_a_form_opened_before_another_change_is_refused(recovering, provider_staff):
    stale = recovering.version
    started(recovering, provider_staff)
    with pytest.raises(StaleCase):
        case_support_rna_record(
            case_id=recovering.pk,
            actor=provider_staff,
            completed_on=today(),
            needs=[RecoveryNeed.ACCOMMODATION],
            expected_version=stale,
        )
    assert SupportRecord.objects.get().rna_completed_on is None


# --- the Recovery Needs Assessment -------------------------------------------------------------------------------
def test_the_needs_assessment_is_recorded_with_needs_from_the_list(recovering, provider_staff, caseworker):
    started(recovering, provider_staff)
    needs = [RecoveryNeed.ACCOMMODATION, RecoveryNeed.MENTAL_HEALTH]
    record = case_support_rna_record(case_id=recovering.pk, actor=provider_staff, completed_on=today(), needs=needs)
    assert (record.rna_completed_on, record.rna_needs) == (today(), needs)
    assert newest_event(recovering).data["needs"] == needs
    assert told(caseworker, Notification.Kind.RNA_RECORDED) == 1


def test_the_needs_assessment_needs_support_started_and_needs_from_the_list(recovering, provider_staff):
    with pytest.raises(IllegalTransition, match=r"Record that support of .* started first"):
        case_support_rna_record(
            case_id=recovering.pk, actor=provider_staff, completed_on=today(), needs=[RecoveryNeed.LEGAL]
        )
    started(recovering, provider_staff)
    for needs, field in (([], "needs"), (["trafficked_by_uncle"], "needs")):
        with pytest.raises(InvalidInput) as refused:
            case_support_rna_record(case_id=recovering.pk, actor=provider_staff, completed_on=today(), needs=needs)
        assert refused.value.field == field
    with pytest.raises(InvalidInput, match="on or after the day support started"):
        case_support_rna_record(
            case_id=recovering.pk,
            actor=provider_staff,
            completed_on=today() - timedelta(days=1),
            needs=[RecoveryNeed.LEGAL],
        )


# --- extensions ----------------------------------------------------------------------------------------------------
def assessed(case, actor) -> Case:
    started(case, actor)
    case_support_rna_record(case_id=case.pk, actor=actor, completed_on=today(), needs=[RecoveryNeed.HEALTHCARE])
    case.refresh_from_db()
    return case


def test_an_extension_moves_the_support_end_date_with_its_reason(recovering, provider_staff, caseworker):
    case = assessed(recovering, provider_staff)
    Case.objects.filter(pk=case.pk).update(support_warning_days_sent=7)
    before = timezone.localtime(case.support_ends_at).date()
    new_end = before + timedelta(days=30)
    extension = case_support_extend(
        case_id=case.pk, actor=provider_staff, ends_on=new_end, reason=SupportExtensionReason.RNA_NEEDS
    )
    case.refresh_from_db()
    assert timezone.localtime(case.support_ends_at).date() == new_end
    assert case.support_warning_days_sent is None  # warned again before the new end
    assert (extension.previous_ends_on, extension.ends_on, extension.recorded_by) == (before, new_end, provider_staff)
    event = newest_event(case)
    assert event.kind == CaseEvent.Kind.SUPPORT_EXTENDED
    assert event.data["reason"] == SupportExtensionReason.RNA_NEEDS
    assert (event.data["previous_ends_on"], event.data["ends_on"]) == (before.isoformat(), new_end.isoformat())
    assert told(caseworker, Notification.Kind.SUPPORT_EXTENDED) == 1


def test_by_policy_support_is_extended_only_after_the_needs_assessment(recovering, provider_staff):
    case = started(recovering, provider_staff)
    new_end = timezone.localtime(case.support_ends_at).date() + timedelta(days=10)
    with pytest.raises(IllegalTransition, match="Record the Recovery Needs Assessment"):
        case_support_extend(case_id=case.pk, actor=provider_staff, ends_on=new_end, reason="health")
    Case.objects.filter(pk=case.pk).update(policy_overrides={"support_extension_needs_rna": False})
    case_support_extend(case_id=case.pk, actor=provider_staff, ends_on=new_end, reason="health")
    assert SupportExtension.objects.count() == 1


def test_an_extension_is_later_than_now_and_within_the_policys_days(recovering, provider_staff):
    case = assessed(recovering, provider_staff)
    current = timezone.localtime(case.support_ends_at).date()
    Case.objects.filter(pk=case.pk).update(policy_overrides={"support_extension_max_days": 20})
    refused = {
        current: "must be after",
        current + timedelta(days=21): "up to 20 days at a time",
    }
    for ends_on, message in refused.items():
        with pytest.raises(InvalidInput, match=message):
            case_support_extend(case_id=case.pk, actor=provider_staff, ends_on=ends_on, reason="move_on")
    with pytest.raises(InvalidInput, match="Select why support is being extended"):
        case_support_extend(case_id=case.pk, actor=provider_staff, ends_on=current + timedelta(days=5), reason="")
    case_support_extend(case_id=case.pk, actor=provider_staff, ends_on=current + timedelta(days=20), reason="move_on")
    assert not SupportExtension.objects.filter(ends_on__gt=current + timedelta(days=20)).exists()


# --- missing -------------------------------------------------------------------------------------------------------
def test_a_person_reported_missing_tells_the_caseworker_and_managers_who_can_suspend(
    recovering, provider_staff, caseworker, manager
):
    case = started(recovering, provider_staff)
    case_support_person_missing(case_id=case.pk, actor=provider_staff, last_seen_on=today())
    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY  # the authority decides whether to suspend
    assert SupportRecord.objects.get().last_seen_on == today()
    assert told(caseworker, Notification.Kind.PERSON_MISSING) == 1
    assert told(manager, Notification.Kind.PERSON_MISSING) == 1
    with pytest.raises(IllegalTransition, match="already reported missing"):
        case_support_person_missing(case_id=case.pk, actor=provider_staff, last_seen_on=today())
    case_suspend(case_id=case.pk, actor=caseworker, reason="Missing from their accommodation.")
    with pytest.raises(IllegalTransition):  # suspended: the authority already knows
        case_support_person_missing(case_id=case.pk, actor=provider_staff, last_seen_on=today())
    case_resume(case_id=case.pk, actor=caseworker, reason="Found.")
    assert SupportRecord.objects.get().last_seen_on is None
    case_support_person_missing(case_id=case.pk, actor=provider_staff, last_seen_on=today())  # missing again


# --- support ended -------------------------------------------------------------------------------------------------
def test_support_ended_ends_the_cases_support_and_no_more_records_follow(recovering, provider_staff, caseworker):
    case = started(recovering, provider_staff)
    record = case_support_end(case_id=case.pk, actor=provider_staff, ended_on=today(), reason=SupportEndReason.MOVED_ON)
    case.refresh_from_db()
    assert (record.ended_on, record.end_reason) == (today(), SupportEndReason.MOVED_ON)
    assert timezone.localtime(case.support_ends_at).date() == today()
    assert told(caseworker, Notification.Kind.SUPPORT_ENDED) == 1
    for service, arguments in (
        (case_support_end, {"ended_on": today(), "reason": "moved_on"}),
        (case_support_person_missing, {"last_seen_on": today()}),
        (case_support_rna_record, {"completed_on": today(), "needs": ["legal"]}),
    ):
        with pytest.raises(IllegalTransition, match="ended on"):
            service(case_id=case.pk, actor=provider_staff, **arguments)


def test_support_ended_needs_a_reason_from_the_list(recovering, provider_staff):
    case = started(recovering, provider_staff)
    with pytest.raises(InvalidInput, match="Select why support ended"):
        case_support_end(case_id=case.pk, actor=provider_staff, ended_on=today(), reason="they annoyed us")
    assert SupportRecord.objects.get().ended_on is None


def test_with_no_caseworker_the_managers_are_told(recovering, provider_staff, caseworker, manager):
    Case.objects.filter(pk=recovering.pk).update(assignee=None)
    started(recovering, provider_staff)
    assert told(manager, Notification.Kind.SUPPORT_BEGAN) == 1
    assert told(caseworker, Notification.Kind.SUPPORT_BEGAN) == 0


# --- the caseworker's timeline ---------------------------------------------------------------------------------------
def test_the_timeline_tells_the_support_record_in_words(recovering, provider_staff):
    case = assessed(recovering, provider_staff)
    current = timezone.localtime(case.support_ends_at).date()
    case_support_extend(case_id=case.pk, actor=provider_staff, ends_on=current + timedelta(days=7), reason="health")
    case_support_person_missing(case_id=case.pk, actor=provider_staff, last_seen_on=today())
    case_support_end(case_id=case.pk, actor=provider_staff, ended_on=today(), reason="missing")
    kinds = [
        CaseEvent.Kind.SUPPORT_BEGAN,
        CaseEvent.Kind.RNA_RECORDED,
        CaseEvent.Kind.SUPPORT_EXTENDED,
        CaseEvent.Kind.PERSON_MISSING,
        CaseEvent.Kind.SUPPORT_ENDED,
    ]
    events = list(case.events.filter(kind__in=kinds).order_by("created_at", "pk"))
    assert [event.kind for event in events] == kinds
    lookups = Lookups(
        events, notes=[], decisions=[], information_requests=[], reconsiderations=[], cases={}, suspend_url="/s"
    )
    words = [" / ".join(timeline_entry(event, lookups).lines) for event in events]
    day = f"{today():%-d %B %Y}"
    assert words[0] == f"Support started on {day}"
    assert words[1] == f"Assessment completed on {day} / Needs found: Medical care"
    assert f"Support ends on {current + timedelta(days=7):%-d %B %Y} (was {current:%-d %B %Y})" in words[2]
    assert "Reason: The person's health needs more time" in words[2]
    assert words[3] == f"Last seen on {day}"
    assert timeline_entry(events[3], lookups).link.text == "Suspend the case"
    assert words[4] == f"Support ended on {day} / Reason: The person is missing and has not been found"
