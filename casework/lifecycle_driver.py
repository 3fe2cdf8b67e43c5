"""Drives a freshly opened case to any state of the lifecycle through the real services, as a caseworker and a
manager would, so that every case the demo and the tests make is one the services could have made.

It lives in casework, not in tests/, because `manage.py seed_demo` (casework.demo) runs it against the demo
service's database; tests/casework/factories.py (`case_in_state`) uses it too. It never writes a `Policy` row:
where a state needs a review route its nation's policy may not have (a negative decision reviewed by a second
reviewer, say), it sets that case's `policy_overrides` for the one decision that needs it, in a save that the
case's history records, and puts the case's overrides back afterwards (the decision keeps its route).

States after the recovery period need a case opened long enough ago: the driver dates the RG decision the day
after the case opened, so that the recovery period is already over (about 35 days for AWAITING_CG and the states
after it, about 125 for CLOSED, which also needs the minimum support period over).
"""

from contextlib import contextmanager, nullcontext
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from casework.factors import objective_factors_for
from casework.models import Case, Decision, Policy, ReviewRoute
from casework.services import (
    case_assign,
    case_disqualify,
    case_make_cg_decision,
    case_make_rg_decision,
    case_mark_duplicate,
    case_suspend,
    case_withdraw,
    decision_review_agree,
)
from casework.services.lifecycle import case_close_after_support, case_end_recovery

REASONS = "The account is detailed and consistent, and the indicators recorded support it."
# The states whose negative decision is served only after a second reviewer agrees, whatever the nation's policy.
REVIEWED_BY_A_SECOND_REVIEWER = {"negative_cg_review_route": ReviewRoute.SECOND_REVIEWER.value}


def negative_reason_for(case: Case) -> str:
    """The main reason the driver gives a negative decision: each of the published reasons in turn, by case, so
    that the demo's statistics of negative decisions have more than one."""
    reasons = Decision.NegativeReason.values
    return reasons[case.pk % len(reasons)]


def _decide(case: Case, caseworker: User, *, stage: str, outcome: str, decision_date) -> Decision:
    service = case_make_rg_decision if stage == Decision.Stage.RG else case_make_cg_decision
    factors = [factor.code for factor in objective_factors_for(case.referral.answers or {})][:3]
    negative = outcome == Decision.Outcome.NEGATIVE
    return service(
        case_id=case.pk,
        actor=caseworker,
        outcome=outcome,
        factors=factors,
        reasons=REASONS,
        negative_reason=negative_reason_for(case) if negative else "",
        decision_date=decision_date,
    )


def _save_overrides(case: Case, overrides: dict, *, actor: User, reason: str) -> None:
    """A save of the case's overrides alone, which its history records (by `actor`, with `reason`)."""
    case.refresh_from_db()
    Policy.check_overrides(overrides, nation=case.nation)
    case.policy_overrides = overrides
    case._history_user = actor
    case._change_reason = reason
    case.save(update_fields=["policy_overrides"])


@contextmanager
def case_policy_overridden(case: Case, *, actor: User, **values):
    """The policy values a state needs, for this case and for what is done inside the block only: the case's
    own overrides are put back afterwards, and the nation's policy is never touched."""
    case.refresh_from_db(fields=["policy_overrides"])
    before = dict(case.policy_overrides)
    reason = f"Policy overridden for this case: {', '.join(sorted(values))}"
    _save_overrides(case, before | values, actor=actor, reason=reason)
    try:
        yield
    finally:
        _save_overrides(case, before, actor=actor, reason="Policy overrides of this case put back")


def _to_awaiting_cg(case: Case, caseworker: User, *, past_days: int = 0):
    """The RG dated the day after the case opened; `past_days` more than the recovery period must have passed."""
    policy = Policy.for_case(case)
    opened = timezone.localtime(case.opened_at).date()
    rg_date = min(timezone.localdate(), opened + timedelta(days=1))
    needed = policy.recovery_days + 1 + past_days
    if (timezone.localdate() - rg_date).days < needed:
        raise ValueError(f"Open the case at least {needed + 1} days ago for this state")
    _decide(case, caseworker, stage=Decision.Stage.RG, outcome=Decision.Outcome.POSITIVE, decision_date=rg_date)
    case_end_recovery(case_id=case.pk)
    return rg_date + timedelta(days=policy.recovery_days)


def drive_case_to(case: Case, status: str, *, caseworker: User, manager: User, other: Case | None = None) -> Case:
    """Moves an AWAITING_RG case to `status`. `other` is the surviving case for MERGED."""
    today = timezone.localdate()
    if status != Case.Status.AWAITING_RG:
        case_assign(case_id=case.pk, actor=manager, assignee=caseworker)
    if status in (Case.Status.RG_NEGATIVE_REVIEW, Case.Status.RG_NEGATIVE_SERVED):
        with case_policy_overridden(case, actor=manager, review_negative_rg=True):
            decision = _decide(case, caseworker, stage="rg", outcome="negative", decision_date=today)
        if status == Case.Status.RG_NEGATIVE_SERVED:
            decision_review_agree(decision_id=decision.pk, actor=manager)
    elif status == Case.Status.RECOVERY:
        _decide(case, caseworker, stage="rg", outcome="positive", decision_date=today)
    elif status in (
        Case.Status.AWAITING_CG,
        Case.Status.CONFIRMED_VICTIM,
        Case.Status.CG_NEGATIVE_REVIEW,
        Case.Status.CG_NEGATIVE_SERVED,
        Case.Status.DISQUALIFIED,
    ):
        _to_awaiting_cg(case, caseworker)
        if status == Case.Status.CONFIRMED_VICTIM:
            _decide(case, caseworker, stage="cg", outcome="positive", decision_date=today)
        elif status in (Case.Status.CG_NEGATIVE_REVIEW, Case.Status.CG_NEGATIVE_SERVED):
            # Served: through a second reviewer whatever the policy says. Under review: by the policy's route.
            served = status == Case.Status.CG_NEGATIVE_SERVED
            overridden = case_policy_overridden(case, actor=manager, **REVIEWED_BY_A_SECOND_REVIEWER)
            with overridden if served else nullcontext():
                decision = _decide(case, caseworker, stage="cg", outcome="negative", decision_date=today)
            if served:
                decision_review_agree(decision_id=decision.pk, actor=manager)
        elif status == Case.Status.DISQUALIFIED:
            case_disqualify(case_id=case.pk, actor=manager, reasons="Convicted of a serious offence abroad.")
    elif status == Case.Status.SUSPENDED:
        case_suspend(case_id=case.pk, actor=caseworker, reason="The person has gone missing from their accommodation.")
    elif status == Case.Status.WITHDRAWN:
        case_withdraw(case_id=case.pk, actor=caseworker, reason="The person asked to leave the NRM.")
    elif status == Case.Status.MERGED:
        if other is None:
            raise ValueError("A merged case needs the case it duplicates")
        case_mark_duplicate(
            case_id=case.pk,
            actor=caseworker,
            surviving_reference=other.reference,
            reason="Same person, referred twice.",
        )
    elif status == Case.Status.CLOSED:
        # Support ran its minimum from an RG long ago: the CG is dated when the recovery period ended.
        minimum = Policy.for_case(case).minimum_support_days
        recovery_ended = _to_awaiting_cg(case, caseworker, past_days=minimum)
        _decide(case, caseworker, stage="cg", outcome="positive", decision_date=recovery_ended)
        case_close_after_support(case_id=case.pk)
    case.refresh_from_db()
    if case.status != status:
        raise ValueError(f"{case.reference} reached {case.status}, not {status}")
    return case
