"""Part E of issue 14: referrals imported from the live GOV.UK service's case payload (partners.govuk_payload)."""

from django.db import models
from django.utils import timezone

from partners.models.clients import ApiClient


class ImportedReferral(models.Model):
    """One GOV.UK payload imported: its ExternalId (the live service's id of the report, the same when the report
    is sent twice) refuses a second referral, and the values the questionnaire has no question for are kept as
    received so that the export gives them back."""

    external_id = models.UUIDField(unique=True, help_text="The payload's ExternalId")
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="govuk_import")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="imports")
    kept = models.JSONField(default=dict, blank=True, help_text="Keys without a question, as received")
    through_command = models.BooleanField(default=False, help_text="Imported by manage.py import_gov_uk_referral")
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "imported GOV.UK referral"

    def __str__(self) -> str:
        return f"{self.external_id} -> {self.referral_id}"
