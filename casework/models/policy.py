"""The timescales and review routes of each nation: policy as data, editable in admin (design.md)."""

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Nation, Organisation

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
    support_provider = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.SUPPORT_PROVIDER},
        help_text="Who supports adults of this nation after a positive reasonable grounds decision (in England "
        "and Wales the Modern Slavery Victim Care Contract's provider); empty: the nation's only active provider",
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
