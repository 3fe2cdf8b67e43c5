"""The token endpoint's view of a client: the scopes it was given, none once revoked (OAUTH2_PROVIDER's
SCOPES_BACKEND_CLASS). A token asks for some or all of them; asking for no scope gets all of them."""

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from partners.scopes import SCOPE_DESCRIPTIONS


def _client_scopes(application) -> list[str]:
    client = getattr(application, "api_client", None) if application is not None else None
    if client is None or not client.is_active:
        return []
    return list(client.scopes)


class ClientScopes(BaseScopes):
    def get_all_scopes(self):
        return dict(SCOPE_DESCRIPTIONS)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return _client_scopes(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return _client_scopes(application)


class PartnerOAuth2Validator(OAuth2Validator):
    """DOT's validator, refusing a revoked client (invalid_client) before any token is made for it."""

    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        return bool(_client_scopes(request.client))
