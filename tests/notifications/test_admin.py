import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.services import roles_sync_groups
from notifications.models import MAX_EMAIL_ATTEMPTS, Notification
from notifications.services import notification_queue_email
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory, SentNotificationFactory

CHANGELIST = reverse("admin:notifications_notification_changelist")


@pytest.fixture
def admin_client(client, db, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    # accounts syncs the role groups on accounts' own post_migrate, before the permissions of the apps after it
    # in INSTALLED_APPS (this one) exist; a second sync gives the Administrator group its notification rights.
    roles_sync_groups()
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=False))
    return client


def test_failed_emails_show_in_admin_with_their_error(admin_client):
    NotificationFactory(
        email_state=Notification.EmailState.FAILED,
        email_attempts=MAX_EMAIL_ATTEMPTS,
        email_last_error="SMTPRecipientsRefused: recipient refused, code 550",
        reference="NRM-2026-000404",
    )
    response = admin_client.get(CHANGELIST, {"email_state__exact": "failed"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "NRM-2026-000404" in page
    assert "SMTPRecipientsRefused: recipient refused, code 550" in page


def test_send_the_email_again_resets_failed_ones_and_queues_them(admin_client, django_capture_on_commit_callbacks):
    failed = NotificationFactory(email_state=Notification.EmailState.FAILED, email_attempts=MAX_EMAIL_ATTEMPTS)
    sent = SentNotificationFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            CHANGELIST, {"action": "send_email_again", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )
    page = response.content.decode()
    assert "1 email queued to be sent again" in page
    assert "1 notification was not resent" in page
    # One email queued (the busy-page middleware's own callbacks, noting committed writes, are not emails).
    queued = [callback for callback in callbacks if getattr(callback, "func", None) is notification_queue_email]
    assert len(queued) == 1
    failed.refresh_from_db()
    assert (failed.email_state, failed.email_attempts) == (Notification.EmailState.PENDING, 0)
    sent.refresh_from_db()
    assert sent.email_state == Notification.EmailState.SENT


def test_notifications_cannot_be_added_in_admin(admin_client):
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
