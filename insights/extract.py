"""The de-identified record-level extract for research (analysts only): one row per referral (NRM and Duty to
Notify) referred in the period, from the fact table, with categories only. No name, contact, reference, id or free
text; the age group instead of a date of birth; the month instead of the day; the first responder's type, not the
organisation; the competent authority's short name.

Disclosure control: the quasi-identifiers are the referral month, nation, age group, gender and nationality. A row
whose combination of them occurs fewer times than the suppression threshold has its nationality recoded to
"Other"; a row whose combination is still rare after that is left out. The notes say how many of each."""

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import Subquery

from accounts.models import Organisation
from insights import categories as c
from insights.exports import (
    CONTENT_TYPES,
    FORMATS,
    csv_bytes,
    dataset,
    file_name,
    filter_lines,
    neutralise,
    plain_ods,
    plain_xlsx,
    refreshed_line,
)
from insights.figures import Filters
from insights.models import DecisionFact, ReferralFact, Refresh

OTHER_NATIONALITY = "Other"

HEADERS = [
    "Referral month",
    "Nation",
    "Route",
    "Age at exploitation",
    "Gender",
    "Nationality",
    "Exploitation type",
    "Location of exploitation",
    "First responder type",
    "Competent authority",
    "Reasonable grounds outcome",
    "Reasonable grounds month",
    "Conclusive grounds outcome",
    "Conclusive grounds month",
    "Status",
]
# The positions of the quasi-identifiers in a row.
QUASI_IDENTIFIERS = (0, 1, 3, 4, 5)
NATIONALITY = 5

STATUS_CATEGORIES = {
    "awaiting_rg": "Awaiting a reasonable grounds decision",
    "rg_negative_review": "Awaiting a reasonable grounds decision",
    "recovery": "Awaiting a conclusive grounds decision",
    "awaiting_cg": "Awaiting a conclusive grounds decision",
    "cg_negative_review": "Awaiting a conclusive grounds decision",
    "rg_negative_served": "Negative",
    "cg_negative_served": "Negative",
    "confirmed_victim": "Positive",
    "disqualified": "Withdrawn/Closed",
    "withdrawn": "Withdrawn/Closed",
    "merged": "Withdrawn/Closed",
    "closed": "Withdrawn/Closed",
}
FIELDS = (
    "referred_on",
    "nation",
    "is_duty_to_notify",
    "age_group",
    "gender",
    "nationalities",
    "exploitation",
    "location",
    "responder_kind",
    "authority_id",
    "status",
    "rg_positive_on",
    "referral_id",
)


@dataclass
class Extract:
    rows: list[list]
    recoded: int = 0
    dropped: int = 0
    threshold: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)


def referral_facts(filters: Filters):
    """The referrals (and Duty to Notify reports) referred in the period, in the nation and competent authority."""
    rows = ReferralFact.objects.filter(referred_on__gte=filters.period.start, referred_on__lte=filters.period.end)
    if filters.nation:
        rows = rows.filter(nation=filters.nation)
    if filters.authority_id is not None:
        rows = rows.filter(authority_id=filters.authority_id)
    return rows


_MONTHS: dict = {None: ""}


def _month(day) -> str:
    month = _MONTHS.get(day)
    if month is None:
        month = _MONTHS[day] = f"{day.year}-{day.month:02d}"
    return month


def _status(status: str, is_duty_to_notify: bool, rg_positive_on) -> str:
    if is_duty_to_notify:
        return "Duty to Notify (no case)"
    if status == "suspended":
        return STATUS_CATEGORIES["awaiting_cg" if rg_positive_on else "awaiting_rg"]
    return STATUS_CATEGORIES.get(status, "Not recorded")


