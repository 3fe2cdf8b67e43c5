"""The email path end to end, with a real Celery worker (tests/fixtures/celery_worker.py) on Redis."""

import contextlib
from datetime import timedelta
from smtplib import SMTPException

import pytest
from celery.signals import before_task_publish
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from notifications.models import Notification
from notifications.services import EmailDeliveryError, notification_deliver, notify
from notifications.tasks import notification_send_email, notification_sweep_unsent
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.worker


class BrokenSmtpBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise SMTPException("451 4.3.0 Temporary server error")


class Rollback(Exception):
    pass


@pytest.fixture
def worker(transactional_db, celery_worker_process):
    celery_worker_process.clear_mail()
    return celery_worker_process


@pytest.fixture
def published():
    """The ids of the email tasks this process publishes to the broker (Celery's own signal, no mock)."""
    ids = []

    def record(sender=None, body=None, **kwargs):
        if sender == notification_send_email.name:
            ids.append(body[0][0])

    before_task_publish.connect(record, weak=False)
    yield ids
    before_task_publish.disconnect(record)


def wait_until_sent(worker, notification):
    def sent():
        notification.refresh_from_db()
        return notification.email_state == Notification.EmailState.SENT

    worker.wait_until(sent, timeout=20)


def messages_about(worker, reference):
    return [message for message in worker.messages() if reference in message["Subject"]]


def test_the_worker_emails_a_notification_once_its_transaction_commits(worker):
    recipient = UserFactory(full_name="Adaeze Whitfield-Novak", email="adaeze.wn@police.example")
    with transaction.atomic():
        notification = notify(recipient=recipient, kind=Notification.Kind.DECISION_SERVED, reference="NRM-2026-004217")

    wait_until_sent(worker, notification)
    [message] = worker.messages()
    assert message["To"] == recipient.email
    assert message["Subject"] == "NRM Digital: a decision has been made on NRM-2026-004217"
    text = message.as_string()
    assert "NRM-2026-004217" in message.get_content()
    assert "Adaeze" not in text
    assert "Whitfield" not in text
    assert notification.email_sent_at is not None
    assert notification.email_attempts == 0


def test_the_sweep_sends_an_email_whose_first_attempt_failed(worker):
    notification = NotificationFactory(reference="NRM-2026-000777")
    with override_settings(EMAIL_BACKEND=f"{__name__}.BrokenSmtpBackend"), pytest.raises(EmailDeliveryError):
        notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert notification.email_attempts == 1
    assert notification.email_last_error == "SMTPException: 451 4.3.0 Temporary server error"

    assert notification_sweep_unsent() == 0  # too recent: its own task may still be on its way

    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert notification_sweep_unsent() == 1

    wait_until_sent(worker, notification)
    assert len(messages_about(worker, "NRM-2026-000777")) == 1
    assert notification.email_last_error == ""


def test_queueing_the_same_email_twice_sends_it_once(worker):
    duplicate = NotificationFactory(reference="NRM-2026-000501")
    marker = NotificationFactory(reference="NRM-2026-000502")
    notification_send_email.delay(duplicate.pk)
    notification_send_email.delay(duplicate.pk)
    notification_send_email.delay(marker.pk)  # the solo worker runs tasks in order: this one comes last

    wait_until_sent(worker, marker)
    duplicate.refresh_from_db()
    assert duplicate.email_state == Notification.EmailState.SENT
    assert len(messages_about(worker, "NRM-2026-000501")) == 1


def test_nothing_is_queued_when_the_transaction_rolls_back(worker, published):
    recipient = UserFactory(role=Role.CASEWORKER)  # a case assigned is told to authority staff
    with contextlib.suppress(Rollback), transaction.atomic():
        notify(recipient=recipient, kind=Notification.Kind.CASE_ASSIGNED, reference="NRM-2026-000901")
        raise Rollback
    with transaction.atomic():
        committed = notify(recipient=recipient, kind=Notification.Kind.CASE_ASSIGNED, reference="NRM-2026-000902")

    wait_until_sent(worker, committed)
    assert not Notification.objects.filter(reference="NRM-2026-000901").exists()
    assert published == [committed.pk]
    assert list(Notification.objects.values_list("reference", flat=True)) == ["NRM-2026-000902"]
    assert [message["Subject"] for message in worker.messages()] == [
        "NRM Digital: case NRM-2026-000902 has been assigned to you"
    ]
