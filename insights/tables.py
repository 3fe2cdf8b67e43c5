"""The statistics tables, declared once: each is keyed by its meaning (never by a published table number), says
what it counts and how, and is drawn by `insights.figures`. The pages, the charts, the exports and the tests all
read this declaration."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from insights import categories as c
from insights.grid import Dimension
from insights.models import DecisionFact, DisqualificationFact, ReconsiderationFact, ReferralFact


@dataclass(frozen=True)
class Source:
    """A fact table and the date its rows are counted by."""

    model: type
    date_field: str
    condition: Q = field(default_factory=Q)
    has_authority: bool = True
    counted_by: str = ""


REFERRALS = Source(ReferralFact, "referred_on", Q(is_duty_to_notify=False), counted_by="referral date")
DUTY_TO_NOTIFY = Source(
    ReferralFact, "referred_on", Q(is_duty_to_notify=True), has_authority=False, counted_by="report date"
)
DECISIONS = Source(DecisionFact, "decided_on", counted_by="the date the decision was issued")
RG_DECISIONS = Source(DecisionFact, "decided_on", Q(stage="rg"), counted_by="the date the decision was issued")
CG_DECISIONS = Source(DecisionFact, "decided_on", Q(stage="cg"), counted_by="the date the decision was issued")
NEGATIVE_DECISIONS = Source(
    DecisionFact, "decided_on", Q(outcome="negative"), counted_by="the date the decision was issued"
)
RECONSIDERATIONS = Source(ReconsiderationFact, "received_on", counted_by="the date the request was received")
DISQUALIFICATIONS = Source(DisqualificationFact, "decided_on", counted_by="the date of the decision")


def _order_of(mapping: dict) -> Callable:
    keys = list(mapping)
    return lambda value: (keys.index(value) if value in keys else len(keys), str(value))


def _unknown_last(label: Callable) -> Callable:
    return lambda value: (label(value) in ("Unknown", "Not recorded", c.NOT_SPECIFIED), label(value))


YEAR = Dimension("year", "Year", label=str, order=lambda value: value)
QUARTER = Dimension("quarter", "Quarter", label=lambda value: f"Q{value}", order=lambda value: value)
AGE = Dimension(
    "age_group", "Age at exploitation", label=lambda v: c.AGE_GROUPS.get(v, v), order=_order_of(c.AGE_GROUPS)
)
GENDER = Dimension("gender", "Gender", label=lambda v: c.GENDERS.get(v, v), order=_order_of(c.GENDERS))
LOCATION = Dimension(
    "location", "Location of exploitation", label=lambda v: c.LOCATIONS.get(v, v), order=_order_of(c.LOCATIONS)
)
NATIONALITY = Dimension(
    "nationalities", "Nationality", label=c.nationality_label, order=_unknown_last(c.nationality_label)
)
EXPLOITATION = Dimension("exploitation", "Exploitation type", label=c.exploitation_label, order=c.exploitation_order)
RESPONDER_KIND = Dimension(
    "responder_kind",
    "First responder type",
    label=lambda v: c.RESPONDER_KINDS.get(v, v),
    order=_order_of(c.RESPONDER_KINDS),
)
NATION = Dimension("nation", "Nation", label=lambda v: c.NATIONS.get(v, v), order=_order_of(c.NATIONS))
OUTCOME = Dimension("outcome", "Outcome", label=lambda v: c.OUTCOMES.get(v, v), order=_order_of(c.OUTCOMES))
STAGE = Dimension("stage", "Stage", label=lambda v: c.STAGES.get(v, v), order=_order_of(c.STAGES))
NEGATIVE_REASON = Dimension(
    "negative_reason",
    "Reason for the negative decision",
    label=lambda v: c.NEGATIVE_REASONS.get(v, v),
    order=_order_of(c.NEGATIVE_REASONS),
)
RECONSIDERATION_STATE = Dimension(
    "state",
    "Outcome of the request",
    label=lambda v: c.RECONSIDERATION_STATES.get(v, v),
    order=_order_of(c.RECONSIDERATION_STATES),
)
RECONSIDERATION_GROUNDS = Dimension(
    "grounds", "Grounds", label=c.reconsideration_grounds_label, order=_unknown_last(c.reconsideration_grounds_label)
)
POLICE_FORCE = Dimension(
    "police_force",
    "Police force area",
    label=lambda v: v or "Not recorded",
    order=_unknown_last(lambda v: v or "Not recorded"),
)
LOCAL_AUTHORITY = Dimension(
    "local_authority",
    "Local authority",
    label=lambda v: v or "Not recorded",
    order=_unknown_last(lambda v: v or "Not recorded"),
)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    summary: str
    source: Source
    rows: tuple[Dimension, ...]
    columns: tuple[Dimension, ...] = ()
    # The column value whose share of each block is shown as a rate (the positive rate of decisions).
    rate_of: str | None = None
    rate_title: str = "Positive rate"
    chart: str = "bar"  # "line": a trend by quarter; "bar": a ranked breakdown
    # Dimensions that are not plain fact columns: an organisation's name, looked up after counting.
    lookups: tuple[str, ...] = ()
    # A table computed its own way (decision times, cases awaiting a decision at the period's end).
    special: str = ""
    notes: tuple[str, ...] = ()
    group: str = "Referrals"

    @property
    def definition(self) -> str:
        if self.special == "awaiting_cg":
            return (
                "Cases with a positive reasonable grounds decision and no conclusive grounds decision yet, counted "
                "at the end of each quarter in the period (and today, for a quarter still running). A case's age "
                "is the number of days from its referral date to the end of the quarter; the average is the mean, "
                "as the bulletins publish it."
            )
        if self.special == "decision_times":
            return (
                "Decisions are counted by the date they were issued. Days are calendar days from the referral "
                "date, and for conclusive grounds decisions also from the positive reasonable grounds decision. "
                'Both the mean and the median are given, as the bulletins\' "average" does not say which.'
            )
        text = f"Counted by {self.source.counted_by}."
        if self.rate_of:
            text += " Positive rate = positive decisions / all decisions issued at that stage in the period."
        if self.source is DUTY_TO_NOTIFY:
            text += " Duty to Notify reports are counted apart and never added to NRM referral totals."
        return text


TIME = (YEAR, QUARTER)

TABLES: tuple[Table, ...] = (
    Table(
        "referrals-by-age-and-location",
        "Referrals by quarter, age at exploitation and location of exploitation",
        "NRM referrals each quarter, for adults and children, by where the exploitation happened.",
        REFERRALS,
        rows=TIME,
        columns=(AGE, LOCATION),
        chart="line",
    ),
    Table(
        "referrals-by-competent-authority",
        "Referrals by competent authority",
        "Which competent authority each referral went to, by quarter.",
        REFERRALS,
        rows=TIME,
        columns=(Dimension("authority_id", "Competent authority"),),
        chart="line",
        lookups=("authority_id",),
    ),
    Table(
        "referrals-by-gender",
        "Referrals by gender and age at exploitation",
        "NRM referrals by gender, for adults and children.",
        REFERRALS,
        rows=(GENDER,),
        columns=(AGE,),
    ),
    Table(
        "referrals-by-nationality",
        "Referrals by nationality and age at exploitation",
        "Every nationality referred in the period; dual nationals are listed under both nationalities together.",
        REFERRALS,
        rows=(NATIONALITY,),
        columns=(AGE,),
    ),
    Table(
        "referrals-by-exploitation-type",
        "Referrals by exploitation type and age at exploitation",
        "Each exploitation type and each combination reported, in the published order.",
        REFERRALS,
        rows=(EXPLOITATION,),
        columns=(AGE,),
    ),
    Table(
        "referrals-by-first-responder",
        "Referrals by first responder type and organisation",
        "Who referred: the type of first responder organisation, then each organisation.",
        REFERRALS,
        rows=(RESPONDER_KIND, Dimension("organisation_id", "First responder organisation")),
        columns=(AGE,),
        lookups=("organisation_id",),
    ),
    Table(
        "referrals-by-first-responder-detail",
        "Referrals by first responder type, exploitation type, age and gender, by nationality",
        "The published detail table: each first responder type, exploitation type, age group and gender, "
        "with a column for every nationality referred.",
        REFERRALS,
        rows=(RESPONDER_KIND, EXPLOITATION, AGE, GENDER),
        columns=(NATIONALITY,),
    ),
    Table(
        "referrals-by-police-force-area",
        "Referrals by police force area",
        "The police force recorded on the referral (the force holding a crime reference, or the referring force).",
        REFERRALS,
        rows=(POLICE_FORCE,),
        columns=(AGE,),
        notes=('Referrals with no police force recorded are shown as "Not recorded".',),
    ),
    Table(
        "referrals-by-local-authority",
        "Referrals by local authority",
        "The local authority recorded on the referral (the children's services contacted, or the referring "
        "local authority).",
        REFERRALS,
        rows=(LOCAL_AUTHORITY,),
        columns=(AGE,),
    ),
    Table(
        "referrals-by-town",
        "Referrals by UK town or city of exploitation",
        "Where in the UK people were exploited, ranked: for prevention work. A referral naming several towns is "
        "counted once in each.",
        REFERRALS,
        rows=(Dimension("town", "UK town or city"),),
        special="towns",
        notes=("A referral may name up to 10 towns, so the towns add up to more than the referrals.",),
        group="Prevention",
    ),
    Table(
        "reasonable-grounds-decisions",
        "Reasonable grounds decisions by quarter, age at exploitation and outcome",
        "Reasonable grounds decisions issued each quarter, with positive rates.",
        RG_DECISIONS,
        rows=TIME,
        columns=(AGE, OUTCOME),
        rate_of="positive",
        chart="line",
        group="Decisions",
    ),
    Table(
        "conclusive-grounds-decisions",
        "Conclusive grounds decisions by quarter, age at exploitation and outcome",
        "Conclusive grounds decisions issued each quarter, with positive rates.",
        CG_DECISIONS,
        rows=TIME,
        columns=(AGE, OUTCOME),
        rate_of="positive",
        chart="line",
        group="Decisions",
    ),
    Table(
        "decisions-by-competent-authority",
        "Decisions and positive rates by competent authority",
        "Reasonable and conclusive grounds decisions issued by each competent authority.",
        DECISIONS,
        rows=(STAGE, Dimension("authority_id", "Competent authority")),
        columns=(OUTCOME,),
        rate_of="positive",
        lookups=("authority_id",),
        group="Decisions",
    ),
    Table(
        "decision-times",
        "Decision times",
        "Mean and median days to a reasonable and a conclusive grounds decision, by quarter issued.",
        DECISIONS,
        rows=TIME,
        special="decision_times",
        chart="line",
        group="Decisions",
    ),
    Table(
        "awaiting-conclusive-grounds",
        "Cases awaiting a conclusive grounds decision at the end of each quarter",
        "How many cases wait for a conclusive grounds decision, and how long they have waited.",
        REFERRALS,
        rows=(Dimension("quarter_end", "End of quarter"),),
        special="awaiting_cg",
        chart="line",
        group="Decisions",
    ),
    Table(
        "negative-decision-reasons",
        "Reasons for negative decisions",
        "Negative reasonable and conclusive grounds decisions issued, by the reason recorded.",
        NEGATIVE_DECISIONS,
        rows=(NEGATIVE_REASON,),
        columns=(STAGE,),
        group="Decisions",
        notes=('Decisions made before reasons were recorded are shown as "Not recorded".',),
    ),
    Table(
        "reconsiderations",
        "Reconsiderations received and their outcome",
        "Requests to reconsider a negative decision, by stage, outcome and grounds.",
        RECONSIDERATIONS,
        rows=(STAGE, RECONSIDERATION_GROUNDS),
        columns=(RECONSIDERATION_STATE,),
        rate_of="accepted",
        rate_title="Acceptance rate",
        group="Decisions",
        notes=("The rate is the share of requests received in the period that were accepted.",),
    ),
    Table(
        "public-order-disqualifications",
        "Public order disqualifications",
        "Decisions to disqualify a person from protection on public order grounds, by quarter.",
        DISQUALIFICATIONS,
        rows=TIME,
        columns=(AGE,),
        chart="line",
        group="Decisions",
    ),
    Table(
        "duty-to-notify-by-quarter",
        "Duty to Notify reports by quarter",
        "Reports of adults who did not consent to a referral, by quarter.",
        DUTY_TO_NOTIFY,
        rows=TIME,
        chart="line",
        group="Duty to Notify",
    ),
    Table(
        "duty-to-notify-by-nationality",
        "Duty to Notify reports by nationality",
        "Every nationality reported in the period.",
        DUTY_TO_NOTIFY,
        rows=(NATIONALITY,),
        group="Duty to Notify",
    ),
    Table(
        "duty-to-notify-by-exploitation-type",
        "Duty to Notify reports by exploitation type",
        "Each exploitation type and combination reported, in the published order.",
        DUTY_TO_NOTIFY,
        rows=(EXPLOITATION,),
        group="Duty to Notify",
    ),
)

TABLES_BY_KEY = {table.key: table for table in TABLES}
