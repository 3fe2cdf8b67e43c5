"""The shape every partner API view has: the client's bearer token, its scopes, its rate, problem details for
errors, and one request-log row per call, attributed to the organisation and the named client."""

import logging

from rest_framework.views import APIView

from common.request_context import current_request_id
from partners.models import ApiRequestLogEntry

logger = logging.getLogger(__name__)


class PartnerApiView(APIView):
    """Subclasses set `required_scopes` (partners.scopes.Scope values) and call one service or selector."""

    required_scopes: list[str] = []

    @property
    def api_client(self):
        return self.request._request.api_client

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        client = getattr(request._request, "api_client", None)
        if client is not None:
            match = request._request.resolver_match
            ApiRequestLogEntry.objects.create(
                client=client,
                method=request.method[:10],
                route=(match.view_name if match else "")[:100],
                status=response.status_code,
                request_id=current_request_id()[:64],
            )
        return response
