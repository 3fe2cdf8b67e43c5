"""What a support provider sees of the people referred to it: their support dates, the served outcomes (as the
referring organisation sees them, casework.selectors.referrer) and how to reach them safely.

A support provider sees no more of the referral than support needs: who the person is and how to reach them
safely, the help they need to communicate, their dependants, where they are and their immediate safeguarding
needs, and who referred them. Never the account of the exploitation, the assessment or the evidence.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.deadlines import SUPPORT_WARNING_DAYS
from casework.lifecycle import BY_NAME, CaseFacts
from casework.models import Case, Decision, SupportExtension, SupportRecord
from casework.selectors.referrer import Outcomes, case_status_label_for_outsider, outcomes_for_outsider
from casework.selectors.scope import cases_supported_by
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import display_value, walk

# The referral's questions a support provider needs, in this order (by question, not by page, so that regrouping
# the referral's pages never shows a provider more): who the person is (not the name their exploiters used), their
# dependants, the help they need to communicate, how to reach them safely, where they are and their immediate
# safeguarding needs.
SUPPORT_QUESTIONS = (
    "first_name",
    "last_name",
    "gender",
    "children",
    "children_count",
    "interpreter_needed",
    "interpreter_language",
    "communication_help",
    "communication_help_details",
    "support_contact_method",
    "support_phone",
    "support_alternative_phone",
    "support_alternative_relationship",
    "support_no_phone_reason",
    "current_town",
    "current_region",
    "immediate_safeguarding_needs",
    "safeguarding_details",
)


@dataclass(frozen=True)
class SupportDates:
    """A case's support dates and the days left until support ends (negative once it has ended)."""

    status_label: str
    support_started_at: datetime | None
    recovery_ends_at: datetime | None
    support_ends_at: datetime | None
    days_left: int | None
    ending_soon: bool
    ended: bool


@dataclass(frozen=True)
class SupportedPersonRow:
    reference: str
    dates: SupportDates
    served_decision_titles: tuple[str, ...]
    reported_missing: bool = False  # the provider reported the person missing (until the case is resumed)


@dataclass(frozen=True)
class SupportDetail:
    label: str
    value: str


@dataclass(frozen=True)
class ReferrerContact:
    organisation: str
    name: str
    phone: str
    email: str
    alternative_email: str


@dataclass(frozen=True)
class SupportAction:
    label: str
    url: str


@dataclass(frozen=True)
class SupportRecordView:
    """The provider's own record of its support (None of it until support is recorded as started), and the
    records it may add now (from the lifecycle table: never one its service would refuse)."""

    record: SupportRecord | None
    extensions: tuple[SupportExtension, ...]
    actions: tuple[SupportAction, ...]


@dataclass(frozen=True)
class SupportedPersonView:
    reference: str
    dates: SupportDates
    outcomes: Outcomes
    details: tuple[SupportDetail, ...]
    referrer: ReferrerContact
    support: SupportRecordView


def support_dates(case: Case, *, today: date) -> SupportDates:
    days_left = None
    if case.support_ends_at:
        days_left = (timezone.localtime(case.support_ends_at).date() - today).days
    # Ended once its moment has passed, as the lists count it (`_still_supported`), even on its last day.
    ended = case.support_ends_at is not None and case.support_ends_at < timezone.now()
    return SupportDates(
        status_label=case_status_label_for_outsider(case),
        support_started_at=case.support_started_at,
        recovery_ends_at=case.recovery_ends_at,
        support_ends_at=case.support_ends_at,
        days_left=days_left,
        ending_soon=not ended and days_left is not None and 0 <= days_left <= max(SUPPORT_WARNING_DAYS),
        ended=ended or (days_left is not None and days_left < 0),
    )


def _still_supported() -> Q:
    return Q(support_ends_at__isnull=True) | Q(support_ends_at__gte=timezone.now())


def supported_people_counts(*, user: User) -> dict[str, int]:
    """How many of the provider's people are being supported, and how many no longer are (one query)."""
    current = _still_supported()
    return cases_supported_by(user=user).aggregate(
        current=Count("pk", filter=current), ended=Count("pk", filter=~current)
    )


