"""The service's fixed pages and its error pages."""

import logging
import re
import sys

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve
from django.views import defaults
from django.views.decorators.http import require_GET

from common import database
from common.context_processors import service

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# How long the busy page asks a browser or client to wait before trying again, in seconds.
BUSY_RETRY_AFTER_SECONDS = 60
# A form with any field named like these is not posted again from the busy page (its values would be in the page).
_SECRET_FIELD = re.compile(r"password|code|token|secret|otp|key", re.IGNORECASE)
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@require_GET
def page(request, template: str):
    """The service's fixed pages: accessibility statement, privacy notice, cookies."""
    return render(request, f"pages/{template}.html")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def server_error(request, template_name="500.html"):
    """handler500: a database timeout outside any view (in a middleware, say) still gets the busy page."""
    error = sys.exc_info()[1]
    if database.is_busy(error):
        return busy_response(request, error)
    return defaults.server_error(request, template_name)


class CommittedWrites:
    """A database execute wrapper (common.middleware.DatabaseBusyMiddleware) noting whether a write of this request
    was committed: at once outside a transaction, when its transaction commits inside one (never, if it rolls
    back)."""

    def __init__(self, *, counting: bool = False):
        self.counting = counting  # the middleware turns it on when the view starts
        self.committed = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.counting and isinstance(sql, str) and _WRITE.match(sql):
            if context["connection"].in_atomic_block:
                context["connection"].on_commit(self._saw_commit)
            else:
                self.committed = True
        return result

    def _saw_commit(self):
        self.committed = True


def busy_response(request, error: BaseException) -> HttpResponse:
    """The "service is busy" page (503) for a database timeout. Rendered without the context processors (they
    query the database, which is busy): a GET says the page took too long; a POST says nothing was saved, when
    nothing was, and offers to send the form again unless it held files or secrets. Logged at WARNING with the
    view's name only."""
    reading = request.method in SAFE_METHODS
    writes = getattr(request, "committed_writes", None)
    saved = bool(writes and writes.committed)
    logger.warning(
        "Service busy (database %s): %s %s answered 503%s",
        database.is_busy(error),
        request.method,
        _view_name(request),
        " after a committed write" if saved else "",
    )
    fields = [] if reading or saved else _fields_to_post_again(request)
    context = {**service(request), "reading": reading, "saved": saved, "fields": fields}
    if fields:
        context |= {"action": request.get_full_path(), "csrf_token": get_token(request)}
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # logged above, not again by django.request as an ERROR
    return response


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "(no view)"
    return match.view_name


def _fields_to_post_again(request) -> list[tuple[str, str]]:
    try:
        if request.FILES:
            return []
        fields = [(name, value) for name, values in request.POST.lists() for value in values]
    except Exception:  # a body that cannot be read again is simply not offered again
        return []
    fields = [(name, value) for name, value in fields if name != "csrfmiddlewaretoken"]
    if any(_SECRET_FIELD.search(name) for name, _ in fields):
        return []
    return fields
