"""Bearer tokens from the client credentials grant, acting as the client's service user."""

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed


class ClientCredentialsAuthentication(OAuth2Authentication):
    """DOT's OAuth2 authentication, with the token's application mapped to its partners.ApiClient: the request acts
    as that client's service user (request.user) and carries the client (request.api_client). A token of a revoked
    client, or of an application that is no partner API client, is refused."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _, token = result
        client = getattr(token.application, "api_client", None) if token.application_id else None
        if client is None or not client.is_active or not client.user.is_active:
            raise AuthenticationFailed("This client has been revoked or does not exist")
        request._request.api_client = client  # for the request log (partners.api.base), outside DRF's request
        return client.user, token
