"""Reasonable and Conclusive Grounds decisions: making them, the second review of a negative one, and serving
them (the case's new state and dates, support starting, the letter, and who is told)."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework.errors import IllegalTransition, InvalidInput
from casework.letters import letter_render
from casework.lifecycle import CaseFacts, Move, ReviewOutcome, begin, begin_locked, lock_case_for
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
from casework.services.decision_effects import (
    checked_decision_input,
    checked_negative_reason,
    review_route_for,
    served_dates,
    support_provider_for,
)
from common.outbox import outbox_enqueue
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


_DECIDED_EVENT = {Decision.Stage.RG: CaseEvent.Kind.RG_DECIDED, Decision.Stage.CG: CaseEvent.Kind.CG_DECIDED}


def _decision_made(
    move: Move, *, stage: str, outcome: str, factors, reasons: str, decision_date, negative_reason: str = ""
) -> Decision:
    """The decision as its maker recorded it, after its input is checked: under review until served."""
    factors = checked_decision_input(
        move.case, stage=stage, outcome=outcome, factors=factors or (), reasons=reasons, decision_date=decision_date
    )
    negative_reason = checked_negative_reason(outcome, negative_reason)
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


def _start_support(move: Move, policy: Policy) -> None:
    """After a positive RG: an adult who wants support is referred to the support provider; a child's local
    authority is told. (The dates are set by `served_dates`.)"""
    case = move.case
    if case.is_child:
        told = tell(local_authority_recipients(case), kind=Notification.Kind.SUPPORT_STARTED, case=case)
        move.record(CaseEvent.Kind.SUPPORT_STARTED, by="local_authority", told=told)
    elif referral_answer(case, "wants_support") == "yes":
        case.support_provider = support_provider_for(case, policy)
        tell(support_provider_recipients(case), kind=Notification.Kind.SUPPORT_STARTED, case=case)
        move.record(CaseEvent.Kind.SUPPORT_STARTED, by="support_provider", provider_id=case.support_provider_id)


def _serve(move: Move, decision: Decision) -> Decision:
    """Gives a decision its effect, inside the move's transaction: the case's state and dates (`served_dates`,
    which the check page's `decision_preview` shows beforehand), support, the letter, and notifications."""
    case = move.case
    policy = Policy.for_case(case)
    now = timezone.now()
    dates = served_dates(
        case,
        stage=decision.stage,
        outcome=decision.outcome,
        decision_date=decision.decision_date,
        served_on=timezone.localdate(now),
        policy=policy,
    )
    decision.state = Decision.State.SERVED
    decision.served_at = now
    decision.reconsideration_deadline = dates.reconsideration_deadline
    decision.save()
    move.enter(_SERVED_STATUS[decision.stage, decision.outcome])
    if dates.recovery_ends_at:
        case.recovery_ends_at = dates.recovery_ends_at
    if dates.support_started_at:
        case.support_started_at = dates.support_started_at
    if dates.support_ends_at:
        case.support_ends_at = dates.support_ends_at
        case.support_warning_days_sent = None
    if decision.stage == Decision.Stage.RG and not decision.is_negative:
        case.rg_decided_at = now
        _start_support(move, policy)
    elif decision.stage == Decision.Stage.CG and not decision.is_negative:
        case.cg_decided_at = now
    letter = Letter.objects.create(decision=decision)
    move.finish(CaseEvent.Kind.DECISION_SERVED, decision_id=decision.pk, letter_id=letter.pk)
    recipients = referrer_recipients(case) + support_provider_recipients(case)
    if case.is_child:
        recipients += local_authority_recipients(case)
    tell(recipients, kind=Notification.Kind.DECISION_SERVED, case=case)
    # An outbox row in this transaction: rendered after commit, or by the sweep minutes later if the task is lost
    # (and on its first download, whichever comes first: casework.letters.letter_pdf).
    outbox_enqueue(letter_render, letter_id=letter.pk)
    return decision


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
    return _decided(
        move,
        stage=Decision.Stage.RG,
        outcome=outcome,
        factors=factors,
        reasons=reasons,
        decision_date=decision_date,
        negative_reason=negative_reason,
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
    negative_reason: str = "",
    expected_version: int | None = None,
) -> Decision:
    """Only once the recovery period is over. Positive: served, the person is a confirmed victim and move-on
    support runs. Negative: proposed, and reviewed (by the panel or a second reviewer, by policy) before it is
    served."""
    move = begin("cg_decision", case_id=case_id, actor=actor, expected_version=expected_version)
    return _decided(
        move,
        stage=Decision.Stage.CG,
        outcome=outcome,
        factors=factors,
        reasons=reasons,
        decision_date=decision_date,
        negative_reason=negative_reason,
    )


def _decided(move: Move, *, stage: str, **made) -> Decision:
    """A decision made at `stage`: served at once, or sent to its review first where the policy asks for one
    (casework.services.decision_effects.review_route_for)."""
    decision = _decision_made(move, stage=stage, **made)
    route = review_route_for(move.case, decision.stage, decision.outcome, Policy.for_case(move.case))
    if route is not None:
        _send_to_review(move, decision, route)
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
    case = lock_case_for(_REVIEW_MOVES[route], decision_row["case_id"], actor=actor, expected_version=expected_version)
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
    case = lock_case_for("respond_to_panel", case_id, actor=actor, expected_version=expected_version)
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
