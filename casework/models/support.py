"""What the support provider records of its own work with a person: when support started, the Recovery Needs
Assessment, extensions of support, that the person is missing, and when and why support ended.

Written only by casework.services.support (one service per record, each an arrow of the lifecycle table). Every
value is a date or a code from a list: nothing here is free text about the person or the exploitation, so the
support provider, the caseworker and the statistics can all read it.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import User
from casework.models.case import Case


class RecoveryNeed(models.TextChoices):
    """The needs a Recovery Needs Assessment can find (the Modern Slavery Victim Care Contract's areas)."""

    ACCOMMODATION = "accommodation", "Safe accommodation"
    FINANCIAL = "financial", "Financial support"
    HEALTHCARE = "healthcare", "Medical care"
    MENTAL_HEALTH = "mental_health", "Counselling or mental health support"
    LEGAL = "legal", "Legal advice (including immigration advice)"
    INTERPRETER = "interpreter", "Interpreting and translation"
    EDUCATION = "education", "Education, training or English lessons"
    EMPLOYMENT = "employment", "Help into work"
    OUTREACH = "outreach", "Outreach support only"
    RETURN = "return", "Help to return home safely"


class SupportExtensionReason(models.TextChoices):
    """Why support is extended: a need the assessment found that is not yet met."""

    RNA_NEEDS = "rna_needs", "The Recovery Needs Assessment found needs that are not yet met"
    AWAITING_DECISION = "awaiting_decision", "The person is still waiting for a decision"
    MOVE_ON = "move_on", "The person needs more time to move on (accommodation, work or benefits)"
    HEALTH = "health", "The person's health needs more time"
    PROCEEDINGS = "proceedings", "The person is a witness in criminal proceedings"


class SupportEndReason(models.TextChoices):
    MOVED_ON = "moved_on", "The person has moved on and no longer needs support"
    PERIOD_ENDED = "period_ended", "The support period ended"
    DECLINED = "declined", "The person no longer wants support"
    OTHER_SUPPORT = "other_support", "The person is supported by another service"
    LEFT_UK = "left_uk", "The person has left the UK"
    MISSING = "missing", "The person is missing and has not been found"
    NEGATIVE_DECISION = "negative_decision", "A negative decision ended support"


class SupportRecord(models.Model):
    """The support provider's record of one case (at most one per case, made when support starts)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="support_record")
    started_on = models.DateField(help_text="The day the support provider started supporting the person")
    rna_completed_on = models.DateField(null=True, blank=True, help_text="The Recovery Needs Assessment's date")
    rna_needs = ArrayField(models.CharField(max_length=30, choices=RecoveryNeed.choices), default=list, blank=True)
    last_seen_on = models.DateField(
        null=True, blank=True, help_text="When the person was last seen, once they are reported missing"
    )
    missing_reported_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=SupportEndReason.choices, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Support of {self.case}"

    @property
    def has_ended(self) -> bool:
        return self.ended_on is not None

    @property
    def rna_need_labels(self) -> list[str]:
        return [RecoveryNeed(need).label for need in self.rna_needs if need in RecoveryNeed.values]


class SupportExtension(models.Model):
    """One extension of support: the end date before and after, and why (a reason from the list)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="support_extensions")
    previous_ends_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField()
    reason = models.CharField(max_length=30, choices=SupportExtensionReason.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Support of {self.case} extended to {self.ends_on}"
