"""The sign-in backends: Django's and allauth's, except that a partner API client's service user (Role.API_CLIENT)
can never be authenticated by them, nor keep a session (get_user asks the same question on every request). Its
only way in is the partner API's bearer token (partners.api.authentication), which does not come through here.

Every signed-in request loads its user here (the session's user id): with the organisation in the same query, since
the header, the role rules and the pages read it on nearly every page."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from accounts.roles import Role


def _may_sign_in(user) -> bool:
    return getattr(user, "role", None) != Role.API_CLIENT


class _UserWithOrganisation:
    """The session's user and its organisation in one query (ModelBackend.get_user loads the user alone)."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class SignInModelBackend(_UserWithOrganisation, ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and _may_sign_in(user)


class SignInAuthenticationBackend(_UserWithOrganisation, AuthenticationBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and _may_sign_in(user)
