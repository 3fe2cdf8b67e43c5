"""Reasonable and Conclusive Grounds decisions: making them, the second review of a negative one, and serving
them (the case's new state and dates, support starting, the letter, and who is told)."""

import contextlib
from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Organisation, User
from casework.factors import objective_factors_for
from casework.models import Case, CaseEvent, Decision, Letter, Policy
from casework.services.base import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    is_manager,
    local_authority_recipients,
    lock_case,
    manager_recipients,
    referral_answer,
    referrer_recipients,
    require_case_owner,
    require_state,
    save_case,
    start_of_day,
    support_provider_recipients,
    tell,
)
from notifications.models import Notification

Outcome = Decision.Outcome
Stage = Decision.Stage


def _checked_decision_input(
    case: Case, *, outcome: str, factors: Sequence[str], reasons: str, decision_date: date | None
) -> list[str]:
    if outcome not in Outcome.values:
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
    offered = {factor.code for factor in objective_factors_for(case.referral.answers or {})}
    unknown = [code for code in factors if code not in offered]
    if unknown:
        raise InvalidInput("Select objective factors from the referral only", field="factors")
    return list(dict.fromkeys(factors))


def _new_decision(case: Case, actor: User, *, stage, outcome, factors, reasons, decision_date) -> Decision:
    return Decision.objects.create(
        case=case,
        stage=stage,
        outcome=Outcome(outcome),
        factors=factors,
        reasons=reasons.strip(),
        decision_date=decision_date,
        decided_by=actor,
        state=Decision.State.UNDER_REVIEW,  # served below unless it goes to review
    )


def _support_provider_for(case: Case, policy: Policy) -> Organisation | None:
    if policy.support_provider_id:
        return policy.support_provider
    providers = Organisation.objects.filter(
        kind=Organisation.Kind.SUPPORT_PROVIDER, is_active=True, nation=case.nation
    ).order_by("pk")
    return providers.first() if providers.count() == 1 else None


def _start_support(case: Case, decision: Decision, policy: Policy, actor: User) -> None:
    """After a positive RG: an adult who wants support is referred to the support provider; a child's local
    authority is told. Support lasts at least the policy's minimum from the RG date."""
    # From the decision date, like the support end date: the recovery period and support run from the same day.
    case.support_started_at = start_of_day(decision.decision_date)
    case.support_ends_at = start_of_day(decision.decision_date + timedelta(days=policy.minimum_support_days))
    if case.is_child:
        told = tell(local_authority_recipients(case), kind=Notification.Kind.SUPPORT_STARTED, case=case)
        CaseEvent.record(case, actor, CaseEvent.Kind.SUPPORT_STARTED, by="local_authority", told=told)
    elif referral_answer(case, "wants_support") == "yes":
        case.support_provider = _support_provider_for(case, policy)
        told = tell(support_provider_recipients(case), kind=Notification.Kind.SUPPORT_STARTED, case=case)
        CaseEvent.record(
            case, actor, CaseEvent.Kind.SUPPORT_STARTED, by="support_provider", provider_id=case.support_provider_id
        )


def decision_serve(*, case: Case, decision: Decision, actor: User | None) -> Decision:
    """Gives a decision its effect, inside the caller's transaction with the case locked: the case's state and
    dates, support, the letter, and notifications. Called by the services below and, for a panel's agreement, by
    the panels app."""
    policy = Policy.for_nation(case.nation)
    now = timezone.now()
    decision.state = Decision.State.SERVED
    decision.served_at = now
    if decision.is_negative:
        decision.reconsideration_deadline = timezone.localdate(now) + timedelta(days=policy.reconsideration_window_days)
    decision.save()
    if decision.stage == Stage.RG and not decision.is_negative:
        case.status = Case.Status.RECOVERY
        case.rg_decided_at = now
        case.recovery_ends_at = start_of_day(decision.decision_date + timedelta(days=policy.recovery_days))
        _start_support(case, decision, policy, actor)
    elif decision.stage == Stage.RG:
        case.status = Case.Status.RG_NEGATIVE_SERVED
    elif not decision.is_negative:
        case.status = Case.Status.CONFIRMED_VICTIM
        case.cg_decided_at = now
        rg = case.decisions.filter(stage=Stage.RG, outcome=Outcome.POSITIVE, state=Decision.State.SERVED).last()
        move_on_end = decision.decision_date + timedelta(days=policy.move_on_days)
        minimum_end = (rg.decision_date if rg else decision.decision_date) + timedelta(days=policy.minimum_support_days)
        case.support_ends_at = start_of_day(max(move_on_end, minimum_end))
        case.support_warning_days_sent = None
    else:
        case.status = Case.Status.CG_NEGATIVE_SERVED
    letter = Letter.objects.create(decision=decision)
    save_case(case, actor=actor, kind=CaseEvent.Kind.DECISION_SERVED, decision_id=decision.pk, letter_id=letter.pk)
    recipients = referrer_recipients(case) + support_provider_recipients(case)
    if case.is_child:
        recipients += local_authority_recipients(case)
    tell(recipients, kind=Notification.Kind.DECISION_SERVED, case=case)
    from casework.tasks import letter_render_task  # the task module imports the services

    transaction.on_commit(partial(_queue_letter, letter_render_task, letter.pk))
    return decision


