"""What every benchmark script shares: its own database on the app's PostgreSQL server (seeded once, reused by
later runs at the same volume), timing requests through Django's test client, and the printed table."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit


def use_own_database(name: str) -> str:
    """Points Django at `name` on the app's PostgreSQL server, creating it; done before django.setup()."""
    from common import infrastructure

    url = urlsplit(infrastructure.database_url())._replace(path=f"/{name}").geturl()
    infrastructure.ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["HTTPS_ONLY"] = "false"  # the test client speaks plain HTTP
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    return url


def recreate_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    from common.infrastructure import ensure_database

    ensure_database(url)


def prepare_database(
    *, url: str, database: str, count: int, reseed: bool, noun: str, seeded_count: Callable[[], int], seed: Callable
) -> None:
    """Django set up on the benchmark's database, migrated and holding `count` seeded rows: those of an earlier
    run when it seeded the same count, otherwise a fresh database seeded now."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, and email kept in memory
    call_command("migrate", verbosity=0)
    existing = seeded_count()
    if existing == count and not reseed:
        print(f"Reusing the {existing:,} {noun} already seeded in {database}")
        return
    if existing:
        print(f"The database holds {existing:,} {noun}, not {count:,}: starting it again")
        recreate_database(url)
        call_command("migrate", verbosity=0)
    seed(count)


# --- measuring ------------------------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def sql_milliseconds(context) -> float:
    return sum(float(query["time"]) for query in context.captured_queries) * 1000


def summary(times: list[float], sql_times: list[float], queries: set[int]) -> dict:
    return {
        "n": len(times),
        "mean": statistics.fmean(times),  # for requests a second (1,000 / mean ms) where a benchmark prints them
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "sql": statistics.median(sql_times),
        "queries": queries,
    }


def measure(client, requests: list, *, method: str = "get", expect=(200,)) -> dict:
    """Each request timed as the test client sees it (middleware, view, queries, template; no network), after
    three to warm up (templates compiled, the connection open, the rows in the cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send = getattr(client, method)
    for url in requests[:3]:
        send(url)
    times, sql_times, queries, statuses = [], [], set(), set()
    for url in requests:
        connection.queries_log.clear()  # the log keeps 9,000 queries: a long run would wrap it and miscount
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = send(url)
            times.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
        queries.add(len(context))
        sql_times.append(sql_milliseconds(context))
    if not statuses <= set(expect):
        return {"n": len(times), "failed": f"answered {sorted(statuses)}"}
    return summary(times, sql_times, queries)


def print_rows(rows: list[tuple[str, dict]], *, width: int = 44) -> None:
    print(f"{'measure':<{width}} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'queries':>9}")
    print("-" * (width + 42))
    for name, result in rows:
        if "failed" in result:
            print(f"{name:<{width}} {result['n']:>4} {result['failed']}")
            continue
        queries = "/".join(str(number) for number in sorted(result["queries"]))
        print(
            f"{name:<{width}} {result['n']:>4} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['sql']:>8.1f} "
            f"{queries:>9}"
        )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_server_environment(url: str, *, port: int, queue: str) -> dict[str, str]:
    """The environment of an app server a benchmark starts on its own demo database: demo sign-ins without an
    authenticator, plain HTTP, no virus scanner, and a queue of its own that no worker reads."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "NRM_DEMO": "true",
        "NRM_REQUIRE_STAFF_MFA": "false",
        "HTTPS_ONLY": "false",
        "CLAMD_ENABLED": "false",
        "CELERY_QUEUE": queue,
        "SERVICE_URL": f"http://127.0.0.1:{port}",
    }


def empty_queue(queue: str) -> None:
    """The tasks the seed and the requests queued name rows of the benchmark's database: nobody is to run them."""
    try:
        import redis

        from common import infrastructure

        redis.Redis.from_url(infrastructure.redis_url()).delete(queue)
    except Exception as error:  # Redis down: then nothing was queued either
        print(f"(could not empty the queue {queue}: {type(error).__name__})")
