"""Every write to users, roles and organisations."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from accounts.models import Organisation, User
from accounts.roles import FIRST_RESPONDER_ROLES, ROLE_PERMISSIONS, Role
from accounts.signals import tell


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
