"""What serving a decision does, computed once: the dates it starts and stops, the support provider it refers an
adult to, and who gets the letter and is told. `casework.services.decisions` applies these when it serves a
decision; `decision_preview` shows them on the check page before the decision is recorded, without writing
anything, so the page and the service can never disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Organisation, User
from casework.deadlines import rg_lateness, start_of_day
from casework.errors import InvalidInput
from casework.factors import objective_factors_for
from casework.letters import letter_recipient
from casework.models import Case, Decision, Policy, ReviewRoute
from casework.services.base import referral_answer, referrer_recipients
from common.calendar import add_working_days


def checked_negative_reason(outcome: str, negative_reason: str) -> str:
    """The main reason for a negative decision (Decision.NegativeReason, counted by the published statistics):
    one of the choices, or blank when not given; a positive decision has none, whatever was sent."""
    if outcome != Decision.Outcome.NEGATIVE:
        return ""
    if negative_reason and negative_reason not in Decision.NegativeReason.values:
        raise InvalidInput("Select the main reason for the negative decision", field="negative_reason")
    return negative_reason or ""


def checked_decision_input(
    case: Case, *, stage: str, outcome: str, factors: Sequence[str], reasons: str, decision_date: date | None
) -> list[str]:
    if outcome not in Decision.Outcome.values:
        raise InvalidInput("Select whether the decision is positive or negative", field="outcome")
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput("Enter the reasons for the decision", field="reasons")
    if not isinstance(decision_date, date):
        raise InvalidInput("Enter the decision date", field="decision_date")
    today = timezone.localdate()
    if decision_date > today:
        raise InvalidInput("The decision date must be today or in the past", field="decision_date")
    if decision_date < timezone.localtime(case.opened_at).date():
        opened = date_format(timezone.localtime(case.opened_at).date(), "j F Y")
        raise InvalidInput(
            f"The decision date must be on or after {opened}, when the case opened", field="decision_date"
        )
    recovery_ended = timezone.localtime(case.recovery_ends_at).date() if case.recovery_ends_at else None
    if stage == Decision.Stage.CG and recovery_ended and decision_date < recovery_ended:
        raise InvalidInput(
            f"The decision date must be on or after {date_format(recovery_ended, 'j F Y')}, when the recovery "
            "period ended",
            field="decision_date",
        )
    offered = {factor.code for factor in objective_factors_for(case.referral.answers or {})}
    unknown = [code for code in factors if code not in offered]
    if unknown:
        raise InvalidInput("Select objective factors from the referral only", field="factors")
    return list(dict.fromkeys(factors))


@dataclass(frozen=True)
class ServedDates:
    """The case's dates once a decision is served; None leaves a date as it is."""

    recovery_ends_at: datetime | None = None
    support_started_at: datetime | None = None
    support_ends_at: datetime | None = None
    reconsideration_deadline: date | None = None


def support_provider_for(case: Case, policy: Policy) -> Organisation | None:
    """The provider an adult who wants support is referred to after a positive RG: the policy's, else the one
    active provider of the case's nation (none when there are several: a manager chooses)."""
    if policy.support_provider_id:
        return policy.support_provider
    providers = Organisation.objects.filter(
        kind=Organisation.Kind.SUPPORT_PROVIDER, is_active=True, nation=case.nation
    ).order_by("pk")
    return providers.first() if providers.count() == 1 else None


def _positive_rg_date(case: Case) -> date | None:
    rg = case.decisions.filter(
        stage=Decision.Stage.RG, outcome=Decision.Outcome.POSITIVE, state=Decision.State.SERVED
    ).last()
    return rg.decision_date if rg else None


def served_dates(case: Case, *, stage: str, outcome: str, decision_date: date, served_on: date, policy: Policy):
    """The dates a decision of `stage` and `outcome`, dated `decision_date` and served on `served_on`, gives the
    case. A positive RG starts the recovery period and support from the decision date; a positive CG runs
    move-on support (and at least the minimum from the positive RG); a negative decision opens the
    reconsideration window and ends running support the policy's working days after it is served."""
    if outcome == Decision.Outcome.NEGATIVE:
        support_ends_at = None
        if case.support_started_at is not None:
            ends = start_of_day(add_working_days(served_on, policy.negative_decision_support_working_days))
            if case.support_ends_at is None or ends < case.support_ends_at:
                support_ends_at = ends
        return ServedDates(
            support_ends_at=support_ends_at,
            reconsideration_deadline=served_on + timedelta(days=policy.reconsideration_window_days),
        )
    if stage == Decision.Stage.RG:
        return ServedDates(
            recovery_ends_at=start_of_day(decision_date + timedelta(days=policy.recovery_days)),
            support_started_at=start_of_day(decision_date),
            support_ends_at=start_of_day(decision_date + timedelta(days=policy.minimum_support_days)),
        )
    move_on_end = decision_date + timedelta(days=policy.move_on_days)
    minimum_end = (_positive_rg_date(case) or decision_date) + timedelta(days=policy.minimum_support_days)
    return ServedDates(support_ends_at=start_of_day(max(move_on_end, minimum_end)))


# The check page's preview --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Told:
    """One organisation (or person) told about the decision, and why."""

    name: str
    role: str


