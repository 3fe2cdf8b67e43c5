"""Drafts (answers as JSON, editable by the organisation), submitted referrals (a frozen snapshot plus typed,
indexed columns for the queue, search, duplicate check and statistics), evidence files and feedback."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Nation, Organisation, User
from common.models import TimeStampedModel
from common.storage import private_storage
from common.virus_scan import ScannedUpload


class Route(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult"
    DUTY_TO_NOTIFY = "duty_to_notify", "Duty to Notify"


class Draft(TimeStampedModel):
    """A referral being written. Belongs to the organisation: any of its first responders may continue it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="drafts")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    last_changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    # Incremented by every save: a page posted from an older version is refused rather than overwriting.
    version = models.PositiveIntegerField(default=1)
    furthest_page = models.CharField(max_length=80, blank=True)
    expiry_warning_sent_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "submitted_at", "updated_at"]),
            models.Index(fields=["updated_at"], condition=models.Q(submitted_at__isnull=True), name="draft_unsent_age"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.pk}"


def evidence_path(instance, filename: str) -> str:
    """Stored under a random name: the uploaded name is never trusted for storage."""
    return f"evidence/{uuid.uuid4().hex}"


class Referral(models.Model):
    """A submitted referral or Duty to Notify report: immutable once written."""

    reference = models.CharField(max_length=20, unique=True)
    route = models.CharField(max_length=20, choices=Route.choices, db_index=True)
    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="referral")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(db_index=True)
    answers = models.JSONField()
    # Typed copies of the answers that lists, search, the duplicate check and statistics filter on.
    responder_reference = models.CharField(max_length=100, blank=True)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    is_child = models.BooleanField()
    child_at_exploitation = models.CharField(max_length=10, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    nationalities = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    exploitation_types = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    exploited_in = models.CharField(max_length=20, blank=True)
    person_name_key = models.CharField(
        max_length=300, blank=True, help_text="Normalised first and last name, for the duplicate check"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    home_office_reference = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "-submitted_at"]),
            models.Index(fields=["organisation", "responder_reference"]),
            models.Index(fields=["person_name_key", "date_of_birth"]),
            models.Index(fields=["home_office_reference"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_duty_to_notify(self) -> bool:
        return self.route == Route.DUTY_TO_NOTIFY

    @property
    def reference_name(self) -> str:
        """What our reference is called wherever it is shown ("your reference" is only the responder's own)."""
        return "Duty to Notify reference" if self.is_duty_to_notify else "NRM reference"


class EvidenceFile(ScannedUpload):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255, help_text="As uploaded, for display only")
    content_type = models.CharField(max_length=100, help_text="Detected from the file's content")
    size = models.PositiveBigIntegerField()
    description = models.TextField(max_length=1000)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ReferralFeedback(models.Model):
    """The GOV.UK feedback after sending: how satisfied, what could be better. Holds no personal data."""

    class Satisfaction(models.IntegerChoices):
        VERY_SATISFIED = 5, "Very satisfied"
        SATISFIED = 4, "Satisfied"
        NEITHER = 3, "Neither satisfied or dissatisfied"
        DISSATISFIED = 2, "Dissatisfied"
        VERY_DISSATISFIED = 1, "Very dissatisfied"

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="feedback")
    satisfaction = models.PositiveSmallIntegerField(choices=Satisfaction.choices)
    improvements = models.TextField(max_length=1200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Feedback {self.pk}"


class ReferralPolicy(models.Model):
    """Policy as data for the first responder's side (one row, editable in admin): draft retention and evidence
    limits. The defaults are the live service's."""

    draft_warning_days = models.PositiveSmallIntegerField(default=21)
    draft_retention_days = models.PositiveSmallIntegerField(default=28)
    max_evidence_files = models.PositiveSmallIntegerField(default=100)
    max_evidence_megabytes = models.PositiveSmallIntegerField(default=25)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "referral policy"

    def __str__(self) -> str:
        return "Referral policy"

    @classmethod
    def current(cls) -> "ReferralPolicy":
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy
