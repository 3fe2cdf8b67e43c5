"""/healthz: the process is alive. /readyz: PostgreSQL, Redis and a Celery worker all answer."""

import logging

import redis
from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def redis_ready() -> bool:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        return False


def celery_worker_ready() -> bool:
    try:
        # The project's Celery app, which nrm/__init__.py creates as the process's current one: common sits below
        # nrm and never imports it.
        return bool(current_app.control.ping(timeout=1.0, limit=1))  # the first reply is enough
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {"database": database_ready(), "redis": redis_ready()}
    checks["celery_worker"] = checks["redis"] and celery_worker_ready()
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {k: "ok" if v else "down" for k, v in checks.items()},
    }
    response = JsonResponse(body, status=200 if ready else 503)
    _log_readiness(down=tuple(name for name, up in checks.items() if not up))
    # Not ready is an answer, not a server error: django.request would log every 503 at ERROR (and report it to
    # Sentry) while the service starts. _log_readiness says it once instead; this is how Django's own
    # log_response marks a response it has logged.
    response._has_been_logged = True
    return response


_last_down: tuple[str, ...] | None = None  # per process: what the last check of /readyz found down


def _log_readiness(*, down: tuple[str, ...]) -> None:
    """A WARNING when what is down changes (naming the dependencies), an INFO when all are back; nothing while
    it stays the same, so a load balancer probing every few seconds during start-up adds one line, not hundreds."""
    global _last_down
    if down == _last_down:
        return
    if down:
        logger.warning("Not ready: %s not answering", ", ".join(down))
    elif _last_down:
        logger.info("Ready: every dependency answers again")
    _last_down = down
