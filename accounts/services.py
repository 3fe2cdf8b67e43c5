"""Every write to users, roles and organisations."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Organisation, User
from accounts.roles import ROLE_PERMISSIONS, Role


def roles_sync_groups() -> None:
    """One group per role holding that role's model permissions. Safe to run again (post_migrate)."""
    for role, permission_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.label)
        permissions = []
        for name in permission_names:
            app_label, codename = name.split(".")
            permissions.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


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
