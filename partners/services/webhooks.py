"""Webhooks: registering and removing a client's endpoints, and telling them of its organisation's changes.

A change (partners.events.PublicChange) writes, in the transaction that makes it, one WebhookDelivery and one
outbox row per endpoint that wants it; after commit a worker posts it (`webhook_deliver`). A failed attempt is
recorded on the delivery and tried again after a backoff (1, 2, 4 ... minutes, at most an hour) through a new
outbox row that the outbox's sweep publishes when its time comes, until PARTNER_WEBHOOK_MAX_ATTEMPTS.
"""

import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.outbox import outbox_enqueue, outbox_handler
from partners.events import ChangeEvent, PublicChange
from partners.models import ApiClient, WebhookDelivery, WebhookEndpoint
from partners.scopes import Scope
from partners.webhooks import WebhookUrlRefused, payload_body, post_signed, url_check

MAX_ENDPOINTS_PER_CLIENT = 10
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt."""
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


@transaction.atomic
def webhook_endpoint_create(*, client: ApiClient, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    """Registers an endpoint; returns it and its signing secret (shown to the client this once)."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    try:
        url_check(url, resolve=False)
    except WebhookUrlRefused as error:
        raise ValidationError({"url": str(error)}) from error
    unknown = sorted(set(events) - set(ChangeEvent.values))
    if unknown:
        raise ValidationError({"events": f"Unknown events: {', '.join(unknown)}"})
    if client.webhook_endpoints.filter(active=True).count() >= MAX_ENDPOINTS_PER_CLIENT:
        raise ValidationError({"url": f"A client can have at most {MAX_ENDPOINTS_PER_CLIENT} webhooks"})
    if client.webhook_endpoints.filter(active=True, url=url).exists():
        raise ValidationError({"url": "This client already has a webhook with this URL"})
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    endpoint = WebhookEndpoint.objects.create(
        client=client, url=url, secret=secret, events=sorted(set(events), key=ChangeEvent.values.index)
    )
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Stops the endpoint being told anything; its deliveries stay in the log, those still waiting are not sent."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if not endpoint.active:
        return
    endpoint.active = False
    endpoint.deleted_at = timezone.now()
    endpoint.save(update_fields=["active", "deleted_at"])


@transaction.atomic
def webhook_change_enqueue(*, change: PublicChange) -> list[WebhookDelivery]:
    """In the caller's transaction: one delivery (and outbox row) per active endpoint of the referring
    organisation's active clients allowed to read referrals, that wants this kind of change. Once per endpoint
    and change (the change's id)."""
    endpoints = WebhookEndpoint.objects.filter(
        active=True,
        client__organisation_id=change.organisation_id,
        client__revoked_at__isnull=True,
        client__scopes__contains=[Scope.REFERRALS_READ.value],
    )
    made = []
    for endpoint in endpoints:
        if not endpoint.wants(change.event):
            continue
        delivery, created = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint,
            event_id=change.id,
            defaults={"event": change.event, "payload": change.payload(), "next_try_at": timezone.now()},
        )
        if created:
            outbox_enqueue(webhook_deliver, delivery_id=delivery.pk)
            made.append(delivery)
    return made


@outbox_handler()
def webhook_deliver(*, delivery_id: int) -> None:
    """One attempt of one delivery (the outbox runs it in a transaction holding its row). Safe to run twice: a
    delivery no longer waiting is left alone. A receiver may still see a change twice (a worker lost after
    posting): it de-duplicates on the payload's id."""
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("endpoint__client")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return
    endpoint = delivery.endpoint
    now = timezone.now()
    if not endpoint.active or not endpoint.client.is_active:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.last_error = "The webhook was removed" if not endpoint.active else "The client was revoked"
        delivery.next_try_at = None
        delivery.save(update_fields=["status", "last_error", "next_try_at"])
        return
    attempt = post_signed(
        url=endpoint.url,
        secret=endpoint.secret,
        body=payload_body(delivery.payload),
        event_id=delivery.event_id,
        timestamp=str(int(time.time())),
    )
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = attempt.status_code
    delivery.last_error = attempt.error
    if attempt.delivered:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_try_at = None
    elif delivery.attempts >= settings.PARTNER_WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_try_at = None
    else:
        delivery.next_try_at = now + backoff(delivery.attempts)
        outbox_enqueue(webhook_deliver, not_before=delivery.next_try_at, delivery_id=delivery.pk)
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "status",
            "delivered_at",
            "next_try_at",
        ]
    )
