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