def research_extract(filters: Filters, *, threshold: int) -> Extract:
    """The extract's rows (sorted, so their order says nothing the values do not), with suppression applied."""
    facts = referral_facts(filters)
    # The newest served decision at each stage (a reconsideration's new decision replaces the first).
    decisions = {
        (referral_id, stage): (outcome, decided_on)
        for referral_id, stage, outcome, decided_on in DecisionFact.objects.filter(
            referral_id__in=Subquery(facts.values("referral_id"))
        )
        .order_by("referral_id", "stage", "-decided_on", "-decision_id")
        .distinct("referral_id", "stage")
        .values_list("referral_id", "stage", "outcome", "decided_on")
    }
    authorities = dict(
        Organisation.objects.filter(kind=Organisation.Kind.COMPETENT_AUTHORITY).values_list("pk", "short_name")
    )
    names = dict(Organisation.objects.filter(kind=Organisation.Kind.COMPETENT_AUTHORITY).values_list("pk", "name"))
    labels: dict[tuple, str] = {}

    def label(kind: str, value, to_text) -> str:
        # Labels come from reference data, so each is neutralised (as every text cell of a download is) once here.
        key = (kind, tuple(value) if isinstance(value, list) else value)
        text = labels.get(key)
        if text is None:
            text = labels[key] = neutralise(to_text(value))
        return text

    rows = []
    for (
        referred_on,
        nation,
        is_duty_to_notify,
        age_group,
        gender,
        nationalities,
        exploitation,
        location,
        responder_kind,
        authority_id,
        status,
        rg_positive_on,
        referral_id,
    ) in facts.values_list(*FIELDS):
        rg_outcome, rg_on = decisions.get((referral_id, "rg"), ("", None))
        cg_outcome, cg_on = decisions.get((referral_id, "cg"), ("", None))
        rows.append(
            [
                _month(referred_on),
                label("nation", nation, lambda v: c.NATIONS.get(v, v)),
                "Duty to Notify" if is_duty_to_notify else "NRM",
                label("age", age_group, lambda v: c.AGE_GROUPS.get(v, v)),
                label("gender", gender, lambda v: c.GENDERS.get(v, v)),
                label("nationality", nationalities, c.nationality_label),
                label("exploitation", exploitation, c.exploitation_label),
                label("location", location, lambda v: c.LOCATIONS.get(v, v)),
                label("responder", responder_kind, lambda v: c.RESPONDER_KINDS.get(v, v)),
                label("authority", authority_id, lambda v: (authorities.get(v) or names.get(v, "")) if v else ""),
                label("outcome", rg_outcome, lambda v: c.OUTCOMES.get(v, v)),
                _month(rg_on),
                label("outcome", cg_outcome, lambda v: c.OUTCOMES.get(v, v)),
                _month(cg_on),
                label("status", (status, is_duty_to_notify, bool(rg_positive_on)), lambda v: _status(*v)),
            ]
        )
    extract = suppress_rare(rows, threshold)
    extract.rows.sort()
    return extract


def suppress_rare(rows: list[list], threshold: int) -> Extract:
    """Recodes the nationality of rows with a rare combination of quasi-identifiers, then leaves out those still
    rare."""
    if threshold <= 1:
        return Extract(rows=rows, threshold=threshold)

    key = itemgetter(*QUASI_IDENTIFIERS)

    counts = Counter(key(row) for row in rows)
    recoded = 0
    for row in rows:
        if counts[key(row)] < threshold:
            row[NATIONALITY] = OTHER_NATIONALITY
            recoded += 1
    counts = Counter(key(row) for row in rows)
    kept = [row for row in rows if counts[key(row)] >= threshold]
    return Extract(rows=kept, recoded=recoded, dropped=len(rows) - len(kept), threshold=threshold)


def extract_notes(extract: Extract, filters: Filters) -> list[tuple[str, str]]:
    return [
        ("Title", "NRM referrals: de-identified record-level extract for research"),
        *filter_lines(filters),
        (
            "Contents",
            "One row per NRM referral and Duty to Notify report referred in the period. No names, contact details, "
            "references, ids or free text; the age group instead of a date of birth; the month instead of the day; "
            "the type of first responder, not the organisation. Decisions are the newest served at each stage.",
        ),
        (
            "Disclosure control",
            "The referral month, nation, age group, gender and nationality are treated as identifying together. "
            f"Where a combination of them occurred fewer than {extract.threshold} times, the nationality was "
            f'recoded to "{OTHER_NATIONALITY}" ({extract.recoded:,} rows); rows whose combination was still rare '
            f"were left out ({extract.dropped:,} rows).",
        ),
        ("Rows", f"{len(extract.rows):,}"),
        ("Refreshed", refreshed_line(Refresh.objects.first())),
        ("Handling", "OFFICIAL-SENSITIVE. For research under agreement only; do not attempt to identify anyone."),
    ]


def extract_file(filters: Filters, file_format: str, *, threshold: int) -> tuple[bytes, str, str, Extract]:
    """The extract as a file: (content, content type, file name, the extract)."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown file format {file_format!r}")
    extract = research_extract(filters, threshold=threshold)
    notes = extract_notes(extract, filters)
    name = file_name("research-extract", filters.period, file_format)
    rows = extract.rows  # neutralised as they were labelled
    if file_format == "csv":
        return csv_bytes(dataset("Extract", HEADERS, rows)), CONTENT_TYPES["csv"], name, extract
    sheets = [("Notes", ["Item", "Detail"], [list(note) for note in notes]), ("Extract", HEADERS, rows)]
    writer = plain_xlsx if file_format == "xlsx" else plain_ods
    return writer(sheets), CONTENT_TYPES[file_format], name, extract
