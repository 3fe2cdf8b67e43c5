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
from casework.deadlines import start_of_day
from casework.errors import IllegalTransition, InvalidInput
from casework.factors import objective_factors_for
from casework.lifecycle import CaseFacts, Move, ReviewOutcome, begin, begin_locked, lock_case
from casework.models import Case, CaseEvent, Decision, Letter, PanelResponse, Policy, ReviewRoute
from casework.panel_port import panels
from casework.services.base import (
    local_authority_recipients,
    manager_recipients,
    referral_answer,
    referrer_recipients,
    support_provider_recipients,
    tell,
)
from common.calendar import add_working_days
from notifications.models import Notification

# The status a served decision leaves the case in, by stage and outcome; and where a returned one goes back to.
_SERVED_STATUS = {
    (Decision.Stage.RG, Decision.Outcome.POSITIVE): Case.Status.RECOVERY,
    (Decision.Stage.RG, Decision.Outcome.NEGATIVE): Case.Status.RG_NEGATIVE_SERVED,
    (Decision.Stage.CG, Decision.Outcome.POSITIVE): Case.Status.CONFIRMED_VICTIM,
    (Decision.Stage.CG, Decision.Outcome.NEGATIVE): Case.Status.CG_NEGATIVE_SERVED,
}
_REVIEW_STATUS = {Decision.Stage.RG: Case.Status.RG_NEGATIVE_REVIEW, Decision.Stage.CG: Case.Status.CG_NEGATIVE_REVIEW}
_AWAITING_STATUS = {Decision.Stage.RG: Case.Status.AWAITING_RG, Decision.Stage.CG: Case.Status.AWAITING_CG}


def _checked_negative_reason(outcome: str, negative_reason: str) -> str:
    """The main reason for a negative decision (Decision.NegativeReason, counted by the published statistics):
    one of the choices, or blank when not given; a positive decision has none, whatever was sent."""
    if outcome != Decision.Outcome.NEGATIVE:
        return ""
    if negative_reason and negative_reason not in Decision.NegativeReason.values:
        raise InvalidInput("Select the main reason for the negative decision", field="negative_reason")
    return negative_reason or ""


