"""What every casework service shares beyond casework.lifecycle (the lock, the checks and the event of each
move), casework.errors and casework.deadlines: who is told about a change, and the access log."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import Organisation, User
from accounts.roles import FIRST_RESPONDER_ROLES, Role
from casework.models import AccessLogEntry, Case
from notifications.models import Notification
from notifications.services import notify

# Recipients of one organisation told about one change: enough for a team, never a mass mailing.
MAX_RECIPIENTS_PER_ORGANISATION = 25


# Who is told -------------------------------------------------------------------------------------------------


def _active_users(organisation_id: int | None, *roles: Role) -> list[User]:
    if organisation_id is None:
        return []
    # A partner API client's service user is told through its webhooks, never by notification (Audience).
    users = User.objects.filter(organisation_id=organisation_id, is_active=True).exclude(role=Role.API_CLIENT)
    # A first responder whose membership is not verified hears only of their own referrals (referrer_recipients).
    users = users.exclude(role__in=FIRST_RESPONDER_ROLES, organisation_verified=False)
    if roles:
        users = users.filter(role__in=roles)
    return list(users.order_by("pk")[:MAX_RECIPIENTS_PER_ORGANISATION])


def referrer_recipients(case: Case) -> list[User]:
    """The first responder who sent the referral; their active colleagues when they have left."""
    submitter = case.referral.submitted_by
    if submitter.is_active and submitter.organisation_id == case.referral.organisation_id:
        return [submitter]
    return _active_users(case.referral.organisation_id, *FIRST_RESPONDER_ROLES)


def support_provider_recipients(case: Case) -> list[User]:
    return _active_users(case.support_provider_id, Role.SUPPORT_PROVIDER)


def referral_answer(case: Case, key: str) -> str:
    return (case.referral.answers or {}).get(key) or ""


def _staff_of_organisation_named(case: Case, key: str, kind: Organisation.Kind) -> list[User]:
    """The staff on this service of the organisation the referral names under `key`, if it is here."""
    name = referral_answer(case, key)
    organisation = Organisation.objects.filter(kind=kind, name__iexact=name).first() if name else None
    return _active_users(organisation.pk if organisation else None)


def local_authority_recipients(case: Case) -> list[User]:
    """For a child: the local authority whose children's services the referral names."""
    return _staff_of_organisation_named(case, "la_name", Organisation.Kind.LOCAL_AUTHORITY)


def police_recipients(case: Case) -> list[User]:
    """The police force of the crime reference (the referrer may be that force too)."""
    return _staff_of_organisation_named(case, "police_force", Organisation.Kind.POLICE)


def manager_recipients(case: Case, *, excluding: User | None = None) -> list[User]:
    managers = _active_users(case.authority_id, Role.MANAGER)
    return [manager for manager in managers if excluding is None or manager.pk != excluding.pk]


def tell(recipients: Iterable[User], *, kind: Notification.Kind, case: Case, excluding: User | None = None) -> int:
    """One notification per distinct recipient, written in the caller's transaction (emails after commit)."""
    told = set()
    for user in recipients:
        if user.pk in told or (excluding is not None and user.pk == excluding.pk):
            continue
        told.add(user.pk)
        notify(recipient=user, kind=kind, subject=case, reference=case.reference)
    return len(told)


def access_log_record(*, user: User, case: Case, what: AccessLogEntry.What) -> AccessLogEntry:
    """Each view of a person's details is written down (design.md, convention 3)."""
    return AccessLogEntry.objects.create(user=user, case=case, what=AccessLogEntry.What(what))


def access_log_record_many(*, user: User, cases: Iterable[Case], what: AccessLogEntry.What) -> list[AccessLogEntry]:
    """One row for each distinct case of a list that shows several people's details, in one query."""
    distinct = {case.pk: case for case in cases}
    return AccessLogEntry.objects.bulk_create(
        [AccessLogEntry(user=user, case=case, what=AccessLogEntry.What(what)) for case in distinct.values()]
    )
