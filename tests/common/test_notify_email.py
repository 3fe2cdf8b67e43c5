"""Email through GOV.UK Notify when NOTIFY_API_KEY is set (common.email_backends), against a local stand-in for
Notify's API: the same templates as SMTP, a JWT signed with the key's secret, and errors the outbox retries."""

import re
import time
import uuid

import jwt
import pytest
from django.core import mail
from django.urls import reverse

from common.email_backends import NotifyDeliveryError
from notifications.models import Notification
from notifications.services import EmailDeliveryError, notification_deliver, notification_render_email
from notifications.tasks import notification_send_email
from tests.factories import UserFactory
from tests.fixtures.recording_server import RecordingServer
from tests.notifications.factories import NotificationFactory

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"nrm_test-{SERVICE_ID}-{SECRET}"  # Notify's form: key name, service id, secret
TEMPLATE_ID = str(uuid.uuid4())
CODE = re.compile(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", re.MULTILINE)  # allauth's sign-in code, on its line
NOTIFY_CREATED = {"id": str(uuid.uuid4()), "content": {"subject": "", "body": ""}, "template": {"id": TEMPLATE_ID}}


@pytest.fixture
def through_notify(settings):
    def use(server: RecordingServer):
        settings.EMAIL_BACKEND = "common.email_backends.NotifyEmailBackend"
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_TEMPLATE_ID = TEMPLATE_ID
        settings.NOTIFY_BASE_URL = server.url

    return use


@pytest.mark.django_db
def test_a_notification_email_goes_through_notify_with_the_subject_and_body_smtp_would_send(settings, through_notify):
    recipient = UserFactory()
    reference = "NRM-2026-004217"
    # The same email through the SMTP path (Django's in-memory backend stands for it in tests) ...
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    by_smtp = NotificationFactory(recipient=UserFactory(), reference=reference)
    assert notification_deliver(notification_id=by_smtp.pk)
    [smtp_email] = mail.outbox

    # ... and through Notify.
    notification = NotificationFactory(recipient=recipient, reference=reference)
    with RecordingServer(status=201, body=NOTIFY_CREATED) as notify:
        through_notify(notify)
        before = int(time.time())
        assert notification_deliver(notification_id=notification.pk)
        [request] = notify.requests

    assert request.path == "/v2/notifications/email"
    token = request.headers["authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])  # fails unless signed with the key's secret part
    assert claims["iss"] == SERVICE_ID
    assert before - 1 <= claims["iat"] <= int(time.time()) + 1
    subject, body = notification_render_email(notification=notification)
    assert request.json() == {
        "email_address": recipient.email,
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": subject, "body": body},
    }
    assert (subject, body) == (smtp_email.subject, smtp_email.body)  # the templates are the same either way
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "error", "expected"),
    [
        (400, "BadRequestError", "GOV.UK Notify answered 400: BadRequestError Can't send to [address] using a team"),
        (403, "AuthError", "GOV.UK Notify answered 403: AuthError Can't send to [address] using a team"),
        (500, "Exception", "GOV.UK Notify answered 500: Exception Can't send to [address] using a team"),
    ],
)
def test_a_notify_refusal_or_failure_is_retried_and_its_stored_error_has_no_address(
    through_notify, status, error, expected
):
    notification = NotificationFactory()
    address = notification.recipient.email
    refusal = {
        "status_code": status,
        "errors": [{"error": error, "message": f"Can't send to {address} using a team-only API key"}],
    }
    with RecordingServer(status=status, body=refusal) as notify:
        through_notify(notify)
        with pytest.raises(EmailDeliveryError) as raised:
            notification_deliver(notification_id=notification.pk)

    assert isinstance(raised.value, notification_send_email.autoretry_for)  # the task tries again
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert notification.email_attempts == 1
    assert notification.email_last_error.startswith(f"NotifyDeliveryError: {expected}")
    assert address not in notification.email_last_error
    assert address not in str(raised.value)


@pytest.mark.django_db
def test_notify_not_answering_is_retried_too(through_notify):
    notification = NotificationFactory()
    with RecordingServer() as notify:
        through_notify(notify)
    # The server has stopped: nothing answers on its port.
    with pytest.raises(EmailDeliveryError):
        notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert notification.email_last_error.startswith(
        "NotifyDeliveryError: GOV.UK Notify did not answer (ConnectionError)"
    )


def test_an_email_with_several_recipients_is_one_notify_request_each(through_notify):
    with RecordingServer(status=201, body=NOTIFY_CREATED) as notify:
        through_notify(notify)
        sent = mail.send_mail("Subject\nsplit", "Body", None, ["a@org.example", "b@org.example"])
        requests = notify.requests
    assert sent == 1
    assert [r.json()["email_address"] for r in requests] == ["a@org.example", "b@org.example"]
    assert {r.json()["personalisation"]["subject"] for r in requests} == {"Subject split"}


def test_a_failed_send_raises_unless_told_to_fail_silently(through_notify):
    with RecordingServer(status=400, body={"errors": [{"error": "ValidationError", "message": "bad"}]}) as notify:
        through_notify(notify)
        with pytest.raises(NotifyDeliveryError, match="ValidationError bad"):
            mail.send_mail("Subject", "Body", None, ["a@org.example"])
        assert mail.send_mail("Subject", "Body", None, ["a@org.example"], fail_silently=True) == 0


@pytest.mark.django_db
def test_a_sign_in_code_through_notify_is_the_email_smtp_would_send_and_it_signs_in(client, settings, through_notify):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    by_smtp = UserFactory()
    client.post(reverse("account_request_login_code"), {"email": by_smtp.email})
    [smtp_email] = mail.outbox
    client.logout()

    person = UserFactory()
    with RecordingServer(status=201, body=NOTIFY_CREATED) as notify:
        through_notify(notify)
        response = client.post(reverse("account_request_login_code"), {"email": person.email})
        [request] = notify.requests

    payload = request.json()
    assert payload["email_address"] == person.email
    assert payload["template_id"] == TEMPLATE_ID
    subject, body = payload["personalisation"]["subject"], payload["personalisation"]["body"]
    assert subject == smtp_email.subject
    code = CODE.search(body).group(1)
    # The same template: the same text but for the code (and the address, should the template show it).
    assert CODE.sub("CODE", body) == CODE.sub("CODE", smtp_email.body).replace(by_smtp.email, person.email)
    response = client.post(response.url, {"code": code}, follow=True)
    assert response.wsgi_request.user == person
