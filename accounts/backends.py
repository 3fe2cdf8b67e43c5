"""The sign-in backends: Django's and allauth's, except that a partner API client's service user (Role.API_CLIENT)
can never be authenticated by them, nor keep a session (get_user asks the same question on every request). Its
only way in is the partner API's bearer token (partners.api.authentication), which does not come through here.

Every signed-in request loads its user here (the session's user id): with the organisation in the same query, since
the header, the role rules and the pages read it on nearly every page. That query is written once (load_user), as
the session's is (accounts.sessions): the ORM took four times PostgreSQL's time to build it (docs/adr/0034)."""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from accounts.models import User
from accounts.roles import Role


def _may_sign_in(user) -> bool:
    return getattr(user, "role", None) != Role.API_CLIENT


_ORGANISATION = User._meta.get_field("organisation")
_USER_FIELDS = tuple(User._meta.concrete_fields)
_ORGANISATION_FIELDS = tuple(_ORGANISATION.related_model._meta.concrete_fields)
_ORGANISATION_PK_AT = len(_USER_FIELDS) + [field.primary_key for field in _ORGANISATION_FIELDS].index(True)


@cache
def _load_user_sql(alias: str) -> str:
    """`User.objects.select_related("organisation").get(pk=%s)`'s SQL: every column of both, the user's first."""
    quote = connections[alias].ops.quote_name
    users, organisations = quote(User._meta.db_table), quote(_ORGANISATION.related_model._meta.db_table)
    columns = [f"{users}.{quote(f.column)}" for f in _USER_FIELDS]
    columns += [f"{organisations}.{quote(f.column)}" for f in _ORGANISATION_FIELDS]
    joined = f"{organisations}.{quote(_ORGANISATION.target_field.column)} = {users}.{quote(_ORGANISATION.column)}"
    # Names from the models' metadata, quoted; the id is a parameter.
    return (
        f"SELECT {', '.join(columns)} FROM {users} LEFT OUTER JOIN {organisations} ON ({joined}) "  # noqa: S608
        f"WHERE {users}.{quote(User._meta.pk.column)} = %s"
    )


def _from_row(model, fields, alias: str, values):
    """An instance as the ORM makes it from a row (each field's database converters applied, then Model.from_db)."""
    connection = connections[alias]
    converted = []
    for field, value in zip(fields, values, strict=True):
        for converter in field.get_db_converters(connection):
            value = converter(value, field, connection)
        converted.append(value)
    return model.from_db(alias, [field.attname for field in fields], converted)


def load_user(user_id) -> User | None:
    """The user with this id, their organisation read in the same query (None when there is no such user):
    what `User.objects.select_related("organisation").get(pk=user_id)` gives."""
    alias = router.db_for_read(User)
    with connections[alias].cursor() as cursor:
        cursor.execute(_load_user_sql(alias), [User._meta.pk.to_python(user_id)])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_USER_FIELDS)
    user = _from_row(User, _USER_FIELDS, alias, row[:split])
    organisation = None
    if row[_ORGANISATION_PK_AT] is not None:  # None when the user has no organisation (the join found none)
        organisation = _from_row(_ORGANISATION.related_model, _ORGANISATION_FIELDS, alias, row[split:])
    _ORGANISATION.set_cached_value(user, organisation)
    return user


class _UserWithOrganisation:
    """The session's user and its organisation in one query (ModelBackend.get_user loads the user alone)."""

    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class SignInModelBackend(_UserWithOrganisation, ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and _may_sign_in(user)


class SignInAuthenticationBackend(_UserWithOrganisation, AuthenticationBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and _may_sign_in(user)
