"""Every write to users, roles and organisations."""

import base64
import logging
import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import Invitation, Organisation, User
from accounts.roles import FIRST_RESPONDER_ROLES, ROLE_PERMISSIONS, Role
from accounts.signals import tell
from common.outbox import outbox_enqueue, outbox_handler

logger = logging.getLogger(__name__)


def roles_sync_groups() -> None:
    """One group per role holding that role's model permissions. Safe to run again (post_migrate)."""
    for role, permission_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.label)
        permissions = []
        for name in permission_names:
            app_label, codename = name.split(".")
            permissions.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


class AccessChangeRefused(PermissionDenied):
    """A change of role or admin access the actor may not make (a 403 where it reaches a page)."""


# What gives a user authority beyond their own organisation's referrals: only superusers change these.
ACCESS_FIELDS = ("role", "is_staff", "is_superuser")
ACCESS_FIELD_NAMES = {"role": "Role", "is_staff": "staff", "is_superuser": "superuser"}


def may_change_access(*, actor: User, user: User, role: Role, is_staff: bool, is_superuser: bool) -> bool:
    """Superusers may change anyone's role and admin access. Anyone else may at most move a first responder
    between the first responder roles (member or organisation administrator): never a staff role, staff status or
    superuser status. The user admin shows these fields read-only to non-superusers, from the same rule."""
    if actor.is_active and actor.is_superuser:
        return True
    flags_unchanged = (user.is_staff, user.is_superuser) == (is_staff, is_superuser)
    roles = {Role(user.role), Role(role)}
    return flags_unchanged and (len(roles) == 1 or roles <= FIRST_RESPONDER_ROLES)


@transaction.atomic
def user_change_access(
    *,
    actor: User,
    user_id: int,
    role: Role | None = None,
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
) -> User:
    """Changes a user's role and admin access (what is not given stays). The user's history records who changed
    what, from what to what; the other administrators are told that a change was made (no name in the email)."""
    user = User.objects.select_for_update().get(pk=user_id)
    before = {"role": Role(user.role), "is_staff": user.is_staff, "is_superuser": user.is_superuser}
    after = {
        "role": before["role"] if role is None else Role(role),
        "is_staff": before["is_staff"] if is_staff is None else is_staff,
        "is_superuser": before["is_superuser"] if is_superuser is None else is_superuser,
    }
    if not may_change_access(actor=actor, user=user, **after):
        raise AccessChangeRefused("Only a superuser can change a user's role or admin access")
    changed = [field for field in ACCESS_FIELDS if before[field] != after[field]]
    if not changed:
        return user
    for field in changed:
        setattr(user, field, after[field])
    user._history_user = actor
    # The history row says who (history_user), whose (the row) and from what to what (this reason).
    user._change_reason = "; ".join(
        f"{ACCESS_FIELD_NAMES[field]}: {_shown(before[field])} to {_shown(after[field])}" for field in changed
    )
    user.save(update_fields=changed)
    user_sync_role_group(user=user)
    user_announce_access(actor=actor, user=user)
    return user


def user_announce_access(*, actor: User, user: User) -> None:
    """Tells the other administrators that `user` was given a role or admin access (changed, or a staff account
    created): a notification row each, in the caller's transaction; the email names nobody."""
    administrators = User.objects.filter(is_active=True).filter(Q(role=Role.ADMIN) | Q(is_superuser=True))
    for administrator in administrators.exclude(pk__in=[actor.pk, user.pk]):
        tell(recipient=administrator, kind="staff_access_changed", subject=user)


def _shown(value) -> str:
    if isinstance(value, Role):
        return value.label
    return "yes" if value else "no"


def user_sync_role_group(*, user: User) -> None:
    """The user belongs to exactly the group of their role."""
    role_group_names = [role.label for role in Role]
    user.groups.remove(*user.groups.filter(name__in=role_group_names))
    group, _ = Group.objects.get_or_create(name=Role(user.role).label)
    user.groups.add(group)


