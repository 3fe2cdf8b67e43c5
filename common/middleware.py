"""Response headers every page of the service needs."""

from django.core.exceptions import BadRequest
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


class RefuseNulInQueryMiddleware:
    """A NUL byte in the address's query (`?status=%00`) is a 400 before any view runs. PostgreSQL refuses NUL in
    text, and some views hand query values to the database as they are (Django admin's list filters take any
    field lookup from the query), so one would otherwise be a 500. Posted forms are left to their own fields,
    which refuse NUL with a message; references in paths have their own converter (common.converters)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise BadRequest("A NUL byte in the query string")
        return self.get_response(request)
