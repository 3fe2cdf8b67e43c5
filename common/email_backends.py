"""Email through GOV.UK Notify, as a Django email backend (settings choose it when NOTIFY_API_KEY is set).

Every email the service sends (notifications, sign-in codes, password resets) is rendered by our own templates, as
with SMTP, and goes through one generic Notify email template whose content is `((body))` and whose subject is
`((subject))` (NOTIFY_TEMPLATE_ID): the wording stays in this repository, reviewed with the code, and the same
whichever way the email leaves. Notify sends from the service's own address (its settings, not
DEFAULT_FROM_EMAIL).

An email with several recipients is one Notify request each. A refusal (4xx) or a failure (5xx, no answer within
NOTIFY_TIMEOUT) raises NotifyDeliveryError, an OSError: notifications.services records it and the email task
retries, as after an SMTP error. Its message names the status and Notify's error classes and messages, with any
address taken out.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from common.log_formats import without_addresses

logger = logging.getLogger(__name__)


class NotifyDeliveryError(OSError):
    """Notify refused an email or could not be reached. No address in the message."""


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
        )

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            try:
                self._send(message)
            except NotifyDeliveryError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _send(self, message) -> None:
        if message.attachments:
            raise ValueError("GOV.UK Notify's generic template sends text only: this email has attachments")
        personalisation = {"subject": " ".join(str(message.subject).split()), "body": message.body}
        for address in message.recipients():
            try:
                self.client.send_email_notification(
                    email_address=address, template_id=settings.NOTIFY_TEMPLATE_ID, personalisation=personalisation
                )
            except APIError as error:
                raise NotifyDeliveryError(_describe(error)) from None
            except requests.RequestException as error:
                raise NotifyDeliveryError(f"GOV.UK Notify did not answer ({type(error).__name__})") from None


def _describe(error: APIError) -> str:
    """'GOV.UK Notify answered 400: BadRequestError Can't send to this recipient ...', without addresses."""
    if error.response is None:  # the client wraps a connection error or a timeout in an APIError without a response
        return f"GOV.UK Notify did not answer ({type(error.__cause__).__name__})"
    detail = error.message
    if isinstance(detail, list):
        detail = "; ".join(
            " ".join(str(part) for part in (item.get("error"), item.get("message")) if part)
            if isinstance(item, dict)
            else str(item)
            for item in detail
        )
    return without_addresses(f"GOV.UK Notify answered {error.status_code}: {detail}")[:300]
