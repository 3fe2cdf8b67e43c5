"""The timescales and review routes of each nation: policy as data, editable in admin (design.md)."""

from django.core.exceptions import ValidationError
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


class ReviewRoute(models.TextChoices):
    """Who reviews a negative decision before it is served: the policy's choice, and the route a decision took."""

    PANEL = "panel", "Independent panel"
    SECOND_REVIEWER = "second_reviewer", "Second reviewer in the authority"


class OverdueEscalation(models.TextChoices):
    """Who is told, once, when a panel's review is overdue."""

    MANAGERS = "managers", "The panel's chair and the authority's managers"
    CHAIR = "chair", "The panel's chair only"


class Policy(models.Model):
    """The timescales and review routes of one nation, editable in admin (design.md: "Policy is data")."""

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
    negative_rg_review_route = models.CharField(
        max_length=20,
        choices=ReviewRoute.choices,
        default=ReviewRoute.SECOND_REVIEWER,
        help_text="Who reviews a negative reasonable grounds decision, when one is reviewed",
    )
    negative_cg_review_route = models.CharField(
        max_length=20,
        choices=ReviewRoute.choices,
        default=ReviewRoute.PANEL,
        help_text="Who reviews a negative conclusive grounds decision before it is served",
    )
    panel_review_working_days = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1)],
        help_text="Working days an independent panel has to review a decision (or make one); a panel may set its own",
    )
    overdue_review_escalation = models.CharField(
        max_length=20,
        choices=OverdueEscalation.choices,
        default=OverdueEscalation.MANAGERS,
        help_text="Who is told when a panel's review is overdue",
    )
    decision_making_panels = models.BooleanField(
        default=True,
        help_text="Cases in an active decision-making panel's scope are decided by that panel",
    )
    negative_decision_support_working_days = models.PositiveSmallIntegerField(
        default=9,
        help_text="Working days support continues after a negative decision is served (England and Wales: 9)",
    )
    support_extension_max_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(1)],
        help_text="The most calendar days one extension may add to a person's support (the support provider "
        "records each extension with a reason from the list)",
    )
    support_extension_needs_rna = models.BooleanField(
        default=True,
        help_text="Support can be extended only once the support provider has recorded a Recovery Needs Assessment",
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

    # The case whose copy this is (Policy.for_case): such a copy is never written over the nation's row.
    case_reference: str = ""

    def save(self, *args, **kwargs):
        if self.case_reference:
            raise PolicyOverridden(f"{self} as it applies to {self.case_reference} is a copy: edit the nation's row")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.case_reference:
            raise PolicyOverridden(f"{self} as it applies to {self.case_reference} is a copy: never deleted")
        return super().delete(*args, **kwargs)

    @classmethod
    def defaults_for(cls, nation: str) -> "Policy":
        """An unsaved policy with domain.md's defaults for `nation`."""
        return cls(nation=nation, recovery_days=DEFAULT_RECOVERY_DAYS[Nation(nation)])

    @classmethod
    def for_nation(cls, nation: str) -> "Policy":
        """The nation's row. casework's data migration (0002_policies) creates one per nation: a missing row is a
        broken database, never a reason to work on defaults no one chose."""
        policy = cls.objects.filter(nation=nation).first()
        if policy is None:
            raise PolicyMissing(
                f"No policy for {Nation(nation).label}: casework's data migration 0002_policies creates one per "
                "nation; run the migrations, or add it in admin"
            )
        return policy

    @classmethod
    def for_case(cls, case) -> "Policy":
        """The policy that applies to `case`: its nation's, with the case's `policy_overrides` (a pilot, the demo,
        the tests) applied to the row as read for this case alone. It refuses to be saved, so an override never
        reaches the shared row."""
        policy = cls.for_nation(case.nation)  # a fresh instance each time: nobody else holds it
        policy.case_reference = case.reference
        for name, value in cls.check_override_names(case.policy_overrides or {}).items():
            setattr(policy, name, value)
        return policy

    @classmethod
    def overridable_fields(cls) -> dict[str, models.Field]:
        """The values a case may override, by attribute name (`support_provider_id` for the provider)."""
        return {
            field.attname: field
            for field in cls._meta.concrete_fields
            if field.editable and not field.primary_key and field.name != "nation"
        }

    @classmethod
    def check_override_names(cls, overrides: dict) -> dict:
        """`overrides` itself, once every key is a value of the policy a case may override."""
        unknown = sorted(set(overrides) - set(cls.overridable_fields()))
        if unknown:
            raise ValidationError(
                {"policy_overrides": f"Not values of a nation's policy: {', '.join(unknown)}"}, code="unknown"
            )
        return overrides

    @classmethod
    def check_overrides(cls, overrides: dict, *, nation: str) -> None:
        """Raises ValidationError unless every key of `overrides` is a policy value and every value one the policy's
        own field accepts (its choices and validators), as in admin."""
        cls.check_override_names(overrides)
        fields = cls.overridable_fields()
        errors = []
        for name, value in overrides.items():
            try:
                fields[name].clean(value, cls.defaults_for(nation))
            except ValidationError as error:
                errors.extend(f"{name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError({"policy_overrides": errors}, code="invalid")


class PolicyMissing(Exception):
    """A nation has no policy row: the database lacks what its migrations create."""


class PolicyOverridden(Exception):
    """A case's copy of its nation's policy was about to be saved over the shared row."""
