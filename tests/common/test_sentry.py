"""Error reports go to Sentry's SDK when a DSN is set, and carry no personal data (common.sentry).

The DSN names a local server standing in for Sentry's ingestion: the SDK posts its envelopes to
/api/<project>/envelope/ there, and the test reads exactly what would have left the machine."""

import json

import pytest
import sentry_sdk
from celery import shared_task
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import RequestFactory

from common.sentry import sentry_init
from tests.fixtures.recording_server import RecordingServer

PERSONAL = {
    "full_name": "Jane Secret-Victim",
    "email": "jane.victim@example.org",
    "date_of_birth": "1999-04-01",
}


@pytest.fixture
def sentry_to(settings):
    """Starts the SDK against a local stand-in for Sentry; switches it off afterwards."""
    servers = []

    def start(server: RecordingServer):
        sentry_init(dsn=f"http://publickey@127.0.0.1:{server.port}/42", environment="test", release="nrm@1.2.3")
        servers.append(server)

    yield start
    sentry_sdk.flush(timeout=10)
    sentry_sdk.get_client().close(timeout=5)
    sentry_sdk.get_global_scope().set_client(None)  # no client sends anything after this test


def events_in(requests) -> list[dict]:
    """Every event in the envelopes received (an envelope is lines of JSON: a header, then item headers and
    payloads)."""
    events = []
    for request in requests:
        assert request.path == "/api/42/envelope/"
        for line in request.body.splitlines():
            item = json.loads(line)
            if isinstance(item, dict) and "exception" in item:
                events.append(item)
    return events


@pytest.mark.django_db
def test_an_error_in_a_view_is_reported_without_the_body_the_query_or_the_users_address(
    client, first_responder, settings, sentry_to
):
    settings.ROOT_URLCONF = "tests.common.ops_urls"
    client.force_login(first_responder)  # a session, whose cookie the browser sends
    session_cookie = client.cookies["sessionid"].value
    # Through Django's WSGI handler, as gunicorn calls it (Sentry's integration reads the request there).
    environ = (
        RequestFactory()
        .post(
            "/ops-test/fail?name=Jane+Secret-Victim",
            PERSONAL,
            HTTP_X_REQUEST_ID="req-sentry-000001",
            HTTP_COOKIE=f"sessionid={session_cookie}; csrftoken=a1b2c3",
            HTTP_REFERER="https://refer.example/referrals/start?email=jane.victim@example.org",
            HTTP_USER_AGENT="Mozilla/5.0 (Jane's laptop)",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            REMOTE_ADDR="203.0.113.9",
        )
        .environ
    )
    statuses = []
    with RecordingServer(status=200) as sentry:
        sentry_to(sentry)
        # As Django's test client does: the test's transaction keeps its connection through the request.
        request_started.disconnect(close_old_connections)
        try:
            b"".join(WSGIHandler()(environ, lambda status, headers, *args: statuses.append(status)))
        finally:
            request_started.connect(close_old_connections)
        sentry_sdk.flush(timeout=10)
        received = sentry.wait_for(1)
    assert statuses == ["500 Internal Server Error"]

    [event] = events_in(received)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "Could not save the referral of [address]"
    assert event["user"] == {"id": str(first_responder.pk), "role": "first_responder"}
    assert event["tags"]["request_id"] == "req-sentry-000001"
    assert event["environment"] == "test"
    assert event["release"] == "nrm@1.2.3"
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"].endswith("/ops-test/fail")
    assert set(event["request"]) <= {"method", "url", "headers"}
    assert {name.lower() for name in event["request"].get("headers", {})} <= {
        "accept", "content-length", "content-type", "host", "x-forwarded-proto", "x-request-id"
    }  # fmt: skip

    everything_sent = b"\n".join(request.body for request in received).decode()
    for personal in [*PERSONAL.values(), "Secret-Victim", first_responder.email, first_responder.full_name]:
        assert personal not in everything_sent
    for private in [session_cookie, "a1b2c3", "203.0.113.9", "Jane's laptop", "name=Jane"]:
        assert private not in everything_sent


def test_nothing_is_reported_without_a_dsn(settings):
    assert settings.SENTRY_DSN == ""  # the tests' environment sets none: settings did not start the SDK
    assert not sentry_sdk.get_client().is_active()


@shared_task(name="tests.common.test_sentry.failing_task")
def failing_task(address: str, reference: str) -> None:
    raise ValueError(f"No account for {address}")


def test_a_failing_task_is_reported_without_its_arguments_or_the_address(sentry_to):
    with RecordingServer(status=200) as sentry:
        sentry_to(sentry)
        result = failing_task.apply(args=["jane.victim@example.org", "NRM-2026-000042"], task_id="task-0000-0001")
        assert result.failed()
        sentry_sdk.flush(timeout=10)
        received = sentry.wait_for(1)

    [event] = events_in(received)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert exception["value"] == "No account for [address]"
    job = event["extra"]["celery-job"]
    assert job["task_name"] == "tests.common.test_sentry.failing_task"
    assert "args" not in job
    assert "kwargs" not in job
    everything_sent = b"\n".join(request.body for request in received).decode()
    assert "jane.victim@example.org" not in everything_sent
    assert "NRM-2026-000042" not in everything_sent
