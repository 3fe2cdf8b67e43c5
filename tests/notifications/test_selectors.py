from datetime import timedelta

from django.utils import timezone

from notifications.models import MAX_EMAIL_ATTEMPTS, Notification
from notifications.selectors import notifications_awaiting_email, notifications_for, unread_count_for
from tests.notifications.factories import NotificationFactory, ReadNotificationFactory, SentNotificationFactory


def test_notifications_for_is_scoped_to_the_user(first_responder):
    mine = NotificationFactory(recipient=first_responder)
    NotificationFactory()
    assert list(notifications_for(user=first_responder)) == [mine]


def test_unread_count_for(first_responder):
    NotificationFactory.create_batch(2, recipient=first_responder)
    ReadNotificationFactory(recipient=first_responder)
    assert unread_count_for(user=first_responder) == 2


def test_the_sweep_finds_old_pending_emails_with_attempts_left(db):
    long_ago = timezone.now() - timedelta(minutes=10)
    due = NotificationFactory(created_at=long_ago, email_attempts=MAX_EMAIL_ATTEMPTS - 1)
    NotificationFactory()  # too recent
    SentNotificationFactory(created_at=long_ago)
    NotificationFactory(created_at=long_ago, email_state=Notification.EmailState.FAILED)
    NotificationFactory(created_at=long_ago, email_attempts=MAX_EMAIL_ATTEMPTS)
    assert list(notifications_awaiting_email(older_than=timedelta(minutes=2))) == [due]
