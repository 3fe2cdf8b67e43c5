"""Logs: JSON lines with the request id, the user's id and role and the task id, never personal data
(common.request_context, common.log_formats); the start-up 503 of /readyz is no ERROR."""

import io
import json
import logging
import socket

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from common import health, log_formats, request_context
from notifications.models import Notification
from notifications.services import notification_queue_email
from tests.notifications.factories import NotificationFactory


@pytest.fixture
def json_lines():
    """The root logger also writes through the production JSON handler (settings.LOGGING with LOG_FORMAT=json)
    into a buffer; the fixture returns a function that parses what it has written so far."""
    config = log_formats.logging_config(log_format="json", level="INFO")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(log_formats.JsonFormatter(fmt=config["formatters"]["json"]["fmt"]))
    handler.addFilter(request_context.RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.text = stream.getvalue
    yield lines
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_signed_in_request_logs_json_with_its_request_id_user_id_and_role_and_no_address(
    client, first_responder, json_lines
):
    client.force_login(first_responder)
    response = client.get("/no-such-page?email=someone@example.org", HTTP_X_REQUEST_ID="lb-4f1c2a9e-0001")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-4f1c2a9e-0001"  # the load balancer's id, sent back
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page"
    assert line["request_id"] == "lb-4f1c2a9e-0001"
    assert line["user_id"] == str(first_responder.pk)
    assert line["role"] == "first_responder"
    assert line["time"].endswith("+00:00")
    assert set(line) <= {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "user_id",
        "role",
        "task_id",
        "status_code",
    }
    text = json_lines.text()
    assert first_responder.email not in text
    assert first_responder.full_name not in text
    assert "someone@example.org" not in text


@pytest.mark.django_db
def test_a_request_without_a_sane_request_id_gets_a_new_one(client, json_lines):
    response = client.get("/no-such-page", HTTP_X_REQUEST_ID="jane.victim@example.org")
    request_id = response["X-Request-ID"]
    assert request_id != "jane.victim@example.org"
    assert len(request_id) == 32
    int(request_id, 16)
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == request_id
    assert line["user_id"] == ""
    assert line["role"] == ""
    assert "jane.victim" not in json_lines.text()

    second = client.get("/no-such-page")
    assert second["X-Request-ID"] != request_id  # one id per request


def test_an_address_in_a_log_message_or_a_traceback_is_taken_out(json_lines):
    logger = logging.getLogger("nrm.test")
    try:
        raise ValueError("duplicate key value violates unique constraint: Key (email)=(jane@example.org) exists")
    except ValueError:
        logger.exception("Could not save the account of jane@example.org")
    [line] = json_lines()
    assert line["message"] == "Could not save the account of [address]"
    assert "Key (email)=([address]) exists" in line["exc_info"]
    assert "jane@example.org" not in json_lines.text()


def test_weasyprint_progress_and_fonttools_are_quiet_below_warning(settings):
    config = log_formats.logging_config(log_format="json", level="INFO")
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        assert config["loggers"][name]["level"] == "WARNING"
    assert settings.LOGGING["loggers"]["weasyprint.progress"]["level"] == "WARNING"
    assert logging.getLogger("weasyprint.progress").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("fontTools.subset").getEffectiveLevel() == logging.WARNING


def test_production_logs_json_and_the_tests_plain_text(settings):
    assert settings.LOG_FORMAT == "plain"  # pyproject.toml's test environment, as `make run`'s .env
    assert "json" in log_formats.logging_config(log_format="json", level="INFO")["formatters"]
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        log_formats.logging_config(log_format="xml", level="INFO")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_readyz_not_ready_during_start_up_is_one_warning_naming_what_is_down_and_no_error(
    client, settings, caplog, monkeypatch
):
    monkeypatch.setattr(health, "_last_down", None)  # a freshly started process
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"  # Redis not up yet

    with caplog.at_level(logging.INFO):
        for _ in range(3):  # a load balancer probing while the service starts
            assert client.get(reverse("readyz")).status_code == 503

    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    assert [record for record in caplog.records if record.name == "django.request"] == []
    [warning] = [record for record in caplog.records if record.name == "common.health"]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage() == "Not ready: redis, celery_worker not answering"


@pytest.mark.worker
def test_a_task_queued_during_a_request_logs_with_its_task_id_and_the_requests_id(
    transactional_db, celery_worker_process
):
    notification = NotificationFactory(kind=Notification.Kind.DECISION_SERVED)

    def view(request):
        notification_queue_email(notification_id=notification.pk)
        return HttpResponse()

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-task-00000042")
    response = request_context.RequestIdMiddleware(view)(request)
    request_context.clear()
    assert response["X-Request-ID"] == "req-task-00000042"

    def sent_line():
        return next(
            (
                line
                for line in celery_worker_process.log().splitlines()
                if f"Notification {notification.pk}: email sent" in line
            ),
            None,
        )

    line = celery_worker_process.wait_until(sent_line)
    # The worker logs through settings.LOGGING (plain text in the tests): " request=... task=<the task's id>".
    assert " request=req-task-00000042 " in line
    task_id = line.rsplit(" task=", 1)[1]
    assert len(task_id) == 36  # Celery's task ids are UUIDs
    assert notification.recipient.email not in celery_worker_process.log()
