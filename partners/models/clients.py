"""An OAuth2 client of the partner API, and the log of its calls."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partners.scopes import Scope


class ApiClient(models.Model):
    """One named client of one organisation: an OAuth2 application (client credentials, secret stored hashed) and
    the service user every call acts as, so that the referral services' rules and history name it."""

    name = models.CharField(max_length=100, help_text="For example: Our case management system")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="api_clients")
    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.PROTECT, related_name="api_client"
    )
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client")
    scopes = ArrayField(models.CharField(max_length=40, choices=Scope.choices), default=list)
    # Requests a minute this client may make; empty: settings.PARTNER_API_RATE_PER_MINUTE.
    rate_per_minute = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = "partner API client"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="api_client_name_unique_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def client_id(self) -> str:
        return self.application.client_id


class ApiRequestLogEntry(models.Model):
    """Every call of the partner API: which client, which route (its name, never its path's values), the answer.
    Never a request's body."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="requests")
    method = models.CharField(max_length=10)
    route = models.CharField(max_length=100, help_text="The URL's name, for example partners-api:referral-detail")
    status = models.PositiveSmallIntegerField()
    request_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "partner API request"
        indexes = [models.Index(fields=["client", "-at"])]

    def __str__(self) -> str:
        return f"{self.client} {self.method} {self.route} {self.status}"
