"""/healthz: the process is alive. /readyz: PostgreSQL, Redis and a Celery worker all answer."""

import redis
from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
    return JsonResponse(body, status=200 if ready else 503)
