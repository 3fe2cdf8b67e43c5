"""Response headers every page of the service needs."""

from django.utils.cache import add_never_cache_headers


class NoStoreWhenSignedInMiddleware:
    """Every page sent to a signed-in user is marked `Cache-Control: no-store` (with private, no-cache and an
    expiry in the past): such pages may show a victim's details, and no browser cache, shared computer's history
    or proxy may keep a copy. One place for every page, downloads included; public pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
