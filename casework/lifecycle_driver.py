"""Drives a freshly opened case to any state of the lifecycle through the real services, as a caseworker and a
manager would: used by the demo seed and by the tests' factories, so that every case they make is one the
services could have made.

States after the recovery period need a case opened long enough ago: the driver dates the RG decision the day
after the case opened, so that the recovery period is already over (about 35 days for AWAITING_CG and the states
after it, about 125 for CLOSED, which also needs the minimum support period over).
"""

from contextlib import contextmanager, nullcontext
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from casework.factors import objective_factors_for
from casework.models import Case, Decision, Policy
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

S = Case.Status
REASONS = "The account is detailed and consistent, and the indicators recorded support it."


def _decide(case: Case, caseworker: User, *, stage: str, outcome: str, decision_date) -> Decision:
    service = case_make_rg_decision if stage == Decision.Stage.RG else case_make_cg_decision
    factors = [factor.code for factor in objective_factors_for(case.referral.answers or {})][:3]
    return service(
        case_id=case.pk,
        actor=caseworker,
        outcome=outcome,
        factors=factors,
        reasons=REASONS,
        decision_date=decision_date,
    )


@contextmanager
def _policy_while_deciding(nation: str, **values):
    """The review route a state needs, for one decision only: the nation's policy is put back afterwards, so
    that driving a case (the demo seed, the tests) never changes policy. The decision keeps its route."""
    policies = Policy.objects.filter(nation=nation)
    before = policies.values(*values).first()
    policies.update(**values)
    try:
        yield
    finally:
        if before is not None:
            policies.update(**before)


def _to_awaiting_cg(case: Case, caseworker: User, *, past_days: int = 0):
    """The RG dated the day after the case opened; `past_days` more than the recovery period must have passed."""
    policy = Policy.for_nation(case.nation)
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
    if status != S.AWAITING_RG:
        case_assign(case_id=case.pk, actor=manager, assignee=caseworker)
    if status in (S.RG_NEGATIVE_REVIEW, S.RG_NEGATIVE_SERVED):
        with _policy_while_deciding(case.nation, review_negative_rg=True):
            decision = _decide(case, caseworker, stage="rg", outcome="negative", decision_date=today)
        if status == S.RG_NEGATIVE_SERVED:
            decision_review_agree(decision_id=decision.pk, actor=manager)
    elif status == S.RECOVERY:
        _decide(case, caseworker, stage="rg", outcome="positive", decision_date=today)
    elif status in (S.AWAITING_CG, S.CONFIRMED_VICTIM, S.CG_NEGATIVE_REVIEW, S.CG_NEGATIVE_SERVED, S.DISQUALIFIED):
        _to_awaiting_cg(case, caseworker)
        if status == S.CONFIRMED_VICTIM:
            _decide(case, caseworker, stage="cg", outcome="positive", decision_date=today)
        elif status in (S.CG_NEGATIVE_REVIEW, S.CG_NEGATIVE_SERVED):
            # Served: through a second reviewer whatever the policy says. Under review: by the policy's route.
            route = Decision.ReviewRoute.SECOND_REVIEWER
            policy = _policy_while_deciding(case.nation, negative_cg_review_route=route)
            with policy if status == S.CG_NEGATIVE_SERVED else nullcontext():
                decision = _decide(case, caseworker, stage="cg", outcome="negative", decision_date=today)
            if status == S.CG_NEGATIVE_SERVED:
                decision_review_agree(decision_id=decision.pk, actor=manager)
        elif status == S.DISQUALIFIED:
            case_disqualify(case_id=case.pk, actor=manager, reasons="Convicted of a serious offence abroad.")
    elif status == S.SUSPENDED:
        case_suspend(case_id=case.pk, actor=caseworker, reason="The person has gone missing from their accommodation.")
    elif status == S.WITHDRAWN:
        case_withdraw(case_id=case.pk, actor=caseworker, reason="The person asked to leave the NRM.")
    elif status == S.MERGED:
        if other is None:
            raise ValueError("A merged case needs the case it duplicates")
        case_mark_duplicate(
            case_id=case.pk,
            actor=caseworker,
            surviving_reference=other.reference,
            reason="Same person, referred twice.",
        )
    elif status == S.CLOSED:
        # Support ran its minimum from an RG long ago: the CG is dated when the recovery period ended.
        minimum = Policy.for_nation(case.nation).minimum_support_days
        recovery_ended = _to_awaiting_cg(case, caseworker, past_days=minimum)
        _decide(case, caseworker, stage="cg", outcome="positive", decision_date=recovery_ended)
        case_close_after_support(case_id=case.pk)
    case.refresh_from_db()
    if case.status != status:
        raise ValueError(f"{case.reference} reached {case.status}, not {status}")
    return case