@transaction.atomic
def user_create(
    *,
    email: str,
    role: Role,
    organisation: Organisation | None,
    password: str | None = None,
    full_name: str = "",
    is_superuser: bool = False,
) -> User:
    """Staff are created here by admins (and the demo seed); first responders join through sign-up."""
    user = User.objects.create_user(
        email=email,
        password=password,
        role=role,
        organisation=organisation,
        full_name=full_name,
        organisation_verified=organisation is not None,  # the admin who creates an account vouches for it
        is_staff=is_superuser or role == Role.ADMIN,
        is_superuser=is_superuser,
    )
    user_sync_role_group(user=user)
    user_confirm_email(user=user)
    return user


def user_confirm_email(*, user: User) -> None:
    """An admin who creates an account vouches for its address: it needs no emailed confirmation."""
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True, "primary": True}
    )


# --- Invitations (docs/adr/0014-staff-invitations.md): staff choose their own password from an emailed link and
# then set up their authenticator app; nobody chooses a password for someone else.


class InvitationUnusable(Exception):
    """The link cannot be used: `reason` is one of UNKNOWN, USED, REPLACED, EXPIRED, INACTIVE."""

    UNKNOWN, USED, REPLACED, EXPIRED, INACTIVE = "unknown", "used", "replaced", "expired", "inactive"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def may_invite(*, actor: User) -> bool:
    """An invitation sets the password of an account, which for staff is authority over people's cases: only
    superusers send them (docs/adr/0009), as only they create staff accounts."""
    return actor.is_active and actor.is_superuser


def needs_invitation(user: User) -> bool:
    """Staff (and anyone with Django admin access) sign in with a password; first responders sign in by an
    emailed code and have no password to choose."""
    return user.role not in FIRST_RESPONDER_ROLES or user.is_staff or user.is_superuser


@transaction.atomic
def user_invite(*, actor: User, email: str, role: Role, organisation: Organisation | None, full_name: str = "") -> User:
    """Adds someone to the service without a password. Staff are sent an invitation to choose one (and then set
    up their authenticator app); first responders sign in by an emailed code from the start. A staff account
    is made by superusers only, and the other administrators are told (no name in their email)."""
    role = Role(role)
    if role not in FIRST_RESPONDER_ROLES and not may_invite(actor=actor):
        raise AccessChangeRefused("Only a superuser can create a staff account")
    user = user_create(email=email, role=role, organisation=organisation, full_name=full_name)
    if needs_invitation(user):
        user_announce_access(actor=actor, user=user)
        invitation_send(actor=actor, user_id=user.pk)
    return user


@transaction.atomic
def invitation_send(*, actor: User, user_id: int) -> Invitation:
    """A new invitation to `user_id`, replacing any still waiting; its email goes after commit. To someone who
    already has a password it is the way to choose a new one (an admin's "reset password")."""
    user = User.objects.select_for_update().get(pk=user_id)
    if not may_invite(actor=actor):
        raise AccessChangeRefused("Only a superuser can send an invitation")
    if not user.is_active:
        raise AccessChangeRefused("This account is deactivated: activate it before sending an invitation")
    if not needs_invitation(user):
        raise AccessChangeRefused("First responders sign in with a code emailed to them: they have no password")
    now = timezone.now()
    for earlier in user.invitations.select_for_update().filter(state=Invitation.State.PENDING):
        earlier.state = Invitation.State.REPLACED
        earlier._history_user = actor
        earlier.save(update_fields=["state"])
    nonce = secrets.token_urlsafe(32)
    invitation = Invitation(
        user=user,
        token_hash=Invitation.hash_token(invitation_token(nonce)),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.NRM_INVITATION_DAYS),
    )
    invitation._history_user = actor
    invitation.save()
    # Sent from this process after commit; if that fails (or the process dies first), the outbox's sweep hands it
    # to a worker minutes later. The row holds the nonce, not the token: the token is an HMAC of the nonce under
    # SECRET_KEY, so someone who reads the database cannot make the link, and the nonce is cleared once sent.
    outbox_enqueue(invitation_email_send, run_after_commit=True, invitation_id=invitation.pk, nonce=nonce)
    return invitation


