"""Every write to an organisation's membership: asking to join, approving, declining, expiring, removing a
member, changing a member's role, and the organisation's authenticator requirement (docs/adr/0006).

Each is one service: keyword-only, atomic, the rows it changes locked, the state and the actor's right checked,
django-simple-history recording who did it and why. Side effects are notification rows in the same transaction,
written through accounts.signals.tell (accounts sits below notifications)
(their emails carry no name and no address).
"""

from datetime import datetime, timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import MembershipRequest, Organisation, User
from accounts.roles import FIRST_RESPONDER_ROLES, Role
from accounts.selectors import membership_approvers, organisation_admins
from accounts.services import user_sync_role_group
from accounts.signals import tell

MEMBER_ROLES = (Role.FIRST_RESPONDER, Role.ORGANISATION_ADMIN)


class MembershipError(Exception):
    """An illegal change of membership; the message is fit to show the person who tried it."""


def may_manage_members(actor: User, organisation: Organisation) -> bool:
    """The organisation's own administrators, and the service's admins."""
    if not (actor.is_authenticated and actor.is_active):
        return False
    if actor.role == Role.ADMIN:
        return True
    return actor.is_organisation_admin and actor.organisation_id == organisation.pk


def _record(instance, actor: User | None, reason: str) -> None:
    """Who made the change and why, for django-simple-history's row (outside a request there is no user)."""
    instance._history_user = actor
    instance._change_reason = reason


def _expiry_from(moment: datetime) -> datetime:
    return moment + timedelta(days=settings.NRM_MEMBERSHIP_REQUEST_DAYS)


@transaction.atomic
def membership_request_create(*, user: User, organisation: Organisation) -> MembershipRequest:
    """`user` asks to join `organisation`. Their own drafts and referrals are made for it from now on, but they
    see nothing else of it until an approver says yes. The approvers are told (without a name)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_first_responder or not user.is_active:
        raise MembershipError("Only first responders can ask to join an organisation")
    if user.organisation_verified:
        raise MembershipError(f"You are already a member of {user.organisation}")
    if not (organisation.is_first_responder and organisation.is_active):
        raise MembershipError("Select a first responder organisation")
    pending = MembershipRequest.objects.filter(user=user, state=MembershipRequest.State.PENDING).first()
    if pending is not None:
        raise MembershipError(f"You have already asked to join {pending.organisation}: wait for an answer")
    if user.organisation_id != organisation.pk:
        user.organisation = organisation
        _record(user, user, "Asked to join an organisation")
        user.save(update_fields=["organisation"])
    now = timezone.now()
    request = MembershipRequest(user=user, organisation=organisation, requested_at=now, expires_at=_expiry_from(now))
    _record(request, user, "Asked to join")
    request.save()
    for approver in membership_approvers(organisation):
        tell(recipient=approver, kind="membership_requested", subject=request)
    return request


def _locked_pending_request(request_id: int, actor: User) -> MembershipRequest:
    request = MembershipRequest.objects.select_for_update().select_related("organisation").get(pk=request_id)
    if not may_manage_members(actor, request.organisation):
        raise MembershipError("You cannot approve members of this organisation")
    if not request.is_pending:
        raise MembershipError(f"This request has already been {request.get_state_display().lower()}")
    return request


@transaction.atomic
def membership_request_approve(*, request_id: int, actor: User) -> MembershipRequest:
    """The person becomes a verified member: they see the organisation's referrals from their next page."""
    request = _locked_pending_request(request_id, actor)
    member = User.objects.select_for_update().get(pk=request.user_id)
    if not member.is_active:
        raise MembershipError("This account has been deactivated")
    member.organisation = request.organisation
    member.organisation_verified = True
    _record(member, actor, "Request to join approved")
    member.save(update_fields=["organisation", "organisation_verified"])
    request.state, request.decided_at, request.decided_by = MembershipRequest.State.APPROVED, timezone.now(), actor
    _record(request, actor, "Approved")
    request.save(update_fields=["state", "decided_at", "decided_by"])
    tell(recipient=member, kind="membership_approved", subject=request)
    return request


@transaction.atomic
def membership_request_decline(*, request_id: int, actor: User) -> MembershipRequest:
    """The person stays unverified (their own work only) and may ask again."""
    request = _locked_pending_request(request_id, actor)
    request.state, request.decided_at, request.decided_by = MembershipRequest.State.DECLINED, timezone.now(), actor
    _record(request, actor, "Declined")
    request.save(update_fields=["state", "decided_at", "decided_by"])
    tell(recipient=request.user, kind="membership_declined", subject=request)
    return request


