"""Cases (one per NRM referral) and their timeline.

Nothing here writes a status or a deadline: `casework.services` does, one service per arrow of the lifecycle.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Nation, Organisation, User
from casework.events import validated_payload

# The two competent authorities: a data migration creates them and the demo seed uses the same names.
SCA_SHORT_NAME = "SCA"
SCA_NAME = "Single Competent Authority"
IECA_SHORT_NAME = "IECA"
IECA_NAME = "Immigration Enforcement Competent Authority"


class Case(models.Model):
    """The competent authority's work on one NRM referral. A Duty to Notify never has one."""

    class Status(models.TextChoices):
        AWAITING_RG = "awaiting_rg", "Awaiting reasonable grounds decision"
        RG_NEGATIVE_REVIEW = "rg_negative_review", "Negative reasonable grounds decision under review"
        RG_NEGATIVE_SERVED = "rg_negative_served", "Negative reasonable grounds decision"
        RECOVERY = "recovery", "Recovery period"
        AWAITING_CG = "awaiting_cg", "Awaiting conclusive grounds decision"
        CG_NEGATIVE_REVIEW = "cg_negative_review", "Negative conclusive grounds decision under review"
        CG_NEGATIVE_SERVED = "cg_negative_served", "Negative conclusive grounds decision"
        CONFIRMED_VICTIM = "confirmed_victim", "Confirmed victim"
        DISQUALIFIED = "disqualified", "Disqualified on public order grounds"
        SUSPENDED = "suspended", "Suspended"
        WITHDRAWN = "withdrawn", "Withdrawn"
        MERGED = "merged", "Merged with another case"
        CLOSED = "closed", "Closed"

    class DeadlineKind(models.TextChoices):
        RG_DUE = "rg_due", "Reasonable grounds decision due"
        RECOVERY_ENDS = "recovery_ends", "Recovery period ends"
        INFORMATION_DUE = "information_due", "Information request due"
        SUPPORT_ENDS = "support_ends", "Support ends"

    # States in which the authority still has work to do: the queue's cases (design.md: "any open state").
    OPEN_STATUSES = frozenset(
        {
            Status.AWAITING_RG,
            Status.RG_NEGATIVE_REVIEW,
            Status.RECOVERY,
            Status.AWAITING_CG,
            Status.CG_NEGATIVE_REVIEW,
        }
    )
    # Open and waiting for a caseworker's decision: what "Get next case" hands out.
    WORKABLE_STATUSES = frozenset({Status.AWAITING_RG, Status.RECOVERY, Status.AWAITING_CG})
    # After a positive reasonable grounds decision: support runs, disqualification is possible.
    POSITIVE_RG_STATUSES = frozenset({Status.RECOVERY, Status.AWAITING_CG, Status.CG_NEGATIVE_REVIEW})
    UNDER_REVIEW_STATUSES = frozenset({Status.RG_NEGATIVE_REVIEW, Status.CG_NEGATIVE_REVIEW})

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="case")
    reference = models.CharField(max_length=20, unique=True, help_text="The referral's reference")
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        limit_choices_to={"kind": Organisation.Kind.COMPETENT_AUTHORITY},
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.AWAITING_RG)
    # Copies of the referral's answers that the queue filters on, so that it never joins the referral.
    nation = models.CharField(max_length=20, choices=Nation.choices)
    is_child = models.BooleanField()
    route = models.CharField(max_length=20, blank=True)
    exploitation_types = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    assignee = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_cases")
    opened_at = models.DateTimeField(default=timezone.now)
    rg_due_at = models.DateTimeField(null=True, blank=True)
    rg_decided_at = models.DateTimeField(null=True, blank=True, help_text="When the positive RG was served")
    recovery_ends_at = models.DateTimeField(null=True, blank=True)
    cg_decided_at = models.DateTimeField(null=True, blank=True, help_text="When the positive CG was served")
    support_provider = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supported_cases",
        limit_choices_to={"kind": Organisation.Kind.SUPPORT_PROVIDER},
    )
    support_started_at = models.DateTimeField(null=True, blank=True)
    support_ends_at = models.DateTimeField(null=True, blank=True)
    # The last support-ending warning sent, in days before the end (14, then 7): the job never warns twice.
    support_warning_days_sent = models.PositiveSmallIntegerField(null=True, blank=True)
    # The due date of the earliest open information request, kept by the information request services.
    information_due_at = models.DateTimeField(null=True, blank=True)
    # The nearest deadline of the case in its current state, kept by every service: the queue sorts on it.
    next_deadline_at = models.DateTimeField(null=True, blank=True)
    next_deadline_kind = models.CharField(max_length=20, choices=DeadlineKind.choices, blank=True)
    status_before_suspension = models.CharField(max_length=30, choices=Status.choices, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_duplicates"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Incremented by every service that changes the case: a form posted from an older version is refused.
    version = models.PositiveIntegerField(default=1)
    possible_duplicates = models.ManyToManyField(
        "self", symmetrical=False, related_name="possible_duplicate_of", blank=True
    )
    duplicate_review_needed = models.BooleanField(default=False)
    policy_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text="Values of the nation's policy that apply to this case alone (a pilot, the demo and the tests use "
        "it), by the policy's field name: Policy.for_case applies them",
    )
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        indexes = [
            # The queue (casework/queue, docs/performance.md): one (status, child or adult) branch of the urgency
            # order is one range of this index, walked in order; the included columns let the tabs' and filters'
            # conditions be checked without reading the table. Its (authority, status) prefix serves the counts.
            models.Index(
                fields=["authority", "status", "is_child", "next_deadline_at", "opened_at", "id"],
                include=["assignee", "information_due_at", "nation", "route", "exploitation_types"],
                name="case_queue_urgency_idx",
            ),
            # The same for the newest and oldest first orders.
            models.Index(
                fields=["authority", "status", "opened_at", "id"],
                include=[
                    "assignee",
                    "information_due_at",
                    "nation",
                    "route",
                    "exploitation_types",
                    "is_child",
                    "next_deadline_at",
                ],
                name="case_queue_opened_idx",
            ),
            models.Index(
                fields=["authority", "status"],
                condition=Q(information_due_at__isnull=False),
                name="case_queue_information_idx",
            ),
            # The queue's nation filter: England's cases are most of them (nothing to gain), the others are few.
            models.Index(
                fields=["authority", "nation", "status"],
                condition=~Q(nation="england"),
                name="case_queue_nation_idx",
            ),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "referral"]),  # the referral list's status filter
            models.Index(fields=["support_provider", "support_ends_at"]),
            # "Get next case" (casework.urgency.urgency_slices): each slice is one range, walked in order.
            models.Index(
                fields=["authority", "is_child", "next_deadline_at", "opened_at", "id"],
                condition=Q(assignee__isnull=True)
                & Q(status__in=["awaiting_rg", "rg_negative_review", "recovery", "awaiting_cg", "cg_negative_review"]),
                name="case_unassigned_open_idx",
            ),
            models.Index(
                fields=["next_deadline_at"],
                condition=Q(
                    status__in=["awaiting_rg", "recovery", "confirmed_victim", "awaiting_cg", "cg_negative_review"]
                ),
                name="case_deadline_sweep_idx",
            ),
            models.Index(
                fields=["information_due_at"], condition=Q(information_due_at__isnull=False), name="case_info_due_idx"
            ),
            GinIndex(fields=["exploitation_types"], name="case_exploitation_gin"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("casework:case", args=[self.reference])

    def clean(self) -> None:
        from casework.models.policy import Policy

        Policy.check_overrides(self.policy_overrides or {}, nation=self.nation)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.next_deadline_at is not None and self.next_deadline_at < timezone.now()

    @property
    def referring_organisation(self) -> Organisation:
        return self.referral.organisation


class CaseEvent(models.Model):
    """One entry of a case's timeline. `data` is the kind's typed payload (casework.events): the status the case
    left and entered, and ids, codes and dates, never free text about a person: reasons and notes live on their
    own rows, which the event points to by id."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Case opened"
        POSSIBLE_DUPLICATE_FLAGGED = "possible_duplicate_flagged", "Possible duplicate found"
        ASSIGNED = "assigned", "Case assigned"
        RELEASED = "released", "Case released to the queue"
        NOTE_ADDED = "note_added", "Note added"
        INFORMATION_REQUESTED = "information_requested", "Information requested"
        INFORMATION_ANSWERED = "information_answered", "Information provided"
        INFORMATION_CANCELLED = "information_cancelled", "Information request withdrawn"
        RG_DECIDED = "rg_decided", "Reasonable grounds decision made"
        CG_DECIDED = "cg_decided", "Conclusive grounds decision made"
        DECISION_PROPOSED = "decision_proposed", "Negative decision sent for review"
        DECISION_AGREED = "decision_agreed", "Reviewer agreed the negative decision"
        DECISION_RETURNED = "decision_returned", "Reviewer returned the negative decision"
        DECISION_SERVED = "decision_served", "Decision served"
        RECONSIDERATION_RECOMMENDED = "reconsideration_recommended", "Panel recommended reconsideration"
        PANEL_RECOMMENDATION_ANSWERED = "panel_recommendation_answered", "Authority answered the panel"
        RECOVERY_ENDED = "recovery_ended", "Recovery period ended"
        SUPPORT_STARTED = "support_started", "Support started"
        SUPPORT_ENDING_WARNED = "support_ending_warned", "Support ending warning sent"
        # The support provider's own records (casework.services.support).
        SUPPORT_BEGAN = "support_began", "Support provider started support"
        RNA_RECORDED = "rna_recorded", "Recovery Needs Assessment recorded"
        SUPPORT_EXTENDED = "support_extended", "Support extended"
        PERSON_MISSING = "person_missing", "Support provider reported the person missing"
        SUPPORT_ENDED = "support_ended", "Support provider ended support"
        RECONSIDERATION_REQUESTED = "reconsideration_requested", "Reconsideration requested"
        RECONSIDERATION_ACCEPTED = "reconsideration_accepted", "Reconsideration accepted"
        RECONSIDERATION_DECLINED = "reconsideration_declined", "Reconsideration declined"
        SUSPENDED = "suspended", "Case suspended"
        RESUMED = "resumed", "Case resumed"
        WITHDRAWN = "withdrawn", "Case withdrawn"
        TRANSFERRED = "transferred", "Case transferred"
        MERGED = "merged", "Marked as a duplicate"
        DISQUALIFIED = "disqualified", "Disqualified on public order grounds"
        CLOSED = "closed", "Case closed"
        ANONYMISED = "anonymised", "Personal details removed under the retention policy"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Empty for the system"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"

    @classmethod
    def record(
        cls, case: Case, actor: User | None, kind: "CaseEvent.Kind", *, from_status: str | None = None, **data
    ) -> "CaseEvent":
        """Writes one event, its payload checked against its kind's declaration (casework.events). The status
        the case left is `from_status` (by default the one it is in; "" when it opens), the one it entered is
        its status now."""
        left = case.status if from_status is None else from_status
        payload = validated_payload(kind, {"from_status": str(left), "to_status": str(case.status), **data})
        return cls.objects.create(case=case, actor=actor, kind=cls.Kind(kind), data=payload)


class CaseNote(models.Model):
    """Free text written on a case: an internal note, or the reasons for a suspension, withdrawal, transfer,
    merge or disqualification. Seen only by the authority's staff."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        SUSPENSION = "suspension", "Reason for suspension"
        RESUMPTION = "resumption", "Reason for resuming"
        WITHDRAWAL = "withdrawal", "Reason for withdrawal"
        TRANSFER = "transfer", "Reason for transfer"
        MERGE = "merge", "Reason for marking as a duplicate"
        DISQUALIFICATION = "disqualification", "Reasons for disqualification"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(max_length=10_000)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"


class AccessLogEntry(models.Model):
    """Who viewed a person's details, and when (design.md, convention 3). Written by the pages that show them;
    never changed."""

    class What(models.TextChoices):
        CASE = "case", "Case page"
        REFERRAL_PDF = "referral_pdf", "Referral copy"
        LETTER = "letter", "Decision letter"
        FILE = "file", "File"
        SUBJECT_ACCESS = "subject_access", "Subject access export"
        PANEL_REVIEW = "panel_review", "Panel review page"
        PANEL_RECORD = "panel_record", "Panel record"
        API = "api", "Partner API"  # a partner API client read the referral, its status, letters or requests

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=20, choices=What.choices)
    viewed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["case", "-viewed_at"]),
            models.Index(fields=["user", "-viewed_at"]),
            # Admin's newest-first list and date filter, and the retention job's trim, at any volume.
            models.Index(fields=["-viewed_at", "-id"], name="accesslog_viewed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.case} ({self.get_what_display()})"
