"""Independent panels as data: the panels, who sits on them, what each reviews or decides, their meetings, the
cases sent to them and each member's view. Written only by `panels.services`; casework's rows (the case, the
decision) are changed only through casework's services (design.md, "Case lifecycle")."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Nation, Organisation, User
from casework.models import Case, Decision


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTH = "health", "Health"
    NGO = "ngo", "Non-governmental organisation"
    UKVI = "ukvi", "UK Visas and Immigration"
    OTHER = "other", "Other"


class Panel(models.Model):
    """An independent panel: an assurance panel reviews negative decisions before they are served (2019-22); a
    decision-making panel makes the decisions of the cases in its scope itself (the 2015 regional pilots, the
    devolved children's panels since 2021)."""

    class Kind(models.TextChoices):
        ASSURANCE = "assurance", "Assurance panel (reviews negative decisions)"
        DECISION_MAKING = "decision_making", "Decision-making panel"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    regions = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="The UK regions it covers (the referral's region where the person is staying); empty with no "
        "local authorities either: the whole nation",
    )
    local_authorities = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="The local authorities it covers (a child's local authority in the referral)",
    )
    active_from = models.DateField(default=timezone.localdate)
    active_to = models.DateField(null=True, blank=True, help_text="Empty: still active")
    # What an assurance panel reviews.
    reviews_negative_cg = models.BooleanField(default=True, help_text="Assurance: reviews negative CG decisions")
    reviews_negative_rg = models.BooleanField(default=False, help_text="Assurance: reviews negative RG decisions")
    # What a decision-making panel decides.
    decides_rg = models.BooleanField(default=False, help_text="Decision-making: makes the RG decisions")
    decides_cg = models.BooleanField(default=False, help_text="Decision-making: makes the CG decisions")
    children_only = models.BooleanField(
        default=False, help_text="Decision-making: only children's cases (a devolved children's panel)"
    )
    review_working_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Working days a review or decision is due in; empty: the nation's policy",
    )
    # Quorum, as data (panels.quorum has the defaults per kind).
    quorum_minimum_present = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1)], help_text="People taking part, the chair included"
    )
    quorum_requires_chair = models.BooleanField(default=True)
    quorum_agencies = ArrayField(
        models.CharField(max_length=20, choices=Agency.choices),
        default=list,
        blank=True,
        help_text="Agencies that must each have someone taking part",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_assurance(self) -> bool:
        return self.kind == self.Kind.ASSURANCE


class Membership(models.Model):
    """A seat on a panel. A user may sit on several panels; their role on each is the membership's."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        MEMBER = "member", "Member"

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="panel_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    agency = models.CharField(max_length=20, choices=Agency.choices)
    home_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation the member comes from: they never review its referrals",
    )
    term_start = models.DateField(default=timezone.localdate)
    term_end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["panel", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="one_membership_per_panel")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.panel}"

    @property
    def is_chair(self) -> bool:
        return self.role == self.Role.CHAIR


class SafeguardingLead(models.Model):
    """A Slavery Safeguarding Lead (2015 pilot): staff an organisation names, told of each referral it sends into
    a decision-making panel's region and who may be invited to the panel's meetings."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="safeguarding_leads")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField(default=timezone.now, editable=False)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_lead_row_per_user")]

    def __str__(self) -> str:
        return f"Slavery Safeguarding Lead of {self.organisation}"


class Meeting(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone call"

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    format = models.CharField(max_length=20, choices=Format.choices)
    where = models.CharField(max_length=300, blank=True, help_text="The room, or how to join")
    scheduled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(default=timezone.now, editable=False)
    attendees = models.ManyToManyField(Membership, blank=True, related_name="meetings_attended")
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    invited_leads = models.ManyToManyField(SafeguardingLead, blank=True, related_name="meetings")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Meeting {self.pk} of {self.panel}"


class PanelCase(models.Model):
    """A case sent to a panel: a negative decision to review (assurance) or a decision to make (decision-making).
    The panel's recommendation is stored here; the authority's response to it is casework's (on the decision)."""

    class Kind(models.TextChoices):
        REVIEW = "review", "Review of a negative decision"
        DECISION = "decision", "Decision to make"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CONCLUDED = "concluded", "Concluded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Recommendation(models.TextChoices):
        AGREE = "agree", "Agree with the decision"
        RECOMMEND_RECONSIDERATION = "recommend_reconsideration", "Recommend reconsideration"
        POSITIVE = "positive", "Positive decision"
        NEGATIVE = "negative", "Negative decision"

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="cases")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    stage = models.CharField(max_length=2, choices=Decision.Stage.choices)
    # The decision reviewed; for a decision to make, the decision the panel made once it is made.
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    routed_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda")
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # Whether the panel could conclude now, its chair taking part (panels.quorum): kept by the services after
    # every view, conflict and attendance, so a chair's list sorts its cases in SQL. The conclusion checks afresh.
    quorate = models.BooleanField(default=False)
    recommendation = models.CharField(max_length=30, choices=Recommendation.choices, blank=True)
    reasons = models.TextField(max_length=20_000, blank=True)
    concluded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    concluded_at = models.DateTimeField(null=True, blank=True)
    participants = models.ManyToManyField(Membership, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["panel", "state", "due_date"]),
            models.Index(fields=["case", "state"]),
            models.Index(fields=["due_date"], condition=Q(state="open"), name="panelcase_open_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "stage"], condition=Q(state="open"), name="one_open_panel_case_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} for {self.panel}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_review(self) -> bool:
        return self.kind == self.Kind.REVIEW

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class View(models.Model):
    """A member's view on a case sent to their panel, which they may change until the chair concludes."""

    panel_case = models.ForeignKey(PanelCase, on_delete=models.PROTECT, related_name="views")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="views")
    opinion = models.CharField(max_length=30, choices=PanelCase.Recommendation.choices)
    reasons = models.TextField(max_length=20_000)
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["panel_case", "membership"], name="one_view_per_member")]

    def __str__(self) -> str:
        return f"View {self.pk} on {self.panel_case}"


class ConflictOfInterest(models.Model):
    """A member who may not take part in one case: declared by them, or found by the service (they come from
    the referring organisation, or made the decision)."""

    class Ground(models.TextChoices):
        DECLARED = "declared", "Declared a conflict of interest"
        REFERRING_ORGANISATION = "referring_organisation", "From the organisation that made the referral"
        DECISION_MAKER = "decision_maker", "Made the decision under review"

    panel_case = models.ForeignKey(PanelCase, on_delete=models.PROTECT, related_name="conflicts")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="conflicts")
    ground = models.CharField(max_length=30, choices=Ground.choices)
    details = models.TextField(max_length=2000, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel_case", "membership"], name="one_conflict_per_member_and_case")
        ]

    def __str__(self) -> str:
        return f"Conflict of interest {self.pk} on {self.panel_case}"
