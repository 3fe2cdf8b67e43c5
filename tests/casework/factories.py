"""Submitted referrals written straight to the table (the referral journey is not needed to test casework),
and cases opened through the service, one factory per state."""

import factory
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case
from casework.services import case_open_for_referral
from referrals.models import Draft, Referral, Route
from tests.factories import FirstResponderOrganisationFactory, UserFactory


class SubmittedDraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Draft

    organisation = factory.SubFactory(FirstResponderOrganisationFactory)
    created_by = factory.SubFactory(
        UserFactory, role=Role.FIRST_RESPONDER, organisation=factory.SelfAttribute("..organisation")
    )
    last_changed_by = factory.SelfAttribute("created_by")
    submitted_at = factory.LazyFunction(timezone.now)


class SubmittedReferralFactory(factory.django.DjangoModelFactory):
    """An adult's NRM referral, submitted now in England, with no details that could match another."""

    class Meta:
        model = Referral

    reference = factory.Sequence(lambda n: f"NRM-2026-{n + 500000:06d}")
    route = Route.ADULT
    submitted_at = factory.LazyFunction(timezone.now)
    draft = factory.SubFactory(SubmittedDraftFactory, submitted_at=factory.SelfAttribute("..submitted_at"))
    organisation = factory.SelfAttribute("draft.organisation")
    submitted_by = factory.SelfAttribute("draft.created_by")
    answers = factory.LazyFunction(dict)
    nation = Nation.ENGLAND
    is_child = False


class ChildReferralFactory(SubmittedReferralFactory):
    route = Route.CHILD
    is_child = True


class DutyToNotifyReferralFactory(SubmittedReferralFactory):
    reference = factory.Sequence(lambda n: f"DTN-2026-{n + 500000:06d}")
    route = Route.DUTY_TO_NOTIFY


class AwaitingRgCaseFactory(factory.django.DjangoModelFactory):
    """A case opened by `case_open_for_referral`; other fields given (authority=..., assignee=...) are then
    written straight to the row."""

    class Meta:
        model = Case

    referral = factory.SubFactory(SubmittedReferralFactory)

    @classmethod
    def _create(cls, model_class, *args, referral, **fields):
        case = case_open_for_referral(referral=referral)
        if fields:
            model_class.objects.filter(pk=case.pk).update(**fields)
            case.refresh_from_db()
        return case


def case_in_state(
    status: str,
    *,
    opened_days_ago: int = 0,
    child: bool = False,
    caseworker=None,
    manager=None,
    authority=None,
    other=None,
    **referral_fields,
) -> Case:
    """A case driven to `status` through the real services (casework.lifecycle_driver). States after the
    recovery period need `opened_days_ago` (40 is enough; 130 for CLOSED)."""
    from datetime import timedelta

    from casework.lifecycle_driver import drive_case_to
    from casework.services import single_competent_authority

    authority = authority or single_competent_authority()
    submitted_at = timezone.now() - timedelta(days=opened_days_ago)
    referral_factory = ChildReferralFactory if child else SubmittedReferralFactory
    referral = referral_factory(submitted_at=submitted_at, **referral_fields)
    case = AwaitingRgCaseFactory(referral=referral, authority=authority, opened_at=submitted_at)
    caseworker = caseworker or UserFactory(role=Role.CASEWORKER, organisation=authority)
    manager = manager or UserFactory(role=Role.MANAGER, organisation=authority)
    return drive_case_to(case, status, caseworker=caseworker, manager=manager, other=other)


# Helpers of the service tests (tests/casework/test_services_*.py) ------------------------------------------------

DECISION_REASONS = "The account is consistent and the indicators recorded in the referral support it."


def staff_of(authority, role=Role.CASEWORKER, **fields):
    """A caseworker (or a manager, with role=Role.MANAGER) of `authority`."""
    return UserFactory(role=role, organisation=authority, **fields)


def worked_case(status: str = Case.Status.AWAITING_RG, *, caseworker, manager, **kwargs) -> Case:
    """`case_in_state` for `caseworker`'s authority, assigned to `caseworker` in every state that can be."""
    from casework.services import case_assign

    case = case_in_state(status, caseworker=caseworker, manager=manager, authority=caseworker.organisation, **kwargs)
    if case.assignee_id is None and status == Case.Status.AWAITING_RG:
        case = case_assign(case_id=case.pk, actor=manager, assignee=caseworker)
    return case


def make_decision(case, actor, *, stage="rg", outcome="positive", decision_date=None, factors=(), **kwargs):
    """A reasonable (stage="rg") or conclusive (stage="cg") grounds decision through its service."""
    from casework.services import case_make_cg_decision, case_make_rg_decision

    service = case_make_rg_decision if stage == "rg" else case_make_cg_decision
    return service(
        case_id=case.pk,
        actor=actor,
        outcome=outcome,
        factors=list(factors),
        reasons=kwargs.pop("reasons", DECISION_REASONS),
        decision_date=decision_date or timezone.localdate(),
        **kwargs,
    )


def recovery_case(*, caseworker, manager, rg_days_ago: int = 0, **kwargs) -> Case:
    """A case in RECOVERY after a positive RG dated `rg_days_ago` days ago (the case opened the day before).
    With rg_days_ago past the policy's recovery days the period is over but the periodic job has not run."""
    from datetime import timedelta

    case = worked_case(caseworker=caseworker, manager=manager, opened_days_ago=rg_days_ago + 1, **kwargs)
    make_decision(case, caseworker, decision_date=timezone.localdate() - timedelta(days=rg_days_ago))
    case.refresh_from_db()
    return case


def event_kinds(case) -> list[str]:
    return list(case.events.order_by("created_at", "pk").values_list("kind", flat=True))


def case_in_any_state(status: str, **kwargs) -> Case:
    """`case_in_state` opened long enough ago for any state, MERGED included (into a new case of the same
    authority)."""
    other = None
    if status == Case.Status.MERGED:
        other = case_in_state(Case.Status.AWAITING_RG, authority=kwargs.get("authority"))
    return case_in_state(status, opened_days_ago=130, other=other, **kwargs)


def assert_transition(case, *, version_before: int, kind: str, changed=("status",)) -> None:
    """The case moved once: one version more, `kind` its newest event, and its newest history row records a
    change of every field in `changed` (django-simple-history's diff against the row before)."""
    case.refresh_from_db()
    assert case.version == version_before + 1
    assert case.events.order_by("-created_at", "-pk").first().kind == kind
    newest, before = case.history.order_by("-history_date", "-history_id")[:2]
    assert set(changed) <= set(newest.diff_against(before).changed_fields)
