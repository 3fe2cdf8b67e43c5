import contextlib
import logging
from smtplib import SMTPException, SMTPRecipientsRefused

import kombu.exceptions
import pytest
from django.db import transaction
from django.test import override_settings

from notifications.models import MAX_EMAIL_ATTEMPTS, Notification
from notifications.services import (
    EmailDeliveryError,
    describe_error,
    notification_deliver,
    notification_mark_read,
    notification_render_email,
    notification_resend_email,
    notifications_mark_all_read,
    notify,
)
from notifications.tasks import notification_send_email
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory, ReadNotificationFactory

REFERENCE = "NRM-2026-004217"
FAILING_BACKEND = "tests.notifications.test_services.FailingEmailBackend"


class FailingEmailBackend:
    """An email backend whose server refuses everything, echoing the address back as real servers do."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise SMTPRecipientsRefused({messages[0].to[0]: (550, f"<{messages[0].to[0]}> mailbox unavailable".encode())})


class Rollback(Exception):
    pass


@pytest.fixture
def recipient(db):
    return UserFactory(full_name="Margaret Oyelaran-Smith", email="margaret.os@police.example")


def test_notify_writes_a_pending_row_and_queues_its_email_on_commit(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = notify(recipient=recipient, kind=Notification.Kind.DECISION_SERVED, reference=REFERENCE)
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert notification.is_unread
    assert len(callbacks) == 1


def test_notify_keeps_the_subject_object(recipient):
    other = UserFactory()
    notification = notify(recipient=recipient, kind=Notification.Kind.DECISION_SERVED, subject=other, reference="X")
    notification = Notification.objects.get(pk=notification.pk)
    assert notification.subject == other


def test_nothing_is_written_or_queued_when_the_callers_transaction_rolls_back(
    recipient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, contextlib.suppress(Rollback), transaction.atomic():
        notify(recipient=recipient, kind=Notification.Kind.DECISION_SERVED, reference=REFERENCE)
        raise Rollback
    assert callbacks == []
    assert not Notification.objects.exists()


def test_a_broker_outage_leaves_the_email_pending_and_logs_no_personal_data(
    recipient, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broker_down(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(notification_send_email, "delay", broker_down)
    caplog.set_level(logging.INFO, logger="notifications")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=recipient, kind=Notification.Kind.DECISION_SERVED, reference=REFERENCE)

    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert "the sweep will send it later" in caplog.text
    for personal in (recipient.full_name, recipient.email, "Margaret"):
        assert personal not in caplog.text


def test_deliver_sends_one_email_with_the_reference_and_no_personal_data(recipient, mailoutbox, settings):
    settings.SERVICE_URL = "https://nrm.example.gov.uk"
    notification = NotificationFactory(recipient=recipient, kind=Notification.Kind.DECISION_SERVED, reference=REFERENCE)

    assert notification_deliver(notification_id=notification.pk) is True
    assert notification_deliver(notification_id=notification.pk) is False  # idempotent

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [recipient.email]
    assert message.subject == f"NRM Digital: a decision has been made on {REFERENCE}"
    assert f"A decision has been made on referral {REFERENCE}." in message.body
    assert "Sign in to NRM Digital to see it: https://nrm.example.gov.uk" in message.body
    assert "Margaret" not in message.subject + message.body
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT
    assert notification.email_sent_at is not None


MEMBERSHIP_KINDS = {kind for kind in Notification.Kind if kind.startswith("membership_")}
# About people, not a referral: no reference and no name (the page behind sign-in, or the admin history, says more).
KINDS_WITHOUT_A_REFERENCE = MEMBERSHIP_KINDS | {
    Notification.Kind.STAFF_ACCESS_CHANGED,
    Notification.Kind.PANEL_MEETING_SCHEDULED,  # a meeting is about several cases: its email names none
    Notification.Kind.PANEL_MEETING_INVITATION,
}


@pytest.mark.parametrize("kind", Notification.Kind)
def test_every_kind_has_its_own_email_with_only_the_reference(kind):
    notification = Notification(kind=kind, reference=REFERENCE)
    subject, body = notification_render_email(notification=notification)
    assert subject.startswith("NRM Digital: ")
    assert "\n" not in subject
    assert "there is an update" not in subject  # not the fallback: each kind has its own wording
    if kind in KINDS_WITHOUT_A_REFERENCE:
        assert REFERENCE not in subject + body
    else:
        if kind != Notification.Kind.DRAFT_EXPIRING:
            assert REFERENCE in subject
        assert REFERENCE in body
    assert "{{" not in subject + body
    assert "&" not in subject + body  # not HTML-escaped


def test_a_failed_attempt_is_recorded_without_personal_data_and_raised_for_the_task_to_retry(recipient, mailoutbox):
    notification = NotificationFactory(recipient=recipient)
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND), pytest.raises(EmailDeliveryError) as raised:
        notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert notification.email_attempts == 1
    assert notification.email_last_error == "SMTPRecipientsRefused: recipient refused, code 550"
    assert recipient.email not in str(raised.value)
    assert isinstance(raised.value, SMTPException)  # so the task's autoretry_for retries it
    assert mailoutbox == []


def test_the_last_attempt_marks_the_email_failed(recipient):
    notification = NotificationFactory(recipient=recipient, email_attempts=MAX_EMAIL_ATTEMPTS - 1)
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND), pytest.raises(EmailDeliveryError):
        notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.FAILED
    assert notification.email_attempts == MAX_EMAIL_ATTEMPTS
    # A failed email stays failed until an admin resends it.
    assert notification_deliver(notification_id=notification.pk) is False


def test_the_task_retries_until_the_email_is_marked_failed(recipient):
    notification = NotificationFactory(recipient=recipient)
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        # Run in-process: Celery runs each retry at once, without the backoff's wait.
        notification_send_email.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.FAILED
    assert notification.email_attempts == MAX_EMAIL_ATTEMPTS


def test_an_inactive_recipient_is_not_emailed(db, mailoutbox):
    notification = NotificationFactory(recipient=UserFactory(is_active=False))
    assert notification_deliver(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.FAILED
    assert notification.email_last_error.startswith("RecipientInactive")
    assert mailoutbox == []


def test_delivering_a_notification_that_does_not_exist_does_nothing(db, mailoutbox):
    assert notification_deliver(notification_id=999_999_999) is False
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError("[Errno 111] Connection refused"), "OSError: [Errno 111] Connection refused"),
        (SMTPException("5.1.1 <jo@x.example>: unknown"), "SMTPException: 5.1.1 [address] unknown"),
        (SMTPRecipientsRefused({"jo@x.example": (550, b"no")}), "SMTPRecipientsRefused: recipient refused, code 550"),
    ],
)
def test_errors_are_described_without_addresses(error, expected):
    assert describe_error(error) == expected


def test_error_descriptions_are_short():
    assert len(describe_error(ValueError("x" * 1000))) == 200


def test_resending_gives_a_failed_email_its_attempts_back(recipient, django_capture_on_commit_callbacks):
    failed = NotificationFactory(
        recipient=recipient, email_state=Notification.EmailState.FAILED, email_attempts=MAX_EMAIL_ATTEMPTS
    )
    sent = NotificationFactory(recipient=recipient, email_state=Notification.EmailState.SENT)
    with django_capture_on_commit_callbacks() as callbacks:
        assert notification_resend_email(notification_id=failed.pk) is True
        assert notification_resend_email(notification_id=sent.pk) is False
    assert len(callbacks) == 1
    failed.refresh_from_db()
    assert failed.email_state == Notification.EmailState.PENDING
    assert failed.email_attempts == 0


def test_a_user_marks_their_own_notification_read(recipient):
    notification = NotificationFactory(recipient=recipient)
    notification_mark_read(notification_id=notification.pk, user=recipient)
    notification.refresh_from_db()
    first_read_at = notification.read_at
    assert first_read_at is not None
    notification_mark_read(notification_id=notification.pk, user=recipient)
    notification.refresh_from_db()
    assert notification.read_at == first_read_at  # reading again changes nothing


def test_a_user_cannot_mark_someone_elses_notification_read(recipient):
    notification = NotificationFactory()
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(notification_id=notification.pk, user=recipient)
    notification.refresh_from_db()
    assert notification.is_unread


def test_mark_all_read_marks_only_the_users_unread_notifications(recipient):
    mine = NotificationFactory.create_batch(3, recipient=recipient)
    already_read = ReadNotificationFactory(recipient=recipient)
    someone_elses = NotificationFactory()

    assert notifications_mark_all_read(user=recipient) == 3

    assert all(not Notification.objects.get(pk=n.pk).is_unread for n in mine)
    assert Notification.objects.get(pk=already_read.pk).read_at == already_read.read_at
    assert Notification.objects.get(pk=someone_elses.pk).is_unread
    assert Notification.history.filter(id=mine[0].pk, read_at__isnull=False).exists()


def test_notify_refuses_an_unknown_kind(recipient):
    with pytest.raises(ValueError, match="not_a_kind"):
        notify(recipient=recipient, kind="not_a_kind", reference=REFERENCE)
    assert not Notification.objects.exists()