def _queue_letter(task, letter_id: int) -> None:
    from notifications.services import BROKER_ERRORS

    # When the broker is down the letter is rendered on its first download instead (casework.letters.letter_pdf).
    with contextlib.suppress(BROKER_ERRORS):
        task.delay(letter_id)


def _send_to_review(case: Case, decision: Decision, route: Decision.ReviewRoute, actor: User) -> None:
    decision.review_route = route
    decision.save(update_fields=["review_route"])
    case.status = Case.Status.RG_NEGATIVE_REVIEW if decision.stage == Stage.RG else Case.Status.CG_NEGATIVE_REVIEW
    save_case(case, actor=actor, kind=CaseEvent.Kind.DECISION_PROPOSED, decision_id=decision.pk, route=route)
    if route == Decision.ReviewRoute.SECOND_REVIEWER:
        tell(manager_recipients(case, excluding=actor), kind=Notification.Kind.REVIEW_NEEDED, case=case)


@transaction.atomic
def case_make_rg_decision(
    *,
    case_id: int,
    actor: User,
    outcome: str,
    factors: Sequence[str],
    reasons: str,
    decision_date: date,
    expected_version: int | None = None,
) -> Decision:
    """Positive: served at once, the recovery period and support start. Negative: by policy reviewed by a
    manager other than the decision maker first, or served at once."""
    case = lock_case(case_id, expected_version=expected_version)
    require_state(case, Case.Status.AWAITING_RG, action="make a reasonable grounds decision")
    require_case_owner(actor, case)
    factors = _checked_decision_input(
        case, outcome=outcome, factors=factors or (), reasons=reasons, decision_date=decision_date
    )
    decision = _new_decision(
        case, actor, stage=Stage.RG, outcome=outcome, factors=factors, reasons=reasons, decision_date=decision_date
    )
    CaseEvent.record(case, actor, CaseEvent.Kind.RG_DECIDED, decision_id=decision.pk, outcome=decision.outcome)
    policy = Policy.for_nation(case.nation)
    if decision.is_negative and policy.review_negative_rg:
        _send_to_review(case, decision, Decision.ReviewRoute.SECOND_REVIEWER, actor)
    else:
        decision_serve(case=case, decision=decision, actor=actor)
    return decision


def cg_not_before(case: Case) -> None:
    """Refuses a conclusive grounds decision before the recovery period ends, saying when it does."""
    if case.recovery_ends_at and timezone.now() < case.recovery_ends_at:
        ends = date_format(timezone.localtime(case.recovery_ends_at).date(), "j F Y")
        raise IllegalTransition(
            f"You cannot make a conclusive grounds decision on {case.reference} until the recovery period ends "
            f"on {ends}"
        )