def _checked_decision_input(
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


_DECIDED_EVENT = {Decision.Stage.RG: CaseEvent.Kind.RG_DECIDED, Decision.Stage.CG: CaseEvent.Kind.CG_DECIDED}


def _decision_made(
    move: Move, *, stage: str, outcome: str, factors, reasons: str, decision_date, negative_reason: str = ""
) -> Decision:
    """The decision as its maker recorded it, after its input is checked: under review until served."""
    factors = _checked_decision_input(
        move.case, stage=stage, outcome=outcome, factors=factors or (), reasons=reasons, decision_date=decision_date
    )
    negative_reason = _checked_negative_reason(outcome, negative_reason)
    decision = Decision.objects.create(
        case=move.case,
        stage=stage,
        outcome=Decision.Outcome(outcome),
        factors=factors,
        reasons=reasons.strip(),
        negative_reason=negative_reason,
        decision_date=decision_date,
        decided_by=move.actor,
        state=Decision.State.UNDER_REVIEW,  # served below unless it goes to review
    )
    move.record(_DECIDED_EVENT[stage], decision_id=decision.pk, outcome=decision.outcome)
    return decision


def _support_provider_for(case: Case, policy: Policy) -> Organisation | None:
    if policy.support_provider_id:
        return policy.support_provider
    providers = Organisation.objects.filter(
        kind=Organisation.Kind.SUPPORT_PROVIDER, is_active=True, nation=case.nation
    ).order_by("pk")
    return providers.first() if providers.count() == 1 else None


def _start_support(move: Move, decision: Decision, policy: Policy) -> None:
    """After a positive RG: an adult who wants support is referred to the support provider; a child's local
    authority is told. Support lasts at least the policy's minimum from the RG date."""
    case = move.case
    # From the decision date, like the support end date: the recovery period and support run from the same day.
    case.support_started_at = start_of_day(decision.decision_date)
    case.support_ends_at = start_of_day(decision.decision_date + timedelta(days=policy.minimum_support_days))
    if case.is_child:
        told = tell(local_authority_recipients(case), kind=Notification.Kind.SUPPORT_STARTED, case=case)
        move.record(CaseEvent.Kind.SUPPORT_STARTED, by="local_authority", told=told)
    elif referral_answer(case, "wants_support") == "yes":
        case.support_provider = _support_provider_for(case, policy)
        tell(support_provider_recipients(case), kind=Notification.Kind.SUPPORT_STARTED, case=case)
        move.record(CaseEvent.Kind.SUPPORT_STARTED, by="support_provider", provider_id=case.support_provider_id)


def _end_support_after_negative(case: Case, policy: Policy, *, served_on: date) -> None:
    """Support that is running ends the policy's working days after a negative decision is served (9 in England
    and Wales), so the person leaves the provider's "being supported" list then, not at the minimum period's end."""
    if case.support_started_at is None:
        return
    ends = start_of_day(add_working_days(served_on, policy.negative_decision_support_working_days))
    if case.support_ends_at is None or ends < case.support_ends_at:
        case.support_ends_at = ends
        case.support_warning_days_sent = None


def _serve(move: Move, decision: Decision) -> Decision:
    """Gives a decision its effect, inside the move's transaction: the case's state and dates, support, the
    letter, and notifications."""
    case = move.case
    policy = Policy.for_case(case)
    now = timezone.now()
    decision.state = Decision.State.SERVED
    decision.served_at = now
    if decision.is_negative:
        decision.reconsideration_deadline = timezone.localdate(now) + timedelta(days=policy.reconsideration_window_days)
        _end_support_after_negative(case, policy, served_on=timezone.localdate(now))
    decision.save()
    move.enter(_SERVED_STATUS[decision.stage, decision.outcome])
    if decision.stage == Decision.Stage.RG and not decision.is_negative:
        case.rg_decided_at = now
        case.recovery_ends_at = start_of_day(decision.decision_date + timedelta(days=policy.recovery_days))
        _start_support(move, decision, policy)
    elif decision.stage == Decision.Stage.CG and not decision.is_negative:
        case.cg_decided_at = now
        rg = case.decisions.filter(
            stage=Decision.Stage.RG, outcome=Decision.Outcome.POSITIVE, state=Decision.State.SERVED
        ).last()
        move_on_end = decision.decision_date + timedelta(days=policy.move_on_days)
        minimum_end = (rg.decision_date if rg else decision.decision_date) + timedelta(days=policy.minimum_support_days)
        case.support_ends_at = start_of_day(max(move_on_end, minimum_end))
        case.support_warning_days_sent = None
    letter = Letter.objects.create(decision=decision)
    move.finish(CaseEvent.Kind.DECISION_SERVED, decision_id=decision.pk, letter_id=letter.pk)
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


def _send_to_review(move: Move, decision: Decision, route: ReviewRoute) -> None:
    """Proposes a negative decision for review. A panel-route decision is sent to a panel in this transaction;
    when no active panel covers the case, a second reviewer in the authority reviews it rather than nobody."""
    if route == ReviewRoute.PANEL and panels().review_routed(decision=decision, case=move.case) is None:
        route = ReviewRoute.SECOND_REVIEWER
    decision.review_route = route
    decision.save(update_fields=["review_route"])
    move.enter(_REVIEW_STATUS[decision.stage])
    move.finish(CaseEvent.Kind.DECISION_PROPOSED, decision_id=decision.pk, route=route)
    if route == ReviewRoute.SECOND_REVIEWER:
        tell(manager_recipients(move.case, excluding=move.actor), kind=Notification.Kind.REVIEW_NEEDED, case=move.case)


@transaction.atomic
def case_make_rg_decision(
    *,
    case_id: int,
    actor: User,
    outcome: str,
    factors: Sequence[str],
    reasons: str,
    decision_date: date,
    negative_reason: str = "",
    expected_version: int | None = None,
) -> Decision:
    """Positive: served at once, the recovery period and support start. Negative: by policy reviewed by a
    manager other than the decision maker first, or served at once. `negative_reason`: a negative decision's main
    reason (Decision.NegativeReason), which the published statistics count; ignored for a positive one."""
    move = begin("rg_decision", case_id=case_id, actor=actor, expected_version=expected_version)
    decision = _decision_made(
        move,
        stage=Decision.Stage.RG,
        outcome=outcome,
        factors=factors,
        reasons=reasons,
        decision_date=decision_date,
        negative_reason=negative_reason,
    )
    policy = Policy.for_case(move.case)
    if decision.is_negative and policy.review_negative_rg:
        _send_to_review(move, decision, ReviewRoute(policy.negative_rg_review_route))
    else:
        _serve(move, decision)
    return decision


@transaction.atomic
def case_make_cg_decision(
    *,
    case_id: int,
    actor: User,
    outcome: str,
    factors: Sequence[str],
    reasons: str,
    decision_date: date,
    negative_reason: str = "",
    expected_version: int | None = None,
) -> Decision:
    """Only once the recovery period is over. Positive: served, the person is a confirmed victim and move-on
    support runs. Negative: proposed, and reviewed (by the panel or a second reviewer, by policy) before it is
    served."""
    move = begin("cg_decision", case_id=case_id, actor=actor, expected_version=expected_version)
    decision = _decision_made(
        move,
        stage=Decision.Stage.CG,
        outcome=outcome,
        factors=factors,
        reasons=reasons,
        decision_date=decision_date,
        negative_reason=negative_reason,
    )
    if decision.is_negative:
        _send_to_review(move, decision, ReviewRoute(Policy.for_case(move.case).negative_cg_review_route))
    else:
        _serve(move, decision)
    return decision


# The one review seam: a second reviewer's or a panel's conclusion. ------------------------------------------

_REVIEW_MOVES = {ReviewRoute.SECOND_REVIEWER: "review_decision", ReviewRoute.PANEL: "panel_review"}


@transaction.atomic
def decision_review_conclude(
    *,
    decision_id: int,
    actor: User,
    outcome: ReviewOutcome,
    reasons: str = "",
    route: ReviewRoute | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Concludes the review of a negative decision, by either route: the case's authority's second reviewer
    (a manager other than the decision maker) or an independent panel (the chair of the panel it was sent to).
    Agreeing serves the decision. A second reviewer's return sends it back to its maker with the reasons, and the
    case waits for a decision again. A panel advises: its recommendation to reconsider waits for a manager's
    response (`decision_panel_respond`). The panels app calls this and never locks a case itself."""
    outcome = ReviewOutcome(outcome)
    reasons = (reasons or "").strip()
    if outcome != ReviewOutcome.AGREE and not reasons:
        raise InvalidInput("Enter why you are returning the decision", field="reasons")
    decision_row = Decision.objects.filter(pk=decision_id).values("case_id", "review_route").first()
    if decision_row is None:
        raise IllegalTransition("This decision does not exist")
    # The route is the decision's; a page of one route names it, so that the other route's decision is refused.
    route = ReviewRoute(route or decision_row["review_route"] or ReviewRoute.SECOND_REVIEWER)
    if route == ReviewRoute.PANEL and outcome == ReviewOutcome.RETURN:
        raise InvalidInput("A panel agrees with the decision or recommends it is reconsidered", field="outcome")
    if route == ReviewRoute.SECOND_REVIEWER and outcome == ReviewOutcome.RECOMMEND_RECONSIDERATION:
        outcome = ReviewOutcome.RETURN  # a second reviewer inside the authority returns the decision itself
    case = lock_case(decision_row["case_id"], expected_version=expected_version)
    decision = Decision.objects.select_for_update().get(pk=decision_id, case=case)
    # Judged on this decision: not under review, it is "not waiting for a review" (casework.lifecycle.who).
    move = begin_locked(_REVIEW_MOVES[route], case=case, actor=actor, facts=CaseFacts(case, decisions=[decision]))
    decision.reviewed_by, decision.reviewed_at = actor, timezone.now()
    if outcome == ReviewOutcome.AGREE:
        decision.save(update_fields=["reviewed_by", "reviewed_at"])
        move.record(CaseEvent.Kind.DECISION_AGREED, decision_id=decision.pk, route=route)
        return _serve(move, decision)
    decision.review_reasons = reasons
    if outcome == ReviewOutcome.RECOMMEND_RECONSIDERATION:
        decision.state = Decision.State.RECONSIDERATION_RECOMMENDED
        decision.save()
        move.finish(CaseEvent.Kind.RECONSIDERATION_RECOMMENDED, decision_id=decision.pk)
        tell(manager_recipients(case), kind=Notification.Kind.PANEL_RECOMMENDATION, case=case)
        return decision
    decision.state = Decision.State.RETURNED
    decision.save()
    move.enter(_AWAITING_STATUS[decision.stage])
    move.finish(CaseEvent.Kind.DECISION_RETURNED, decision_id=decision.pk, route=route, outcome=outcome)
    tell([decision.decided_by], kind=Notification.Kind.DECISION_RETURNED, case=case, excluding=actor)
    return decision


@transaction.atomic
def decision_panel_respond(
    *,
    decision_id: int,
    actor: User,
    response: PanelResponse,
    reasons: str = "",
    expected_version: int | None = None,
) -> Decision:
    """A manager's response to an independent panel's recommendation to reconsider a negative decision, stored
    apart from the recommendation: reconsider (the case waits for the decision again, and its maker sees the
    panel's reasons) or maintain (the decision is served, with the authority's justification)."""
    if response not in PanelResponse.values:
        raise InvalidInput("Select whether the authority reconsiders or maintains the decision", field="response")
    response = PanelResponse(response)
    reasons = (reasons or "").strip()
    if response == PanelResponse.MAINTAIN and not reasons:
        raise InvalidInput("Enter why the authority maintains the decision", field="reasons")
    case_id = Decision.objects.filter(pk=decision_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise IllegalTransition("This decision does not exist")
    case = lock_case(case_id, expected_version=expected_version)
    decision = Decision.objects.select_for_update().get(pk=decision_id, case=case)
    move = begin_locked("respond_to_panel", case=case, actor=actor, facts=CaseFacts(case, decisions=[decision]))
    decision.authority_response = response
    decision.authority_response_reasons = reasons
    decision.authority_responded_by, decision.authority_responded_at = actor, timezone.now()
    if response == PanelResponse.MAINTAIN:
        decision.save()
        move.record(CaseEvent.Kind.PANEL_RECOMMENDATION_ANSWERED, decision_id=decision.pk, response=response)
        return _serve(move, decision)
    decision.state = Decision.State.RETURNED
    decision.save()
    move.enter(_AWAITING_STATUS[decision.stage])
    move.finish(CaseEvent.Kind.PANEL_RECOMMENDATION_ANSWERED, decision_id=decision.pk, response=response)
    tell([decision.decided_by], kind=Notification.Kind.DECISION_RETURNED, case=case, excluding=actor)
    return decision


_PANEL_DECISION_MOVES = {Decision.Stage.RG: "panel_rg_decision", Decision.Stage.CG: "panel_cg_decision"}


@transaction.atomic
def case_make_panel_decision(
    *,
    case_id: int,
    actor: User,
    stage: str,
    outcome: str,
    factors: Sequence[str] = (),
    reasons: str,
    decision_date: date,
    decision_maker_name: str,
    negative_reason: str = "",
    expected_version: int | None = None,
) -> Decision:
    """A decision-making panel's RG or CG decision, recorded by its chair: served at once by the same steps as an
    authority's (letter, dates, support, who is told); the letter names the panel as the decision maker."""
    if stage not in _PANEL_DECISION_MOVES:
        raise InvalidInput("Select the decision's stage", field="stage")
    move = begin(_PANEL_DECISION_MOVES[stage], case_id=case_id, actor=actor, expected_version=expected_version)
    decision = _decision_made(
        move,
        stage=stage,
        outcome=outcome,
        factors=factors,
        reasons=reasons,
        decision_date=decision_date,
        negative_reason=negative_reason,
    )
    decision.decision_maker_name = decision_maker_name
    decision.save(update_fields=["decision_maker_name"])
    return _serve(move, decision)


def decision_review_agree(*, decision_id: int, actor: User, expected_version: int | None = None) -> Decision:
    """The authority's second reviewer agrees with a negative decision: it is served."""
    return decision_review_conclude(
        decision_id=decision_id,
        actor=actor,
        outcome=ReviewOutcome.AGREE,
        route=ReviewRoute.SECOND_REVIEWER,
        expected_version=expected_version,
    )


def decision_review_return(
    *, decision_id: int, actor: User, reasons: str, expected_version: int | None = None
) -> Decision:
    """The second reviewer disagrees: the decision goes back, with reasons, and the case waits for a decision again."""
    return decision_review_conclude(
        decision_id=decision_id,
        actor=actor,
        outcome=ReviewOutcome.RETURN,
        reasons=reasons,
        route=ReviewRoute.SECOND_REVIEWER,
        expected_version=expected_version,
    )
