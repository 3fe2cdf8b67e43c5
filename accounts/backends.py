"""The sign-in backends: Django's and allauth's, except that a partner API client's service user (Role.API_CLIENT)
can never be authenticated by them, nor keep a session (get_user asks the same question on every request). Its
only way in is the partner API's bearer token (partners.api.authentication), which does not come through here."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from accounts.roles import Role


def _may_sign_in(user) -> bool:
    return getattr(user, "role", None) != Role.API_CLIENT


class SignInModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and _may_sign_in(user)


class SignInAuthenticationBackend(AuthenticationBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and _may_sign_in(user)