@transaction.atomic
def case_make_cg_decision(
    *,
    case_id: int,
    actor: User,
    outcome: str,
    factors: Sequence[str],
    reasons: str,
    decision_date: date,
    expected_version: int | None = None,
) -> Decision:
    """Only once the recovery period is over. Positive: served, the person is a confirmed victim and move-on
    support runs. Negative: proposed, and reviewed (by the panel or a second reviewer, by policy) before it is
    served."""
    case = lock_case(case_id, expected_version=expected_version)
    require_state(case, Case.Status.RECOVERY, Case.Status.AWAITING_CG, action="make a conclusive grounds decision")
    cg_not_before(case)
    require_case_owner(actor, case)
    factors = _checked_decision_input(
        case, outcome=outcome, factors=factors or (), reasons=reasons, decision_date=decision_date
    )
    if case.recovery_ends_at and decision_date < timezone.localtime(case.recovery_ends_at).date():
        ends = date_format(timezone.localtime(case.recovery_ends_at).date(), "j F Y")
        raise InvalidInput(
            f"The decision date must be on or after {ends}, when the recovery period ended", field="decision_date"
        )
    decision = _new_decision(
        case, actor, stage=Stage.CG, outcome=outcome, factors=factors, reasons=reasons, decision_date=decision_date
    )
    CaseEvent.record(case, actor, CaseEvent.Kind.CG_DECIDED, decision_id=decision.pk, outcome=decision.outcome)
    if decision.is_negative:
        route = Policy.for_nation(case.nation).negative_cg_review_route
        _send_to_review(case, decision, Decision.ReviewRoute(route), actor)
    else:
        decision_serve(case=case, decision=decision, actor=actor)
    return decision


def _locked_decision_under_second_review(decision_id: int, actor: User, expected_version: int | None):
    case_id = Decision.objects.values_list("case_id", flat=True).get(pk=decision_id)
    case = lock_case(case_id, expected_version=expected_version)
    decision = Decision.objects.select_for_update().get(pk=decision_id, case=case)
    if decision.state != Decision.State.UNDER_REVIEW:
        raise IllegalTransition(f"This decision on {case.reference} is not waiting for a review")
    if decision.review_route != Decision.ReviewRoute.SECOND_REVIEWER:
        raise IllegalTransition(f"An independent panel reviews this decision on {case.reference}")
    # A suspended case keeps its decision under review until it resumes (resuming returns to the review state).
    require_state(case, *Case.UNDER_REVIEW_STATUSES, action="review this decision")
    if not is_manager(actor, case):
        raise NotPermitted(f"Only a manager of the authority deciding {case.reference} can review this decision")
    if decision.decided_by_id == actor.pk:
        raise NotPermitted("A second reviewer must be someone other than the decision maker")
    return case, decision


@transaction.atomic
def decision_review_agree(*, decision_id: int, actor: User, expected_version: int | None = None) -> Decision:
    """The second reviewer agrees with a negative decision: it is served."""
    case, decision = _locked_decision_under_second_review(decision_id, actor, expected_version)
    decision.reviewed_by, decision.reviewed_at = actor, timezone.now()
    decision.save(update_fields=["reviewed_by", "reviewed_at"])
    CaseEvent.record(case, actor, CaseEvent.Kind.DECISION_AGREED, decision_id=decision.pk)
    return decision_serve(case=case, decision=decision, actor=actor)


@transaction.atomic
def decision_review_return(
    *, decision_id: int, actor: User, reasons: str, expected_version: int | None = None
) -> Decision:
    """The second reviewer disagrees: the decision goes back, with reasons, and the case waits for a decision
    again."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput("Enter why you are returning the decision", field="reasons")
    case, decision = _locked_decision_under_second_review(decision_id, actor, expected_version)
    return decision_return(case=case, decision=decision, actor=actor, reasons=reasons)


def decision_return(*, case: Case, decision: Decision, actor: User | None, reasons: str) -> Decision:
    """Inside the caller's transaction with the case locked: the second reviewer's (or a panel's) return."""
    decision.state = Decision.State.RETURNED
    decision.reviewed_by, decision.reviewed_at, decision.review_reasons = actor, timezone.now(), reasons
    decision.save()
    case.status = Case.Status.AWAITING_RG if decision.stage == Stage.RG else Case.Status.AWAITING_CG
    save_case(case, actor=actor, kind=CaseEvent.Kind.DECISION_RETURNED, decision_id=decision.pk)
    tell([decision.decided_by], kind=Notification.Kind.DECISION_RETURNED, case=case, excluding=actor)
    return decision