def invitation_token(nonce: str) -> str:
    """The link's token: 43 URL-safe characters, made again by whoever sends the email (docs/adr/0023)."""
    digest = salted_hmac("accounts.invitation", nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def invitation_url(token: str) -> str:
    return settings.SERVICE_URL.rstrip("/") + reverse("invitation", kwargs={"token": token})


def with_article(words: str) -> str:
    """ "a caseworker", "an analyst"."""
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}"


@outbox_handler(secret_args=("nonce",))
def invitation_email_send(*, invitation_id: int, nonce: str) -> None:
    """Sends an invitation's email, the way allauth sends sign-in codes and password resets (its adapter's
    templates). Run by the outbox, once: an invitation accepted, replaced or expired meanwhile is not sent, and a
    failure is raised for the outbox to try again later (its log line has the id and the exception class only)."""
    invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable or not invitation.user.is_active:
        logger.info("Invitation %s: email not sent, the invitation can no longer be used", invitation_id)
        return
    token = invitation_token(nonce)
    if Invitation.hash_token(token) != invitation.token_hash:  # SECRET_KEY changed since it was made
        logger.warning("Invitation %s: email not sent, its link cannot be made again; send a new one", invitation_id)
        return
    context = {
        "invitation_url": invitation_url(token),
        "expires_at": invitation.expires_at,
        "role": with_article(Role(invitation.user.role).label.lower()),
        "service_url": settings.SERVICE_URL,
    }
    get_adapter().render_mail("account/email/invitation", invitation.user.email, context).send()
    logger.info("Invitation %s: email sent", invitation_id)


def invitation_check(invitation: Invitation | None) -> None:
    """Raises InvitationUnusable unless the invitation's link may still be used."""
    if invitation is None:
        raise InvitationUnusable(InvitationUnusable.UNKNOWN)
    if invitation.state == Invitation.State.ACCEPTED:
        raise InvitationUnusable(InvitationUnusable.USED)
    if invitation.state == Invitation.State.REPLACED:
        raise InvitationUnusable(InvitationUnusable.REPLACED)
    if invitation.is_expired:
        raise InvitationUnusable(InvitationUnusable.EXPIRED)
    if not invitation.user.is_active:
        raise InvitationUnusable(InvitationUnusable.INACTIVE)


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """The invited person chooses their password: once, before the link expires. Raises InvitationUnusable, or
    ValidationError for a password the validators refuse (nothing is changed then)."""
    invitation = Invitation.for_token(token, for_update=True)
    invitation_check(invitation)
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    validate_password(password, user)
    user.set_password(password)
    user._history_user = user
    user._change_reason = "Password chosen from an invitation"
    user.save(update_fields=["password"])
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation._history_user = user
    invitation.save(update_fields=["state", "accepted_at"])
    user_confirm_email(user=user)  # the link reached the address: it is proved
    return user


API_CLIENT_EMAIL_DOMAIN = "api-clients.invalid"  # reserved (RFC 2606): no email can ever reach it


@transaction.atomic
def api_client_user_create(*, organisation: Organisation, actor: User | None) -> User:
    """The service user of a new partner API client (partners.ApiClient): a member of `organisation` with the
    API client role, no usable password and an address that receives nothing, so it never signs in to a page."""
    user = User(
        email=f"{secrets.token_hex(12)}@{API_CLIENT_EMAIL_DOMAIN}",
        role=Role.API_CLIENT,
        organisation=organisation,
        organisation_verified=True,
    )
    user.set_unusable_password()
    user._history_user = actor
    user.save()
    user_sync_role_group(user=user)
    return user


@transaction.atomic
def api_client_user_deactivate(*, user_id: int, actor: User | None) -> None:
    """A revoked client's service user can act no more."""
    user = User.objects.select_for_update().get(pk=user_id, role=Role.API_CLIENT)
    user.is_active = False
    user._history_user = actor
    user.save(update_fields=["is_active"])
