"""The demo's notifications: those its referrals, cases and panels cause through the services, each pointing at a
real demo object its recipient opens; no placeholders, nothing left to email."""

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.models import User
from notifications import demo
from notifications.models import Notification
from notifications.selectors import notification_link
from tests.factories import UserFactory
from tests.security.world import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeds once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", force=True, stdout=None)
        yield
        transaction.set_rollback(True)


def test_seed_removes_placeholders_and_marks_the_rest_emailed_and_sends_nothing(mailoutbox):
    users = [UserFactory(role="first_responder"), UserFactory(role="caseworker")]
    placeholder = Notification.objects.create(
        recipient=users[1], kind=Notification.Kind.CASE_ASSIGNED, reference=demo.PLACEHOLDER_REFERENCES[0]
    )
    real = Notification.objects.create(recipient=users[0], kind=Notification.Kind.REFERRAL_SUBMITTED)
    assert demo.seed(users) == 1
    assert demo.seed(users) == 0
    assert not Notification.objects.filter(pk=placeholder.pk).exists()
    real.refresh_from_db()
    assert (real.email_state, real.read_at) == (Notification.EmailState.SENT, None)
    assert mailoutbox == []


def test_every_demo_notification_opens_a_real_object_its_recipient_may_see(seeded, client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    notifications = Notification.objects.select_related("recipient").order_by("recipient_id", "pk")
    assert notifications.exists()
    assert not notifications.filter(reference__in=demo.PLACEHOLDER_REFERENCES, object_id__isnull=True).exists()
    opened = set()
    for notification in notifications:
        recipient = notification.recipient
        assert notification.audience.admits(recipient), (notification.kind, recipient.role)
        link = notification_link(notification=notification, user=recipient)
        if link is None or (recipient.pk, link) in opened:
            continue
        opened.add((recipient.pk, link))
        sign_in(client, recipient)
        response = client.get(link, follow=True)
        assert response.status_code == 200, (notification.kind, recipient.email, link)
    assert opened


def test_the_demo_sign_ins_who_work_cases_have_notifications_to_open(seeded):
    emails = {email for email, *_ in accounts_demo.DEMO_USERS}
    told = set(
        User.objects.filter(email__in=emails, notifications__isnull=False).values_list("role", flat=True).distinct()
    )
    assert {"first_responder", "caseworker", "manager", "panel_chair", "panel_member"} <= told
