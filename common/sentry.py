"""Error reports to Sentry (or any service that speaks its protocol) when SENTRY_DSN is set; nothing otherwise.

The reports are about the code, never about people. The SDK is told to collect no personal data (its
data_collection option, which replaces send_default_pii=False), to read no request body and to keep no local
variables; `scrub()` then goes through every event before it leaves:

- the request keeps its method, its path, and the headers in SAFE_HEADERS; never the body, the query string, the
  cookies or the server's environment (the client's address);
- the user is the id and the role (common.request_context), nothing else; the request id becomes a tag;
- breadcrumbs keep their message, never their data (a database query's parameters);
- Celery tasks' arguments are dropped;
- anything that looks like an email address, anywhere in the event (an exception's message, a log line), is
  replaced by "[address]".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from common import request_context
from common.log_formats import without_addresses

SAFE_HEADERS = frozenset({"accept", "content-length", "content-type", "host", "x-forwarded-proto", "x-request-id"})
_REQUEST_FIELDS_KEPT = ("method", "url", "headers")


def sentry_init(*, dsn: str, environment: str = "", release: str = "") -> None:
    """Called by settings when SENTRY_DSN is set (the web processes, the workers and beat)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # send_default_pii=False, in the form SDK 2.75 asks for (it deprecates that flag): no user details, cookies,
        # query strings, bodies, database parameters, queue messages or local variables; headers from a short list.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(SAFE_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        before_send=scrub,
    )


def scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event without personal data (the module's docstring says what is kept)."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in _REQUEST_FIELDS_KEPT if key in request}
        if isinstance(kept.get("url"), str):
            kept["url"] = _without_query(kept["url"])
        if isinstance(kept.get("headers"), dict):
            kept["headers"] = {k: v for k, v in kept["headers"].items() if k.lower() in SAFE_HEADERS}
        event["request"] = kept

    user_id, role = request_context.current_user()
    user = event.get("user") if isinstance(event.get("user"), dict) else {}
    user = {key: user[key] for key in ("id", "role") if key in user}
    if user_id:
        user = {"id": user_id, "role": role}
    if user:
        event["user"] = user
    else:
        event.pop("user", None)

    request_id = request_context.current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id

    job = (event.get("extra") or {}).get("celery-job")
    if isinstance(job, dict):
        job.pop("args", None)
        job.pop("kwargs", None)

    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or ():
        if isinstance(crumb, dict):
            crumb.pop("data", None)

    for exception in (event.get("exception") or {}).get("values") or ():
        for frame in (exception.get("stacktrace") or {}).get("frames") or ():
            frame.pop("vars", None)

    return _without_addresses_anywhere(event)


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _without_addresses_anywhere(value):
    if isinstance(value, str):
        return without_addresses(value)
    if isinstance(value, dict):
        return {key: _without_addresses_anywhere(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_addresses_anywhere(item) for item in value]
    return value
