"""The rules and guards the table's rows name: who may make each move (from casework.rules) and what the
case must be beyond its status, each with the words of its refusal."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from casework import rules
from casework.deadlines import recovery_running
from casework.lifecycle.states import where_the_case_is
from casework.lifecycle.transition import CaseFacts, Guard, Rule, not_yet
from casework.models import Case, ReviewRoute

Status = Case.Status


def _owner_refusal(user: User, case: Case, facts: CaseFacts) -> str:
    if not rules.is_authority_staff(user, case):
        return f"Only staff of the authority deciding {case.reference} can do this"
    if case.assignee_id is None:
        return f"Assign {case.reference} to yourself before you work on it"
    return f"{case.reference} is assigned to someone else: ask a manager to reassign it"


def _second_reviewer(user: User, case: Case, facts: CaseFacts) -> bool:
    decision = facts.decision_under_review
    return decision is not None and rules.is_second_reviewer(user, case, decision)


def _second_reviewer_refusal(user: User, case: Case, facts: CaseFacts) -> str:
    if not rules.is_manager(user, case):
        return f"Only a manager of the authority deciding {case.reference} can review this decision"
    return "A second reviewer must be someone other than the decision maker"


def _take_refusal(user: User, case: Case, facts: CaseFacts) -> str:
    if not rules.is_authority_staff(user, case):
        return f"Only staff of the authority deciding {case.reference} can do this"
    return f"{case.reference} is assigned to someone else: ask a manager to reassign it"


def _staff_refusal(user, case, facts) -> str:
    return f"Only staff of the authority deciding {case.reference} can do this"


def _manager_refusal(user, case, facts) -> str:
    return f"Only a manager of the authority deciding {case.reference} can do this"


AUTHORITY_STAFF = Rule("authority staff", lambda u, c, f: rules.is_authority_staff(u, c), _staff_refusal)
MANAGER = Rule("a manager", lambda u, c, f: rules.is_manager(u, c), _manager_refusal)
CASE_WORKER = Rule("the case's worker or a manager", lambda u, c, f: rules.works_the_case(u, c), _owner_refusal)
TAKE = Rule("staff, when unassigned; a manager", lambda u, c, f: rules.may_take_or_assign(u, c), _take_refusal)
MANAGER_ASSIGNS = Rule(
    "a manager",
    lambda u, c, f: rules.is_manager(u, c),
    lambda u, c, f: (
        "Only a manager can assign a case to someone else"
        if rules.is_authority_staff(u, c)
        else _staff_refusal(u, c, f)
    ),
)
RELEASER = Rule(
    "the case's worker or a manager",
    lambda u, c, f: rules.may_release(u, c),
    lambda u, c, f: (
        f"Only the caseworker of {c.reference} or a manager can release it"
        if rules.is_authority_staff(u, c)
        else _staff_refusal(u, c, f)
    ),
)
SECOND_REVIEWER = Rule("a manager other than the decision maker", _second_reviewer, _second_reviewer_refusal)
PANEL_CHAIR = Rule(
    "the chair of the panel reviewing the decision",
    lambda u, c, f: rules.chairs_the_review(u, f.decision_under_review),
    lambda u, c, f: f"Only the chair of the panel reviewing this decision can conclude its review of {c.reference}",
)


def _panel_decider(stage: str) -> Rule:
    return Rule(
        "the chair of the panel that decides the case",
        lambda u, c, f: rules.chairs_the_deciding_panel(u, c, stage),
        lambda u, c, f: f"Only the chair of the panel that decides {c.reference} can record its decision",
    )


PANEL_RG_DECIDER = _panel_decider("rg")
PANEL_CG_DECIDER = _panel_decider("cg")
RECONSIDERATION_REQUESTER = Rule(
    "the referrer, the support provider or authority staff",
    lambda u, c, f: rules.can_request_reconsideration(u, c),
    lambda u, c, f: f"You cannot ask for reconsideration of {c.reference}",
)
REFERRER = Rule(
    "the referring organisation",
    lambda u, c, f: rules.can_answer_information_request(u, c),
    lambda u, c, f: "Only the organisation that made the referral can answer this request",
)
SUPPORT_PROVIDER = Rule(
    "the support provider the person was referred to",
    lambda u, c, f: rules.supports_the_case(u, c),
    lambda u, c, f: f"Only the support provider supporting {c.reference} can record its support",
)
SYSTEM = Rule(
    "the service's own jobs",
    lambda u, c, f: False,
    lambda u, c, f: "Only the service itself does this",
    by_the_service=True,
)


def adult_only(user, case: Case, facts) -> str:
    if case.is_child:
        return f"{case.reference} is a child's case: only an adult can withdraw from the NRM"
    return ""


@not_yet
def recovery_over(user, case: Case, facts) -> str:
    if recovery_running(case):
        ends = date_format(timezone.localtime(case.recovery_ends_at).date(), "j F Y")
        return (
            f"You cannot make a conclusive grounds decision on {case.reference} until the recovery period ends "
            f"on {ends}"
        )
    return ""


def not_already_theirs(user, case: Case, facts) -> str:
    if user is not None and case.assignee_id == user.pk:
        return f"{case.reference} is already assigned to you"
    return ""


def assigned(user, case: Case, facts) -> str:
    return "" if case.assignee_id is not None else f"{case.reference} is not assigned to anyone"


def unassigned(user, case: Case, facts) -> str:
    return "" if case.assignee_id is None else f"{case.reference} is already assigned"


def review_route_is(route: str) -> Guard:
    def guard(user, case: Case, facts: CaseFacts) -> str:
        decision = facts.decision_under_review
        if decision is None:
            return not_waiting_for_review(case)
        if decision.review_route != route:
            if route == ReviewRoute.SECOND_REVIEWER:
                return f"An independent panel reviews this decision on {case.reference}"
            return f"A second reviewer in the authority reviews this decision on {case.reference}"
        return ""

    return guard


def decided_by_the_authority(stage: str) -> Guard:
    """The authority makes this decision: no decision-making panel makes it for this case."""

    def guard(user, case: Case, facts: CaseFacts) -> str:
        panel = facts.deciding_panel(stage)
        return f"The {panel} makes this decision on {case.reference}" if panel else ""

    return guard


def decided_by_a_panel(stage: str) -> Guard:
    def guard(user, case: Case, facts: CaseFacts) -> str:
        return "" if facts.deciding_panel(stage) else f"No decision-making panel decides {case.reference}"

    return guard


def panel_recommendation_waiting(user, case: Case, facts: CaseFacts) -> str:
    if facts.decision_awaiting_response is None:
        return f"No panel recommendation on {case.reference} is waiting for the authority's response"
    return ""


def no_pending_reconsideration(user, case: Case, facts: CaseFacts) -> str:
    if facts.pending_reconsideration is not None:
        return f"A reconsideration of this decision on {case.reference} is already waiting"
    return ""


def pending_reconsideration(user, case: Case, facts: CaseFacts) -> str:
    if facts.pending_reconsideration is None:
        return f"No reconsideration of {case.reference} is waiting for a decision"
    return ""


def an_open_request(user, case: Case, facts: CaseFacts) -> str:
    if facts.information_requests is None or any(item.is_open for item in facts.information_requests):
        return ""
    return f"No request on {case.reference} is waiting for an answer"


def recovery_ended_now(user, case: Case, facts) -> str:
    if not case.recovery_ends_at or case.recovery_ends_at > timezone.now():
        return "The recovery period has not ended"
    return ""


def support_ended_now(user, case: Case, facts) -> str:
    if not case.support_ends_at or case.support_ends_at > timezone.now():
        return "Support has not ended"
    return ""


def served_negative_refusal(case: Case) -> str:
    return f"Reconsideration can only be asked for a served negative decision: {where_the_case_is(case)}"


def not_waiting_for_review(case: Case) -> str:
    if case.status == Status.SUSPENDED:  # its decision waits until the case resumes
        return f"You cannot review this decision because {case.reference} is suspended"
    return f"This decision on {case.reference} is not waiting for a review"


def cannot_assign(case: Case) -> str:
    return f"{where_the_case_is(case)}: it cannot be assigned"


def _support_record(case: Case):
    """The provider's record of the case, or None (one query unless the caller read it with the case)."""
    from casework.models import SupportRecord

    try:
        return case.support_record
    except SupportRecord.DoesNotExist:
        return None


def support_not_started(user, case: Case, facts) -> str:
    record = _support_record(case)
    if record is not None:
        started = date_format(record.started_on, "j F Y")
        return f"Support of {case.reference} was already recorded as started on {started}"
    return ""


def support_running(user, case: Case, facts) -> str:
    record = _support_record(case)
    if record is None:
        return f"Record that support of {case.reference} started first"
    if record.has_ended:
        return f"Support of {case.reference} ended on {date_format(record.ended_on, 'j F Y')}"
    return ""


def rna_before_extension(user, case: Case, facts) -> str:
    """By policy, support is extended only on a Recovery Needs Assessment."""
    from casework.models import Policy

    record = _support_record(case)
    if record is not None and record.rna_completed_on is None and Policy.for_case(case).support_extension_needs_rna:
        return f"Record the Recovery Needs Assessment of {case.reference} before extending support"
    return ""


def not_reported_missing(user, case: Case, facts) -> str:
    record = _support_record(case)
    if record is not None and record.last_seen_on is not None:
        seen = date_format(record.last_seen_on, "j F Y")
        return f"The person was already reported missing (last seen on {seen})"
    return ""
