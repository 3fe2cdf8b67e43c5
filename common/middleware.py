"""What every request goes through: response headers every page needs, refusals before any view, and the
"service is busy" page for a database timeout."""

from functools import cache

from django.core.exceptions import BadRequest
from django.db import connection
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from common import database
from common.views import SAFE_METHODS, CommittedWrites, busy_response


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


class DatabaseBusyMiddleware:
    """A database timeout (a lock waited for past `lock_timeout`, a statement past `statement_timeout`, a deadlock:
    common.database) ends in the "service is busy" page with status 503, never a 500 (docs/adr/0018).

    On a POST (any unsafe method) it also notes whether the view committed any write before the timeout, so that
    the page says "Nothing was saved" only when that is true: a write outside a transaction commits at once, one
    inside a transaction counts when (if) that transaction commits. The middlewares' own bookkeeping before the
    view (the session's activity) is not what the user asked for, and does not count. Exceptions outside the view
    (another middleware, a response's rendering) reach common.views.server_error, which gives the same page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        writes = CommittedWrites()
        request.committed_writes = writes
        with connection.execute_wrapper(writes):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        writes = getattr(request, "committed_writes", None)
        if writes is not None:
            writes.counting = True

    def process_exception(self, request, exception):
        if database.is_busy(exception) is None:
            return None
        return busy_response(request, exception)
