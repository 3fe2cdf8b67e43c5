"""What a log line is about: the request's id, the signed-in user's id and role, the Celery task's id.

Never a name, an address or anything else personal: a person is their user id and their role, which is enough to
find them in the admin when that is really needed, and tells a reader of the logs nothing on its own.

- `RequestIdMiddleware` (first in settings.MIDDLEWARE) takes a sane incoming `X-Request-ID` (a load balancer's) or
  makes one, and sends it back on the response; once authentication has run it adds the user's id and role.
- `RequestContextFilter` (on the log handler, settings.LOGGING) puts them on every record.
- `connect_to_celery()` (nrm/celery.py) carries the request id in the message headers of a task queued during a
  request, and puts the task's id (and that request id) on every record a task logs; and hands the worker's and
  beat's logging to settings.LOGGING, so that they write the same format as the web processes.
"""

import logging
import logging.config
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

REQUEST_ID_HEADER = "X-Request-ID"
# The message header a task carries its request's id in (a custom header: Celery passes it through as it is).
TASK_REQUEST_ID_HEADER = "nrm_request_id"
# A load balancer's or proxy's id: letters, digits and a few separators, 8 to 128 of them. Anything else (an
# address, spaces, a huge value) is replaced, so that no one writes what they like into the logs.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

_request_id: ContextVar[str] = ContextVar("nrm_request_id", default="")
_user: ContextVar[tuple[str, str]] = ContextVar("nrm_user", default=("", ""))  # (user id, role)
_task: ContextVar[tuple[str, str]] = ContextVar("nrm_task", default=("", ""))  # (task id, its request's id)


def current_request_id() -> str:
    """The id of the request being handled, or of the request that queued the running task; "" if neither."""
    return _request_id.get() or _task.get()[1]


def current_user() -> tuple[str, str]:
    """The signed-in user's id and role, as strings ("", "" when no one is signed in or outside a request)."""
    return _user.get()


def request_id_from(value: str) -> str:
    """The incoming header's value when it is a sane id, a new random one otherwise."""
    value = value.strip()
    return value if _SANE_REQUEST_ID.fullmatch(value) else uuid.uuid4().hex


def clear(**kwargs) -> None:
    """Forgets the request (Django's request_finished signal): nothing logged after it carries its id."""
    _request_id.set("")
    _user.set(("", ""))


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every line a request logs carries its id. The context is cleared when the
    response is finished (Django's request_finished signal), not when this returns: Django logs a
    4xx or 5xx response (django.request) after the middleware chain has returned."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Log lines after a response (another request's, a thread's) never carry its request id or user.
        request_finished.connect(clear, dispatch_uid="common.request_context.clear")

    def __call__(self, request):
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id = request_id
        _request_id.set(request_id)
        _user.set(("", ""))
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        self._remember_user(request)  # for django.request's line about a 4xx or 5xx (a 404 runs no view)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Runs once every middleware's request part has, authentication included: the view's lines have the user.
        self._remember_user(request)

    @staticmethod
    def _remember_user(request) -> None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _user.set((str(user.pk), str(getattr(user, "role", "") or "")))


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id, role and task_id to every record (empty strings when there are none), and
    `context`, the same as " key=value" pairs for the plain format. It never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        task_id, task_request_id = _task.get()
        user_id, role = _user.get()
        record.request_id = _request_id.get() or task_request_id
        record.user_id = user_id
        record.role = role
        record.task_id = task_id
        pairs = (("request", record.request_id), ("user", user_id), ("role", role), ("task", task_id))
        record.context = "".join(f" {name}={value}" for name, value in pairs if value)
        return True


# Celery -------------------------------------------------------------------------------------------------------


def _task_request_id_of(task) -> str:
    request = task.request
    value = getattr(request, TASK_REQUEST_ID_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        TASK_REQUEST_ID_HEADER
    )
    return value if isinstance(value, str) and _SANE_REQUEST_ID.fullmatch(value) else ""


def _add_request_id_to_headers(sender=None, headers=None, **kwargs) -> None:
    request_id = _request_id.get() or _task.get()[1]  # a task queued by a task keeps the first request's id
    if request_id and headers is not None:
        headers.setdefault(TASK_REQUEST_ID_HEADER, request_id)


def _task_started(sender=None, task_id=None, task=None, **kwargs) -> None:
    _task.set((str(task_id or ""), _task_request_id_of(task) if task is not None else ""))


def _task_finished(**kwargs) -> None:
    _task.set(("", ""))


def _configure_worker_logging(**kwargs) -> None:
    """Celery's setup_logging signal: with a receiver, Celery leaves the root logger alone (no hijack, no format
    of its own) and the worker and beat log as settings.LOGGING says, like the web processes."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def connect_to_celery() -> None:
    from celery import signals

    signals.before_task_publish.connect(_add_request_id_to_headers, weak=False)
    signals.task_prerun.connect(_task_started, weak=False)
    signals.task_postrun.connect(_task_finished, weak=False)
    signals.setup_logging.connect(_configure_worker_logging, weak=False)
