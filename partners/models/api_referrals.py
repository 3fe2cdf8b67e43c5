"""Part A of issue 14: the Idempotency-Key of the partner API's creates (partners.api.idempotency)."""

from django.db import models
from django.utils import timezone

from partners.models.clients import ApiClient


class IdempotencyKey(models.Model):
    """One client's Idempotency-Key and the first successful answer to the request that carried it. A retry with
    the same key and the same request gets this answer again; the row is inserted in the create's own
    transaction, so a concurrent retry waits on the unique index until the first has committed (or rolled back)."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=100, help_text="For example: referral-create")
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the request's method, path and content")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "partner API idempotency key"
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_unique_per_client")]

    def __str__(self) -> str:
        return f"{self.client} {self.operation} {self.key}"
