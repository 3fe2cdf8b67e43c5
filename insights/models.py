"""The statistics' own tables: one fact row per referral, per served decision, per reconsideration and per public
order disqualification, copied from the other apps by `insights.refresh` (a periodic job), so that every
statistics page and export is a GROUP BY over one narrow table and no other app ever calls insights.

The fact tables hold no personal data: categories, dates and the ids of organisations only (never a name, a
reference, a date of birth or free text). They are rebuilt in one transaction, so a reader sees either the last
refresh or the one before it, never half of one."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import User


class AgeGroup(models.TextChoices):
    ADULT = "adult", "Adult (18 or over)"
    CHILD = "child", "Child (17 or under)"
    UNKNOWN = "unknown", "Not specified or unknown"


class ReferralFact(models.Model):
    """One submitted referral or Duty to Notify report, as the published tables count it."""

    referral_id = models.BigIntegerField(primary_key=True)
    referred_on = models.DateField(help_text="The referral date in UK time: referrals are counted by it")
    is_duty_to_notify = models.BooleanField()
    route = models.CharField(max_length=20)
    nation = models.CharField(max_length=20)
    authority_id = models.BigIntegerField(null=True, help_text="The competent authority (none for a Duty to Notify)")
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices)
    gender = models.CharField(max_length=20, blank=True)
    nationalities = ArrayField(models.CharField(max_length=100), default=list)
    exploitation = ArrayField(
        models.CharField(max_length=30), default=list, help_text="Statistics groups, in the published order"
    )
    location = models.CharField(max_length=20, blank=True, help_text="uk, overseas, both or empty")
    responder_kind = models.CharField(max_length=30)
    organisation_id = models.BigIntegerField()
    police_force = models.CharField(max_length=200, blank=True)
    local_authority = models.CharField(max_length=200, blank=True)
    towns = ArrayField(models.CharField(max_length=200), default=list)
    status = models.CharField(max_length=30, blank=True)
    rg_positive_on = models.DateField(null=True)
    cg_first_on = models.DateField(null=True)
    finished_on = models.DateField(null=True, help_text="Withdrawn, closed, merged or disqualified")

    class Meta:
        indexes = [
            models.Index(fields=["is_duty_to_notify", "referred_on"]),
            models.Index(fields=["rg_positive_on"], condition=models.Q(rg_positive_on__isnull=False), name="fact_rg"),
        ]

    def __str__(self) -> str:
        return f"ReferralFact {self.referral_id}"


class DecisionFact(models.Model):
    """One served reasonable or conclusive grounds decision, counted by the date it was issued."""

    decision_id = models.BigIntegerField(primary_key=True)
    referral_id = models.BigIntegerField()
    stage = models.CharField(max_length=2)
    outcome = models.CharField(max_length=10)
    decided_on = models.DateField()
    nation = models.CharField(max_length=20)
    authority_id = models.BigIntegerField()
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices)
    days_from_referral = models.IntegerField()
    days_from_rg = models.IntegerField(null=True, help_text="Conclusive grounds only: from the positive RG")
    negative_reason = models.CharField(max_length=40, blank=True)
    by_panel = models.BooleanField(default=False)
    reviewed = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["stage", "decided_on"])]

    def __str__(self) -> str:
        return f"DecisionFact {self.decision_id}"


class ReconsiderationFact(models.Model):
    reconsideration_id = models.BigIntegerField(primary_key=True)
    stage = models.CharField(max_length=2)
    received_on = models.DateField()
    decided_on = models.DateField(null=True)
    state = models.CharField(max_length=20)
    grounds = ArrayField(models.CharField(max_length=30), default=list)
    nation = models.CharField(max_length=20)
    authority_id = models.BigIntegerField()
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices)

    class Meta:
        indexes = [models.Index(fields=["received_on"])]

    def __str__(self) -> str:
        return f"ReconsiderationFact {self.reconsideration_id}"


class DisqualificationFact(models.Model):
    event_id = models.BigIntegerField(primary_key=True)
    decided_on = models.DateField()
    nation = models.CharField(max_length=20)
    authority_id = models.BigIntegerField()
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices)

    def __str__(self) -> str:
        return f"DisqualificationFact {self.event_id}"


class AwaitingChange(models.Model):
    """How the number of cases awaiting a conclusive grounds decision changed on one day, by nation, authority and
    age group: +1 for each case that started waiting (its positive RG), -1 for each that stopped (its first CG
    served, or it finished). The count at any day is the running sum up to it, and the mean age comes from the
    running sum of the referral dates (days since 2000-01-01), so the table of any period reads a few thousand
    rows instead of every case."""

    day = models.DateField()
    nation = models.CharField(max_length=20)
    authority_id = models.BigIntegerField(null=True)
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices)
    cases = models.IntegerField()
    referred_days = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day}: {self.cases:+d}"


class Refresh(models.Model):
    """Each rebuild of the fact tables: the pages say how fresh their figures are from the newest."""

    finished_at = models.DateTimeField(default=timezone.now, db_index=True)
    seconds = models.FloatField()
    referrals = models.PositiveIntegerField()
    decisions = models.PositiveIntegerField()

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"Refreshed {self.finished_at:%d %b %Y %H:%M}"


class SuppressionPolicy(models.Model):
    """Small-number suppression as data (one row, editable in admin). The published tables show small numbers, so
    screens do not suppress by default; exports that leave the service do."""

    threshold = models.PositiveSmallIntegerField(
        default=5, help_text="Counts from 1 up to one below this are shown as [c]"
    )
    on_screen = models.BooleanField(default=False)
    in_exports = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name_plural = "suppression policy"

    def __str__(self) -> str:
        return "Small-number suppression"

    @classmethod
    def current(cls) -> "SuppressionPolicy":
        return cls.objects.order_by("pk").first() or cls()


class ExportLogEntry(models.Model):
    """Who downloaded which statistics, in which format and with which filters (the exports leave the service)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=80, help_text="The table's key, or research-extract")
    file_format = models.CharField(max_length=10)
    filters = models.JSONField(default=dict, blank=True)
    suppressed = models.BooleanField()
    rows = models.PositiveIntegerField()
    exported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-exported_at", "-pk"]
        verbose_name_plural = "export log entries"
        indexes = [models.Index(fields=["-exported_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.user} exported {self.what} ({self.file_format})"
