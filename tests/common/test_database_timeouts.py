"""No request hangs on PostgreSQL (docs/adr/0018): drills against the real database, with another connection (a
thread) holding a lock in an open transaction the way a service in progress does.

- Reading a case while someone changes it: the case page, the queue and /healthz answer at once, and the read's
  access-log row is written (the case's lock is FOR NO KEY UPDATE, the access log's foreign key FOR KEY SHARE).
- A form that needs the locked case: the busy page (503) within the lock timeout, nothing saved, the input kept
  and sent again with one button once the lock is gone.
- A statement past the statement timeout, and a timeout outside any view: the busy page, never a 500.
- The web's connections have the web's timeouts, jobs' connections (manage.py, Celery worker and beat) longer ones.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest
from celery.signals import beat_init, worker_init
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from casework.lifecycle.moves import lock_case
from casework.models import AccessLogEntry, Case, InformationRequest
from casework.services import default_due_date, single_competent_authority
from common import database
from tests.casework.views.helpers import answered_case, staff
from tests.fixtures.celery_worker import database_url_for

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]
QUESTION = "Was an interpreter present at the interview? Say which language & who arranged it."
NOTE = "Spoke to the support worker."


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def web_timeouts():
    """Sets the web's statement and lock timeouts (seconds) of the connections opened from now on, this thread's
    at once; puts the configured ones back after the test."""
    options = connection.settings_dict["OPTIONS"]  # the one dict every thread's connection is made from
    configured = options["options"]

    def set_timeouts(*, statement: float, lock: float) -> None:
        options["options"] = database.timeout_options(statement_seconds=statement, lock_seconds=lock)
        connection.close()

    yield set_timeouts
    options["options"] = configured
    connection.close()


@pytest.fixture
def caseworker(project_data):
    return staff(single_competent_authority(), full_name="Casey Worker")


@pytest.fixture
def case(caseworker):
    manager = staff(single_competent_authority(), Role.MANAGER, full_name="Morgan Manager")
    return answered_case(caseworker=caseworker, manager=manager)


@pytest.fixture
def signed_in(caseworker) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(caseworker)
    return client


@contextmanager
def held_in_another_transaction(hold: Callable[[], object]) -> Iterator[None]:
    """Runs `hold` in a transaction of another thread's connection and keeps that transaction open (its locks
    held) until the block ends."""
    taken, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run():
        try:
            with transaction.atomic():
                hold()
                taken.set()
                release.wait(timeout=60)
        except BaseException as error:  # reported by the test
            errors.append(error)
            taken.set()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert taken.wait(timeout=20), "the other transaction did not take its lock"
    assert not errors, errors
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=30)
    assert not errors, errors


def lock_the_case_as_a_service_does(case: Case) -> Callable[[], None]:
    def hold():
        locked = lock_case(case.pk)  # the first line of every service that moves a case
        locked.save()  # and it writes the row, as the move's finish does

    return hold


def lock_table(table: str) -> Callable[[], None]:
    def hold():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")

    return hold


def timed(call: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def hidden_fields(response) -> dict[str, str]:
    html = response.content.decode()
    return {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html)
    }


# Reading a case while someone changes it ----------------------------------------------------------------------


def test_a_case_page_opens_at_once_and_is_logged_while_a_service_holds_the_case(
    web_timeouts, signed_in, caseworker, case
):
    web_timeouts(statement=10, lock=1.5)
    assert signed_in.get(case.get_absolute_url()).status_code == 200  # the first request's start-up costs
    logged_before = AccessLogEntry.objects.filter(case=case, user=caseworker).count()
    with held_in_another_transaction(lock_the_case_as_a_service_does(case)):
        response, seconds = timed(lambda: signed_in.get(case.get_absolute_url()))
        assert response.status_code == 200
        assert seconds < 2
        assert case.reference in response.content.decode()
        # Written and committed while the case is still locked.
        assert AccessLogEntry.objects.filter(case=case, user=caseworker).count() == logged_before + 1


def test_the_queue_and_healthz_answer_while_a_service_holds_a_case(web_timeouts, signed_in, case):
    web_timeouts(statement=10, lock=1.5)
    with held_in_another_transaction(lock_the_case_as_a_service_does(case)):
        queue, queue_seconds = timed(lambda: signed_in.get(reverse("casework:queue")))
        health, health_seconds = timed(lambda: Client().get(reverse("healthz")))
    assert (queue.status_code, health.status_code) == (200, 200)
    assert queue_seconds < 2
    assert health_seconds < 2


# A change that needs the locked case ------------------------------------------------------------------------------


def test_a_change_to_a_case_another_change_holds_gets_the_busy_page_and_saves_nothing(
    web_timeouts, signed_in, case, caplog
):
    web_timeouts(statement=10, lock=0.5)
    url = reverse("casework:request_information", args=[case.reference])
    due = default_due_date(case)
    posted = {
        "version": str(case.version),
        "question": QUESTION,
        "due_date_0": str(due.day),
        "due_date_1": str(due.month),
        "due_date_2": str(due.year),
    }
    with caplog.at_level(logging.WARNING), held_in_another_transaction(lock_the_case_as_a_service_does(case)):
        response, seconds = timed(lambda: signed_in.post(url, posted))

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert seconds < 3
    text = page_text(response)
    assert "Sorry, the service is busy" in text
    assert "Nothing was saved." in text
    assert "Try again in a minute." in text
    assert "Internal Server Error" not in text
    assert not InformationRequest.objects.filter(case=case).exists()

    # One WARNING naming the view: not the question, not the reference; no ERROR from django.request.
    busy = [record for record in caplog.records if "Service busy" in record.getMessage()]
    assert [record.levelname for record in busy] == ["WARNING"]
    assert "casework:request_information" in busy[0].getMessage()
    assert "lock timeout" in busy[0].getMessage()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert all(QUESTION not in record.getMessage() and case.reference not in record.getMessage() for record in busy)

    # What was entered is kept on the page with a fresh CSRF token; "Try again" sends it, and now it is saved.
    kept = hidden_fields(response)
    assert kept.pop("csrfmiddlewaretoken")
    assert kept == posted
    assert re.search(rf'<form method="post" action="{re.escape(url)}"', response.content.decode())
    signed_in.handler.enforce_csrf_checks = True
    again = signed_in.post(url, hidden_fields(response))
    assert again.status_code == 302
    assert InformationRequest.objects.get(case=case).question == QUESTION


def test_the_busy_page_does_not_say_nothing_was_saved_when_a_write_was_committed(rf):
    from common.views import CommittedWrites, busy_response

    request = rf.post("/casework/anything", {"text": NOTE})
    request.committed_writes = CommittedWrites(counting=True)
    with connection.execute_wrapper(request.committed_writes):
        AccessLogEntry.objects.filter(pk=-1).delete()  # a write outside a transaction: committed at once
    error = _lock_timeout_error()

    text = page_text(busy_response(request, error))
    assert "Nothing was saved" not in text
    assert "Part of it may have been saved" in text
    assert "Try again</button>" not in text


def test_a_write_rolled_back_with_its_transaction_does_not_count_as_saved():
    from common.views import CommittedWrites

    writes = CommittedWrites(counting=True)

    def failing_service():
        with transaction.atomic():
            AccessLogEntry.objects.filter(pk=-1).delete()
            raise RuntimeError("the service failed")

    with connection.execute_wrapper(writes), pytest.raises(RuntimeError):
        failing_service()
    assert not writes.committed
    with connection.execute_wrapper(writes), transaction.atomic():
        AccessLogEntry.objects.filter(pk=-1).delete()
    assert writes.committed


def _lock_timeout_error() -> BaseException:
    """A real lock timeout, as Django raises it."""
    with held_in_another_transaction(lock_table("casework_accesslogentry")):
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '100ms'")
        try:
            with transaction.atomic():
                AccessLogEntry.objects.count()
        except Exception as error:  # the error is what this returns
            return error
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    pytest.fail("no lock timeout")


# A slow statement, and a timeout outside any view ----------------------------------------------------------------


def test_a_page_whose_statement_runs_past_the_statement_timeout_gets_the_busy_page_not_a_500(
    web_timeouts, signed_in, case, caplog
):
    web_timeouts(statement=0.5, lock=0)  # no lock timeout: the statement's own time ends it
    with caplog.at_level(logging.WARNING), held_in_another_transaction(lock_table("casework_case")):
        response, seconds = timed(lambda: signed_in.get(reverse("casework:queue")))
    assert response.status_code == 503
    assert seconds < 3
    text = page_text(response)
    assert "Sorry, the service is busy" in text
    assert "The page took too long to load" in text
    assert "Nothing was saved" not in text
    assert any("statement timeout" in record.getMessage() for record in caplog.records)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_timeout_in_a_middleware_before_any_view_gets_the_busy_page_not_a_500(web_timeouts, signed_in, case):
    web_timeouts(statement=10, lock=0.5)
    # The session is read by the middleware (the idle timeout), before the view.
    with held_in_another_transaction(lock_table("django_session")):
        response = signed_in.get(case.get_absolute_url())
    assert response.status_code == 503
    assert "Sorry, the service is busy" in page_text(response)


def test_any_other_error_still_gets_the_service_problem_page(rf):
    from common.views import server_error

    try:
        raise ValueError("not the database")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


# The timeouts of each kind of process --------------------------------------------------------------------------


def _timeouts() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
        return cursor.fetchone()


def test_a_web_connection_has_the_web_timeouts():
    connection.close()
    assert (settings.DATABASE_STATEMENT_TIMEOUT, settings.DATABASE_LOCK_TIMEOUT) == (15, 5)
    assert _timeouts() == ("15s", "5s")


def _receivers(signal) -> list:
    return [receiver() if isinstance(receiver, weakref.ReferenceType) else receiver for _, receiver in signal.receivers]


@pytest.mark.parametrize("signal", [worker_init, beat_init], ids=["worker", "beat"])
def test_the_celery_worker_and_beat_run_with_the_jobs_timeouts(signal):
    from nrm.celery import _jobs_get_the_jobs_database_timeouts as at_start

    # Sending worker_init here would also install Celery's worker fixup in the test process: call the receiver.
    assert at_start in _receivers(signal)
    _timeouts()  # a connection already open when the worker starts
    try:
        at_start(sender=None)
        assert database.process_kind() == database.JOB
        assert _timeouts() == ("30min", "1min")  # it is closed, and opened again with them
        connection.close()
        assert _timeouts() == ("30min", "1min")  # as is each new one
    finally:
        database.run_as_web()
    assert _timeouts() == ("15s", "5s")


def test_management_commands_run_with_the_jobs_timeouts():
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute(\"SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout')\")\n"
        "    print('timeouts:', c.fetchone()[0])\n"
    )
    environment = {**os.environ, "DATABASE_URL": database_url_for(connection.settings_dict)}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "timeouts: 30min 1min" in result.stdout
