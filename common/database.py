"""How long PostgreSQL lets a statement run or wait for a lock, by kind of process (docs/adr/0018).

A web request must never hang on the database: settings.py puts the web's short `statement_timeout` and
`lock_timeout` into every connection's start-up `options` (no extra round trip). The processes that run jobs
(Celery's worker and beat, management commands other than runserver) call `run_as_job()` at start, and each
connection they open then sets the jobs' longer timeouts. A timeout raises django.db.OperationalError, which
`is_busy` recognises (common.middleware and common.views turn it into the "service is busy" page)."""

from __future__ import annotations

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

WEB = "web"
JOB = "job"

_kind = WEB


def timeout_options(*, statement_seconds: float, lock_seconds: float) -> str:
    """libpq's `options` setting both timeouts at connection start (0 turns a timeout off)."""
    return f"-c statement_timeout={_milliseconds(statement_seconds)} -c lock_timeout={_milliseconds(lock_seconds)}"


def _milliseconds(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def process_kind() -> str:
    return _kind


def run_as_job() -> None:
    """This process runs jobs: its connections get the jobs' timeouts from now on."""
    _set_kind(JOB)


def run_as_web() -> None:
    """This process serves web requests (the default): its connections get the web's timeouts from now on."""
    _set_kind(WEB)


def _set_kind(kind: str) -> None:
    global _kind
    _kind = kind
    # A connection already open is closed (not in a transaction): the next query opens one with the new timeouts.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def _timeouts_for(kind: str) -> tuple[float, float]:
    if kind == JOB:
        return settings.DATABASE_JOB_STATEMENT_TIMEOUT, settings.DATABASE_JOB_LOCK_TIMEOUT
    return settings.DATABASE_STATEMENT_TIMEOUT, settings.DATABASE_LOCK_TIMEOUT


def _apply_timeouts(connection) -> None:
    if connection.vendor != "postgresql":
        return
    statement, lock = _timeouts_for(_kind)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
            [str(_milliseconds(statement)), str(_milliseconds(lock))],
        )


def _on_connection_created(sender, connection, **kwargs) -> None:
    # A web process's connections already have the web's timeouts from their start-up options.
    if _kind == JOB:
        _apply_timeouts(connection)


connection_created.connect(_on_connection_created, dispatch_uid="common.database.timeouts")


# What a timeout looks like -------------------------------------------------------------------------------------

LOCK_TIMEOUT = "lock timeout"
STATEMENT_TIMEOUT = "statement timeout"
DEADLOCK = "deadlock"

# SQLSTATEs: lock_not_available (lock_timeout, NOWAIT), query_canceled (statement_timeout, a cancelled query),
# deadlock_detected (PostgreSQL ended one of two transactions waiting on each other).
_BUSY_STATES = {"55P03": LOCK_TIMEOUT, "57014": STATEMENT_TIMEOUT, "40P01": DEADLOCK}


def is_busy(error: BaseException | None) -> str | None:
    """Which of the database's "too busy" errors `error` is (Django raises psycopg's error as the cause of its
    own OperationalError); None for any other error."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        state = getattr(error, "sqlstate", None)
        if state in _BUSY_STATES:
            return _BUSY_STATES[state]
        error = error.__cause__
    return None
