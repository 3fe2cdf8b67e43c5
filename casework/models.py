"""Cases (one per NRM referral), their timeline, and the per-nation policy that sets their deadlines.

Nothing here writes a status or a deadline: `casework.services` does, one service per arrow of the lifecycle.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Nation, Organisation, User

# The two competent authorities: a data migration creates them and the demo seed uses the same names.
SCA_SHORT_NAME = "SCA"
SCA_NAME = "Single Competent Authority"
IECA_SHORT_NAME = "IECA"
IECA_NAME = "Immigration Enforcement Competent Authority"

# domain.md: 30 days of recovery in England & Wales, 90 days of support in Scotland, 45 in Northern Ireland.
DEFAULT_RECOVERY_DAYS = {
    Nation.ENGLAND: 30,
    Nation.WALES: 30,
    Nation.SCOTLAND: 90,
    Nation.NORTHERN_IRELAND: 45,
}


class Policy(models.Model):
    """The timescales and review routes of one nation, editable in admin (design.md: "Policy is data")."""

    class ReviewRoute(models.TextChoices):
        PANEL = "panel", "Independent panel"
        SECOND_REVIEWER = "second_reviewer", "Second reviewer in the authority"

    nation = models.CharField(max_length=20, choices=Nation.choices, unique=True)
    rg_target_working_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Reasonable grounds decision target, in working days after the referral",
    )
    recovery_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1)],
        help_text="Recovery period in calendar days from a positive reasonable grounds decision",
    )
    move_on_days = models.PositiveSmallIntegerField(
        default=45, help_text="Move-on support in calendar days after a positive conclusive grounds decision"
    )
    minimum_support_days = models.PositiveSmallIntegerField(
        default=90, help_text="Minimum support in calendar days from a positive reasonable grounds decision"
    )
    reconsideration_window_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1)],
        help_text="Calendar days after a negative decision is served in which reconsideration may be asked",
    )
    information_request_working_days = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1)],
        help_text="Default due date of a request for information, in working days",
    )
    review_negative_rg = models.BooleanField(
        default=True,
        help_text="A negative reasonable grounds decision is reviewed by a manager other than the decision maker "
        "before it is served",
    )
    negative_cg_review_route = models.CharField(
        max_length=20,
        choices=ReviewRoute.choices,
        default=ReviewRoute.PANEL,
        help_text="Who reviews a negative conclusive grounds decision before it is served",
    )
    duplicate_lookback_days = models.PositiveSmallIntegerField(
        default=365,
        validators=[MinValueValidator(1)],
        help_text="How far back a new referral is compared with earlier ones for possible duplicates",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["nation"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return f"Policy for {Nation(self.nation).label}"

    @classmethod
    def defaults_for(cls, nation: str) -> "Policy":
        """An unsaved policy with domain.md's defaults for `nation`."""
        return cls(nation=nation, recovery_days=DEFAULT_RECOVERY_DAYS[Nation(nation)])

    @classmethod
    def for_nation(cls, nation: str) -> "Policy":
        # The data migration creates a row per nation; a database emptied since (a flushed test database)
        # still gets domain.md's defaults rather than an error.
        return cls.objects.filter(nation=nation).first() or cls.defaults_for(nation)


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
        SUSPENDED = "suspended", "Suspended"
        WITHDRAWN = "withdrawn", "Withdrawn"
        MERGED = "merged", "Merged with another case"
        CLOSED = "closed", "Closed"

    # States in which the authority still has work to do (design.md: "any open state -> suspended").
    OPEN_STATUSES = frozenset(
        {
            Status.AWAITING_RG,
            Status.RG_NEGATIVE_REVIEW,
            Status.RECOVERY,
            Status.AWAITING_CG,
            Status.CG_NEGATIVE_REVIEW,
        }
    )

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="case")
    reference = models.CharField(max_length=20, unique=True, help_text="The referral's reference")
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        limit_choices_to={"kind": Organisation.Kind.COMPETENT_AUTHORITY},
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.AWAITING_RG)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    is_child = models.BooleanField()
    assignee = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_cases")
    opened_at = models.DateTimeField(default=timezone.now)
    rg_due_at = models.DateTimeField(null=True, blank=True)
    recovery_ends_at = models.DateTimeField(null=True, blank=True)
    support_ends_at = models.DateTimeField(null=True, blank=True)
    # Incremented by every service that changes the case: a form posted from an older version is refused.
    version = models.PositiveIntegerField(default=1)
    possible_duplicates = models.ManyToManyField(
        "self", symmetrical=False, related_name="possible_duplicate_of", blank=True
    )
    duplicate_review_needed = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["authority", "status", "rg_due_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "referral"]),  # the referral list's status filter
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def referring_organisation(self) -> Organisation:
        return self.referral.organisation


class CaseEvent(models.Model):
    """One entry of a case's timeline. `data` holds ids, codes, dates and old/new values, never free text
    about a person: reasons and notes live on their own rows, which the event points to by id."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Case opened"
        POSSIBLE_DUPLICATE_FLAGGED = "possible_duplicate_flagged", "Possible duplicate found"

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
    def record(cls, case: Case, actor: User | None, kind: "CaseEvent.Kind", **data) -> "CaseEvent":
        return cls.objects.create(case=case, actor=actor, kind=cls.Kind(kind), data=data)
