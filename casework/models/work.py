"""What the authority does on a case: decisions and their letters, requests for further information, files
attached to either, and requests for reconsideration. Written only by `casework.services`."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, User
from casework.models.case import Case
from casework.models.policy import ReviewRoute
from common.storage import private_storage
from common.virus_scan import ScannedUpload


class PanelResponse(models.TextChoices):
    """A manager's answer to an independent panel's recommendation to reconsider a negative decision."""

    RECONSIDER = "reconsider", "Reconsider the decision"
    MAINTAIN = "maintain", "Maintain the decision and serve it"


class Decision(models.Model):
    """A reasonable grounds or conclusive grounds decision. A negative one may be proposed and reviewed
    (by a manager other than its maker, or by a panel) before it is served; only a served decision has effect
    and a letter."""

    class Stage(models.TextChoices):
        RG = "rg", "Reasonable grounds"
        CG = "cg", "Conclusive grounds"

    class Outcome(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"

    class NegativeReason(models.TextChoices):
        """Why a negative decision was made, in the categories the published statistics count (since 2024)."""

        NO_INDICATORS = "no_indicators", "The account does not show the indicators of modern slavery"
        DEFINITION_NOT_MET = "definition_not_met", "What happened does not meet the definition of modern slavery"
        INSUFFICIENT_INFORMATION = "insufficient_information", "Not enough information to meet the threshold"
        CREDIBILITY = "credibility", "The account is not credible on the evidence"
        OTHER = "other", "Another reason"

    class State(models.TextChoices):
        UNDER_REVIEW = "under_review", "Under review"
        RETURNED = "returned", "Returned by the reviewer"
        # An independent panel recommends it is made again: a manager of the authority answers.
        RECONSIDERATION_RECOMMENDED = "recommended", "Panel recommends reconsideration"
        SERVED = "served", "Served"
        WITHDRAWN = "withdrawn", "Withdrawn when the case closed"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    stage = models.CharField(max_length=2, choices=Stage.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # Codes of the objective factors relied on (casework.factors), from what the referral recorded.
    factors = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    reasons = models.TextField(max_length=20_000)
    negative_reason = models.CharField(
        max_length=40, choices=NegativeReason.choices, blank=True, help_text="Negative decisions: for the statistics"
    )
    decision_date = models.DateField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Who the letter names as the decision maker when it is not the authority: a decision-making panel.
    decision_maker_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    state = models.CharField(max_length=20, choices=State.choices)
    # Empty: served without a review.
    review_route = models.CharField(max_length=20, choices=ReviewRoute.choices, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reasons = models.TextField(max_length=20_000, blank=True)
    # The authority's response to a panel's recommendation to reconsider, stored apart from the recommendation.
    authority_response = models.CharField(max_length=20, choices=PanelResponse.choices, blank=True)
    authority_response_reasons = models.TextField(max_length=20_000, blank=True)
    authority_responded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    authority_responded_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    # For a served negative decision: the last day reconsideration may be asked without exceptional reasons.
    reconsideration_deadline = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["case", "stage", "state"]),
            # The operations dashboard's decisions served in the last 12 months (insights.operations).
            models.Index(fields=["served_at"], condition=Q(state="served"), name="decision_served_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "stage"], condition=Q(state="under_review"), name="one_decision_under_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.get_stage_display().lower()} decision on {self.case}"

    @property
    def is_served(self) -> bool:
        return self.state == self.State.SERVED

    @property
    def is_negative(self) -> bool:
        return self.outcome == self.Outcome.NEGATIVE

    @property
    def awaits_response_to_panel(self) -> bool:
        return self.state == self.State.RECONSIDERATION_RECOMMENDED

    @property
    def title(self) -> str:
        return f"{self.get_outcome_display()} {self.get_stage_display().lower()} decision"


def letter_path(instance, filename: str) -> str:
    return f"letters/{uuid.uuid4().hex}.pdf"


class Letter(models.Model):
    """The decision letter of a served decision. The row is written when the decision is served; the PDF is
    rendered after commit (and on first download if the task has not run yet)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    file = models.FileField(storage=private_storage, upload_to=letter_path, max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    rendered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Letter: {self.decision}"


class InformationRequest(models.Model):
    """A request to the referring first responder for further information, with its own due date."""

    class State(models.TextChoices):
        OPEN = "open", "Awaiting answer"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="information_requests")
    question = models.TextField(max_length=5000)
    due_date = models.DateField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    answer = models.TextField(max_length=20_000, blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [
            models.Index(fields=["case", "state"]),
            models.Index(fields=["due_date"], condition=Q(state="open"), name="information_open_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Information request {self.pk} on {self.case}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class Reconsideration(models.Model):
    """A request to reconsider a served negative decision, and the manager's answer."""

    class Ground(models.TextChoices):
        NEW_EVIDENCE = "new_evidence", "New evidence"
        GUIDANCE_NOT_FOLLOWED = "guidance_not_followed", "Guidance was not followed"

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting a decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reconsiderations")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reconsiderations")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requester_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    grounds = ArrayField(models.CharField(max_length=30, choices=Ground.choices))
    details = models.TextField(max_length=20_000)
    is_late = models.BooleanField(default=False)
    exceptional_circumstances = models.TextField(max_length=5000, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(max_length=20_000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=Q(state="pending"), name="one_pending_per_decision")
        ]

    def __str__(self) -> str:
        return f"Reconsideration {self.pk} of {self.decision}"

    @property
    def grounds_labels(self) -> list[str]:
        return [self.Ground(ground).label for ground in self.grounds]


def case_file_path(instance, filename: str) -> str:
    return f"casework/{uuid.uuid4().hex}"


class CaseFile(ScannedUpload):
    """A file attached to an information request, its answer, or a reconsideration request. Checked by content
    like referral evidence, stored under a random name, downloaded only through a checked view."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="files")
    information_request = models.ForeignKey(
        InformationRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    is_answer = models.BooleanField(default=False, help_text="Sent with the answer, not the question")
    reconsideration = models.ForeignKey(
        Reconsideration, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(storage=private_storage, upload_to=case_file_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        # Not the uploaded name, which may name the person: this is what admin and the history show.
        return f"File {self.pk}"