def supported_people(*, user: User, ended: bool) -> QuerySet[Case]:
    """The provider's people being supported (nearest end of support first), or those whose support has ended
    (most recent first), with their served decisions: page it, then make rows with `supported_person_row`."""
    people = cases_supported_by(user=user)
    current = _still_supported()
    if ended:
        listed = people.filter(~current).order_by("-support_ends_at", "reference")
    else:
        listed = people.filter(current).order_by(F("support_ends_at").asc(nulls_last=True), "reference")
    served = Decision.objects.filter(state=Decision.State.SERVED).order_by("served_at", "pk")
    return (
        listed.only("reference", "status", "support_started_at", "recovery_ends_at", "support_ends_at")
        .annotate(missing_reported_at=F("support_record__missing_reported_at"))
        .prefetch_related(Prefetch("decisions", queryset=served))
    )


def supported_person_row(case: Case, *, today: date) -> SupportedPersonRow:
    """A row of the list, from a case of `supported_people` (its served decisions prefetched)."""
    return SupportedPersonRow(
        reference=case.reference,
        dates=support_dates(case, today=today),
        served_decision_titles=tuple(decision.title for decision in case.decisions.all()),
        reported_missing=getattr(case, "missing_reported_at", None) is not None,
    )


def supported_case_for(*, user: User, reference: str) -> Case | None:
    """The provider's case of that reference, with what its page needs of the referral; None outside its scope."""
    people = cases_supported_by(user=user).select_related(
        "referral__organisation", "referral__submitted_by", "support_record"
    )
    return people.filter(reference=reference).first()


def support_details(answers: dict) -> tuple[SupportDetail, ...]:
    """The answers support needs, as labelled words (only those that apply to this referral)."""
    wanted = {key: position for position, key in enumerate(SUPPORT_QUESTIONS)}
    rows = [
        (
            wanted[question.key],
            SupportDetail(label=question.short_label, value=display_value(question, answers.get(question.key))),
        )
        for _section, _page, question in walk(QUESTIONNAIRE, answers)
        if question.key in wanted
    ]
    return tuple(row for _position, row in sorted(rows, key=lambda item: item[0]))


def referrer_contact(case: Case) -> ReferrerContact:
    answers = case.referral.answers or {}
    name = " ".join(filter(None, [answers.get("responder_first_name"), answers.get("responder_last_name")]))
    phone = answers.get("responder_phone")
    return ReferrerContact(
        organisation=str(case.referral.organisation),
        name=name or case.referral.submitted_by.full_name,
        phone=display_value(QUESTIONNAIRE.question("responder_phone"), phone) if phone else "",
        email=case.referral.submitted_by.email,
        alternative_email=answers.get("alternative_contact_email", ""),
    )


# The provider's records, in the order support runs: the lifecycle's move and the page that records it.
SUPPORT_MOVES = (
    ("record_support_start", "supported_start"),
    ("record_rna", "supported_rna"),
    ("extend_support", "supported_extend"),
    ("report_missing", "supported_missing"),
    ("record_support_end", "supported_end"),
)


def support_record_view(*, user: User, case: Case) -> SupportRecordView:
    """The provider's record of `case` (from `supported_case_for`, its record joined) and what it may add now."""
    try:
        record = case.support_record
    except SupportRecord.DoesNotExist:
        record = None
    extensions = tuple(case.support_extensions.order_by("recorded_at", "pk")) if record is not None else ()
    facts = CaseFacts(case, decisions=[], reconsiderations=[])
    actions = tuple(
        SupportAction(label=BY_NAME[name].label, url=reverse(f"casework:{url_name}", args=[case.reference]))
        for name, url_name in SUPPORT_MOVES
        if BY_NAME[name].allows(user, case, facts)
    )
    return SupportRecordView(record=record, extensions=extensions, actions=actions)


def supported_person_view(*, user: User, case: Case) -> SupportedPersonView:
    """One person's page for `user` of their support provider (`case` from `supported_case_for`)."""
    return SupportedPersonView(
        reference=case.reference,
        dates=support_dates(case, today=timezone.localdate()),
        outcomes=outcomes_for_outsider(user, case),
        details=support_details(case.referral.answers or {}),
        referrer=referrer_contact(case),
        support=support_record_view(user=user, case=case),
    )
