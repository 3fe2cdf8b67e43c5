"""Privacy as data: how long the service keeps what, a record of each retention run (counts only), which
referrals have been anonymised, and each subject access export. Reads every app and calls their services
(like `partners`); nothing imports it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

# A guard against a slip of the keyboard: no period may be shorter than a month (or longer than 50 years).
MINIMUM_DAYS = 30
MAXIMUM_DAYS = 50 * 366
_PERIOD = [MinValueValidator(MINIMUM_DAYS), MaxValueValidator(MAXIMUM_DAYS)]


class RetentionPolicy(models.Model):
    """One row, edited in admin; the defaults and their reasons are in docs/adr (retention and subject access)."""

    class Action(models.TextChoices):
        ANONYMISE = "anonymise", "Anonymise: remove personal details, keep the facts statistics count"
        DELETE = "delete", "Delete every record and file"

    closed_case_days = models.PositiveIntegerField(
        default=6 * 365 + 2,
        validators=_PERIOD,
        help_text="Days after the last event on an ended case (closed, withdrawn, merged, disqualified, or a "
        "negative decision served with no reconsideration pending) before its case and referral are removed",
    )
    closed_case_action = models.CharField(max_length=10, choices=Action.choices, default=Action.ANONYMISE)
    duty_to_notify_days = models.PositiveIntegerField(
        default=6 * 365 + 2,
        validators=_PERIOD,
        help_text="Days after a Duty to Notify report was sent before it is removed",
    )
    duty_to_notify_action = models.CharField(max_length=10, choices=Action.choices, default=Action.ANONYMISE)
    access_log_days = models.PositiveIntegerField(
        default=2 * 365 + 1, validators=_PERIOD, help_text="Days an access log entry is kept"
    )
    notification_days = models.PositiveIntegerField(
        default=365, validators=_PERIOD, help_text="Days a notification (and its email's record) is kept"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "retention policy"

    def __str__(self) -> str:
        return "Retention policy"

    @classmethod
    def current(cls) -> "RetentionPolicy":
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class RetentionRun(models.Model):
    """One run of the retention job (or its dry run): when, by whom, and how many of each kind. No reference,
    name or other detail of what was removed."""

    class Trigger(models.TextChoices):
        JOB = "job", "Periodic job"
        COMMAND = "command", "Management command"
        ADMIN = "admin", "Admin page"

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.JSONField(default=dict, blank=True, help_text="How many of each kind were (or would be) removed")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{'Dry run' if self.dry_run else 'Run'} {self.pk}"


class AnonymisedReferral(models.Model):
    """A referral (and its case) already anonymised: the unique referral makes anonymising happen once, even
    when two runs meet."""

    referral = models.OneToOneField("referrals.Referral", on_delete=models.CASCADE, related_name="+")
    anonymised_at = models.DateTimeField(default=timezone.now)
    run = models.ForeignKey(RetentionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Anonymised referral {self.referral_id}"


class SubjectAccessExport(models.Model):
    """Each export of everything held about one person: who made it, when, and of which record."""

    reference = models.CharField(max_length=40, help_text="The referral's or case's reference")
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now, db_index=True)
    file_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-exported_at", "-pk"]

    def __str__(self) -> str:
        return f"Subject access export {self.pk}"