@dataclass(frozen=True)
class DecisionPreview:
    """What recording a decision will do, in the words of the check page."""

    title: str
    served_now: bool
    review_by: str  # who reviews a negative decision before it is served, when it is not served now
    letter_to: dict  # casework.letters.letter_recipient, when the letter is served now
    told: tuple[Told, ...]
    dates: tuple[tuple[str, str], ...] = field(default=())


def _day(moment: datetime | date) -> str:
    when = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    return f"{when.day} {when:%B %Y}"


def review_route_for(case: Case, stage: str, outcome: str, policy: Policy) -> ReviewRoute | None:
    """The route of the review a decision goes to before it is served; None when it is served at once (the rule
    `case_make_rg_decision` and `case_make_cg_decision` follow)."""
    if outcome != Decision.Outcome.NEGATIVE:
        return None
    if stage == Decision.Stage.RG:
        return ReviewRoute(policy.negative_rg_review_route) if policy.review_negative_rg else None
    return ReviewRoute(policy.negative_cg_review_route)


def _review_by(route: ReviewRoute) -> str:
    if route == ReviewRoute.PANEL:
        return (
            "an independent panel (when no active panel covers the case, a manager other than the decision maker "
            "reviews it)"
        )
    return "a manager other than the decision maker"


def _people(users: list[User]) -> str:
    return ", ".join(user.full_name or "a colleague" for user in users)


def _told(case: Case, provider: Organisation | None) -> tuple[Told, ...]:
    """Who serving the decision tells (casework.services.decisions._serve): the first responder, the support
    provider and, for a child, the local authority the referral names."""
    referrer = referrer_recipients(case)
    told = [Told(str(case.referral.organisation), f"first responder: {_people(referrer)}" if referrer else "")]
    if provider is not None:
        told.append(Told(str(provider), "support provider"))
    if case.is_child and referral_answer(case, "la_name"):
        told.append(Told(referral_answer(case, "la_name"), "local authority children's services"))
    return tuple(told)


def _deadline_row(case: Case, decision_date: date) -> tuple[str, str] | None:
    if case.status != Case.Status.AWAITING_RG or not case.rg_due_at:
        return None
    late = rg_lateness(case.rg_due_at, decision_date)
    judged = "within target" if late == 0 else f"{late} working day{'s' if late != 1 else ''} late"
    return (
        "Reasonable grounds deadline",
        f"Stops: due {_day(case.rg_due_at)}, decided on {_day(decision_date)}, {judged}",
    )


def decision_preview(
    *,
    case: Case,
    stage: str,
    outcome: str,
    factors: Sequence[str] = (),
    reasons: str,
    decision_date: date,
    negative_reason: str = "",
) -> DecisionPreview:
    """What recording this decision on `case` would do, written nowhere: whether it is served now or reviewed
    first, who gets the letter and who is told, and which dates start or stop. The input is checked as the
    service checks it (InvalidInput), and serving it (`_serve`) uses the same rules: `served_dates`,
    `support_provider_for`, `review_route_for` and `letter_recipient`."""
    checked_decision_input(
        case, stage=stage, outcome=outcome, factors=factors or (), reasons=reasons, decision_date=decision_date
    )
    checked_negative_reason(outcome, negative_reason)
    policy = Policy.for_case(case)
    stage, outcome = Decision.Stage(stage), Decision.Outcome(outcome)
    title = f"{outcome.label} {stage.label.lower()} decision"
    dates: list[tuple[str, str]] = []
    if (deadline := _deadline_row(case, decision_date)) is not None:
        dates.append(deadline)
    route = review_route_for(case, stage, outcome, policy)
    if route is not None:
        return DecisionPreview(
            title=title,
            served_now=False,
            review_by=_review_by(route),
            letter_to={},
            told=(),
            dates=tuple(dates),
        )
    served_on = timezone.localdate()
    effect = served_dates(
        case, stage=stage, outcome=outcome, decision_date=decision_date, served_on=served_on, policy=policy
    )
    provider = case.support_provider
    if stage == Decision.Stage.RG and outcome == Decision.Outcome.POSITIVE:
        # The date the letter prints: the recovery period lasts until at least then.
        lasts = f"Starts on {_day(decision_date)}, lasts until at least {_day(effect.recovery_ends_at)}"
        dates.append(("Recovery period", lasts))
        if case.is_child:
            support = "The local authority supports the child"
        elif referral_answer(case, "wants_support") == "yes":
            provider = support_provider_for(case, policy)
            # As the timeline says then: no provider set for the nation, the caseworker refers the person.
            support = f"Referred to {provider}" if provider else "Wanted (no provider set for the nation: refer them)"
        else:
            support = "Not asked for in the referral: available"
        dates.append(("Support", f"{support}, until at least {_day(effect.support_ends_at)}"))
    elif stage == Decision.Stage.CG and outcome == Decision.Outcome.POSITIVE:
        dates.append(("Move-on support", f"Until at least {_day(effect.support_ends_at)}"))
    if effect.reconsideration_deadline:
        dates.append(("Reconsideration", f"Can be asked until {_day(effect.reconsideration_deadline)}"))
    if outcome == Decision.Outcome.NEGATIVE and effect.support_ends_at:
        dates.append(("Support", f"Ends on {_day(effect.support_ends_at)}"))
    return DecisionPreview(
        title=title,
        served_now=True,
        review_by="",
        letter_to=letter_recipient(case),
        told=_told(case, provider),
        dates=tuple(dates),
    )