def membership_requests_expire(*, now: datetime | None = None) -> int:
    """Expires every request still waiting past its date (the periodic job). Safe to run twice, and beside
    another run: each request is locked, re-checked and skipped when someone else holds it."""
    now = now or timezone.now()
    due = MembershipRequest.objects.filter(state=MembershipRequest.State.PENDING, expires_at__lte=now)
    expired = 0
    for request_id in due.order_by("expires_at", "pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            request = (
                MembershipRequest.objects.select_for_update(skip_locked=True)
                .filter(pk=request_id, state=MembershipRequest.State.PENDING, expires_at__lte=now)
                .select_related("user")
                .first()
            )
            if request is None:
                continue
            request.state, request.decided_at = MembershipRequest.State.EXPIRED, now
            _record(request, None, "Expired: no one approved it in time")
            request.save(update_fields=["state", "decided_at"])
            tell(recipient=request.user, kind="membership_expired", subject=request)
            expired += 1
    return expired


def _locked_member(member_id: int, actor: User) -> tuple[Organisation, User]:
    """The member and their organisation, both locked (the organisation first, always, so that two changes to
    its administrators queue rather than each leaving the other's count wrong)."""
    organisation_id = User.objects.values_list("organisation_id", flat=True).get(pk=member_id)
    if organisation_id is None:
        raise MembershipError("This person is not a member of an organisation")
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    member = User.objects.select_for_update().get(pk=member_id)
    if member.organisation_id != organisation.pk or not may_manage_members(actor, organisation):
        raise MembershipError("You cannot manage this person's membership")
    if member.role not in FIRST_RESPONDER_ROLES or not member.is_active or not member.organisation_verified:
        raise MembershipError("This person is not a member of the organisation")
    return organisation, member


def _check_an_administrator_remains(organisation: Organisation, member: User, actor: User) -> None:
    """An organisation keeps at least one administrator: its own cannot leave it with none (a service admin can,
    after which the service admins approve its requests)."""
    if actor.role == Role.ADMIN or member.role != Role.ORGANISATION_ADMIN:
        return
    if not organisation_admins(organisation).exclude(pk=member.pk).exists():
        raise MembershipError(
            f"{organisation} must keep at least one administrator: make someone else an administrator first"
        )


def user_end_sessions(*, user: User) -> int:
    """Ends every session of `user`: each one allauth's user sessions recorded (a signed-in request records it),
    then any other stored session that names them (one never used since sign-in). Their account is deactivated
    too, so a session would not let them in anyway. Returns how many ended."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    # Only sessions still valid are read (the idle time-out keeps them few); the user id is inside the signed data.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def member_remove(*, member_id: int, actor: User) -> User:
    """The member leaves the organisation: their account is deactivated (it was theirs only as its member) and
    every session they have ends at once. Their drafts stay with the organisation."""
    organisation, member = _locked_member(member_id, actor)
    if member.pk == actor.pk:
        raise MembershipError("You cannot remove yourself: ask another administrator")
    _check_an_administrator_remains(organisation, member, actor)
    member.is_active = False
    member.organisation_verified = False
    member.role = Role.FIRST_RESPONDER
    _record(member, actor, "Removed from the organisation")
    member.save(update_fields=["is_active", "organisation_verified", "role"])
    user_sync_role_group(user=member)
    MembershipRequest.objects.filter(user=member, state=MembershipRequest.State.PENDING).update(
        state=MembershipRequest.State.WITHDRAWN, decided_at=timezone.now(), decided_by=actor
    )
    user_end_sessions(user=member)
    return member


@transaction.atomic
def member_change_role(*, member_id: int, actor: User, role: Role, expected_role: str | None = None) -> User:
    """Makes a member an administrator of the organisation, or an administrator a member again.

    `expected_role` is the role the actor saw: when someone else changed it meanwhile, nothing is changed."""
    if role not in MEMBER_ROLES:
        raise MembershipError("Select member or administrator")
    organisation, member = _locked_member(member_id, actor)
    if expected_role is not None and member.role != expected_role:
        raise MembershipError("Someone else changed this person's role: check it and try again")
    if member.role == role:
        return member
    if role == Role.FIRST_RESPONDER:
        _check_an_administrator_remains(organisation, member, actor)
    member.role = role
    _record(member, actor, f"Role changed to {Role(role).label.lower()}")
    member.save(update_fields=["role"])
    user_sync_role_group(user=member)
    return member


@transaction.atomic
def organisation_set_require_mfa(*, organisation_id: int, actor: User, require_mfa: bool) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    if not may_manage_members(actor, organisation):
        raise MembershipError("You cannot change this organisation's settings")
    if organisation.require_mfa != require_mfa:
        organisation.require_mfa = require_mfa
        _record(organisation, actor, "Authenticator app required" if require_mfa else "Authenticator app optional")
        organisation.save(update_fields=["require_mfa"])
    return organisation
