"""Response headers every page of the service needs."""

from functools import cache

from django.core.exceptions import BadRequest
from django.urls import reverse
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


class RefuseNulInAdminQueryMiddleware:
    """A NUL byte in a Django admin address's query (`?status=%00`) is a 400 before any admin view runs. Admin's
    lists hand any field lookup in the query to the database as it is, and PostgreSQL refuses NUL in text, so one
    was a 500. (The service's own pages read their query through forms, which say what is wrong; references in
    paths have their own converter, common.converters.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_admin_prefix()) and any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL byte in the query string")
        return self.get_response(request)


@cache
def _admin_prefix() -> str:
    return reverse("admin:index")
