"""Requests a minute per client (429 with Retry-After): the client's own rate, or PARTNER_API_RATE_PER_MINUTE."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    scope = "partner-client"

    def get_rate(self) -> str:
        return f"{settings.PARTNER_API_RATE_PER_MINUTE}/min"

    def allow_request(self, request, view):
        client = getattr(request._request, "api_client", None)
        if client is not None and client.rate_per_minute:
            self.num_requests, self.duration = client.rate_per_minute, 60
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        client = getattr(request._request, "api_client", None)
        if client is None:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"client-{client.pk}"}
