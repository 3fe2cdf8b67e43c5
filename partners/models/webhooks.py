"""Webhooks (issue 14, part D): a client's endpoints, told of its organisation's public changes, and the log of
every delivery (docs/adr/0028-webhooks-signed-through-the-outbox.md)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from partners.models.clients import ApiClient


class WebhookEndpoint(models.Model):
    """Where one client wants its organisation's changes POSTed. The secret signs each delivery (HMAC-SHA256); it
    is shown to the client once, when the endpoint is registered, and kept to sign (never shown again)."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="webhook_endpoints")
    url = models.URLField(max_length=500, help_text="HTTPS only")
    secret = models.CharField(max_length=100, editable=False)
    events = ArrayField(
        models.CharField(max_length=60), default=list, blank=True, help_text="Empty: every kind of change"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "webhook endpoint"
        indexes = [models.Index(fields=["client", "active"])]

    def __str__(self) -> str:
        return f"{self.client}: {self.url}"

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events


class WebhookDelivery(models.Model):
    """One change sent (or being sent) to one endpoint: its payload (no personal data), every attempt counted,
    the last answer, and when it is tried next."""

    # What the delivery log shows, in the partner's API and in admin alike.
    LOG_FIELDS = (
        "event",
        "event_id",
        "payload",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "last_attempt_at",
        "next_try_at",
        "created_at",
        "delivered_at",
    )

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed: no more attempts"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries")
    event_id = models.CharField(max_length=100, help_text="The change's id: the receiver's de-duplication key")
    event = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_once_per_endpoint")
        ]
        indexes = [models.Index(fields=["endpoint", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} -> {self.endpoint_id} ({self.status})"
