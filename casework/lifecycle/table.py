"""The table: one row per move of the case lifecycle (see the package's docstring)."""

from __future__ import annotations

from casework.lifecycle.states import (
    ALL_STATUSES,
    DISQUALIFIABLE,
    FINISHED,
    OPEN,
    SERVED_NEGATIVE,
    STOPPABLE,
    SUPPORT_ENDABLE,
    SUPPORT_EXTENDABLE,
    SUPPORTING,
    SUSPENDABLE,
    UNDER_REVIEW,
    WORKABLE,
)
from casework.lifecycle.transition import Offered, Transition
from casework.lifecycle.who import (
    AUTHORITY_STAFF,
    CASE_WORKER,
    MANAGER,
    MANAGER_ASSIGNS,
    PANEL_CG_DECIDER,
    PANEL_CHAIR,
    PANEL_RG_DECIDER,
    RECONSIDERATION_REQUESTER,
    REFERRER,
    RELEASER,
    SECOND_REVIEWER,
    SUPPORT_PROVIDER,
    SYSTEM,
    TAKE,
    adult_only,
    an_open_request,
    assigned,
    cannot_assign,
    decided_by_a_panel,
    decided_by_the_authority,
    no_pending_reconsideration,
    not_already_theirs,
    not_reported_missing,
    not_waiting_for_review,
    panel_recommendation_waiting,
    pending_reconsideration,
    recovery_ended_now,
    recovery_over,
    review_route_is,
    rna_before_extension,
    served_negative_refusal,
    support_ended_now,
    support_not_started,
    support_running,
    unassigned,
)
from casework.models import Case, CaseEvent, ReviewRoute

Status = Case.Status
Kind = CaseEvent.Kind


def _t(name: str, **values) -> Transition:
    for key in ("sources", "targets"):
        values[key] = frozenset(values.get(key, ()))
    values["paths"] = tuple((source, frozenset(targets)) for source, targets in values.get("paths", {}).items())
    return Transition(name, **values)


_BY_STAGE_OF_REVIEW = {
    Status.RG_NEGATIVE_REVIEW: {Status.RG_NEGATIVE_SERVED, Status.AWAITING_RG},
    Status.CG_NEGATIVE_REVIEW: {Status.CG_NEGATIVE_SERVED, Status.AWAITING_CG},
}


TRANSITIONS: tuple[Transition, ...] = (
    # Opening (referrals.services.submission calls casework.services.opening in the submission's transaction).
    _t("open", sources=(), targets={Status.AWAITING_RG}, rule=SYSTEM, events=(Kind.OPENED,)),
    _t(
        "flag_possible_duplicates",
        sources=ALL_STATUSES,
        rule=SYSTEM,
        events=(Kind.POSSIBLE_DUPLICATE_FLAGGED,),
    ),
    # Who works the case.
    _t(
        "assign_self",
        action="assign",
        label="Assign to me",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES - FINISHED,
        rule=TAKE,
        guards=(not_already_theirs,),
        events=(Kind.ASSIGNED,),
        state_refusal=cannot_assign,
    ),
    _t(
        "assign_other",
        action="assign",
        label="Reassign",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES - FINISHED,
        rule=MANAGER_ASSIGNS,
        events=(Kind.ASSIGNED,),
        state_refusal=cannot_assign,
    ),
    _t(
        "claim_next",
        offered=Offered.OTHER_PAGE,
        sources=WORKABLE,
        rule=AUTHORITY_STAFF,
        guards=(unassigned,),
        events=(Kind.ASSIGNED,),
        verb="take the case",
    ),
    _t(
        "release",
        action="release",
        label="Release to the queue",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES,
        rule=RELEASER,
        guards=(assigned,),
        events=(Kind.RELEASED,),
    ),
    _t(
        "add_note",
        action="add_note",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES,
        rule=AUTHORITY_STAFF,
        events=(Kind.NOTE_ADDED,),
        locks=False,
        versioned=False,
    ),
    # Decisions.
    _t(
        "rg_decision",
        action="rg_decision",
        label="Make the reasonable grounds decision",
        offered=Offered.ACTIONS,
        sources={Status.AWAITING_RG},
        targets={Status.RECOVERY, Status.RG_NEGATIVE_REVIEW, Status.RG_NEGATIVE_SERVED},
        rule=CASE_WORKER,
        guards=(decided_by_the_authority("rg"),),
        events=(Kind.RG_DECIDED, Kind.DECISION_PROPOSED, Kind.DECISION_SERVED, Kind.SUPPORT_STARTED),
        verb="make a reasonable grounds decision",
    ),
    _t(
        "cg_decision",
        action="cg_decision",
        label="Make the conclusive grounds decision",
        offered=Offered.ACTIONS,
        sources={Status.RECOVERY, Status.AWAITING_CG},
        targets={Status.CONFIRMED_VICTIM, Status.CG_NEGATIVE_REVIEW, Status.CG_NEGATIVE_SERVED},
        rule=CASE_WORKER,
        guards=(decided_by_the_authority("cg"), recovery_over),
        events=(Kind.CG_DECIDED, Kind.DECISION_PROPOSED, Kind.DECISION_SERVED),
        verb="make a conclusive grounds decision",
    ),
    # A decision-making panel's decision, recorded by its chair (panels.services.panel_decision_make); served at once.
    _t(
        "panel_rg_decision",
        offered=Offered.OTHER_PAGE,
        sources={Status.AWAITING_RG},
        targets={Status.RECOVERY, Status.RG_NEGATIVE_SERVED},
        rule=PANEL_RG_DECIDER,
        guards=(decided_by_a_panel("rg"),),
        events=(Kind.RG_DECIDED, Kind.DECISION_SERVED, Kind.SUPPORT_STARTED),
        verb="record the panel's reasonable grounds decision",
    ),
    _t(
        "panel_cg_decision",
        offered=Offered.OTHER_PAGE,
        sources={Status.RECOVERY, Status.AWAITING_CG},
        targets={Status.CONFIRMED_VICTIM, Status.CG_NEGATIVE_SERVED},
        rule=PANEL_CG_DECIDER,
        guards=(decided_by_a_panel("cg"), recovery_over),
        events=(Kind.CG_DECIDED, Kind.DECISION_SERVED),
        verb="record the panel's conclusive grounds decision",
    ),
    _t(
        "review_decision",
        action="review_decision",
        label="Review the negative decision",
        offered=Offered.ACTIONS,
        sources=UNDER_REVIEW,
        targets={Status.RG_NEGATIVE_SERVED, Status.CG_NEGATIVE_SERVED, Status.AWAITING_RG, Status.AWAITING_CG},
        paths=_BY_STAGE_OF_REVIEW,
        rule=SECOND_REVIEWER,
        guards=(review_route_is(ReviewRoute.SECOND_REVIEWER),),
        events=(Kind.DECISION_AGREED, Kind.DECISION_SERVED, Kind.DECISION_RETURNED),
        verb="review this decision",
        state_refusal=not_waiting_for_review,
    ),
    _t(
        "panel_review",
        offered=Offered.OTHER_PAGE,
        sources=UNDER_REVIEW,
        targets={Status.RG_NEGATIVE_SERVED, Status.CG_NEGATIVE_SERVED, Status.AWAITING_RG, Status.AWAITING_CG},
        paths=_BY_STAGE_OF_REVIEW,
        rule=PANEL_CHAIR,
        guards=(review_route_is(ReviewRoute.PANEL),),
        events=(Kind.DECISION_AGREED, Kind.DECISION_SERVED, Kind.RECONSIDERATION_RECOMMENDED),
        verb="conclude the panel's review",
        state_refusal=not_waiting_for_review,
    ),
    # A panel advises: a manager answers its recommendation to reconsider (reconsider, or maintain and serve).
    _t(
        "respond_to_panel",
        action="respond_to_panel",
        label="Respond to the panel's recommendation",
        offered=Offered.ACTIONS,
        sources=UNDER_REVIEW,
        targets={Status.RG_NEGATIVE_SERVED, Status.CG_NEGATIVE_SERVED, Status.AWAITING_RG, Status.AWAITING_CG},
        paths=_BY_STAGE_OF_REVIEW,
        rule=MANAGER,
        guards=(panel_recommendation_waiting,),
        events=(Kind.PANEL_RECOMMENDATION_ANSWERED, Kind.DECISION_SERVED),
        verb="respond to the panel's recommendation",
    ),
    # Questions to the first responder.
    _t(
        "request_information",
        action="request_information",
        label="Request information from the first responder",
        offered=Offered.ACTIONS,
        sources=OPEN,
        rule=CASE_WORKER,
        events=(Kind.INFORMATION_REQUESTED,),
        verb="request information",
    ),
    _t(
        "answer_information_request",
        offered=Offered.OTHER_PAGE,
        sources=ALL_STATUSES,
        rule=REFERRER,
        events=(Kind.INFORMATION_ANSWERED,),
    ),
    _t(
        "withdraw_information_request",
        action="withdraw_information_request",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES,
        rule=CASE_WORKER,
        guards=(an_open_request,),
        events=(Kind.INFORMATION_CANCELLED,),
    ),
    # Reconsideration of a served negative decision.
    _t(
        "decide_reconsideration_accept",
        action="decide_reconsideration",
        label="Accept or decline the reconsideration request",
        offered=Offered.ACTIONS,
        sources=SERVED_NEGATIVE,
        targets={Status.AWAITING_RG, Status.AWAITING_CG},
        paths={Status.RG_NEGATIVE_SERVED: {Status.AWAITING_RG}, Status.CG_NEGATIVE_SERVED: {Status.AWAITING_CG}},
        rule=MANAGER,
        guards=(pending_reconsideration,),
        events=(Kind.RECONSIDERATION_ACCEPTED,),
        verb="decide the reconsideration",
    ),
    _t(
        "decide_reconsideration_decline",
        action="decide_reconsideration",
        label="Accept or decline the reconsideration request",
        offered=Offered.ACTIONS,
        sources=SERVED_NEGATIVE,
        rule=MANAGER,
        guards=(pending_reconsideration,),
        events=(Kind.RECONSIDERATION_DECLINED,),
        verb="decide the reconsideration",
    ),
    _t(
        "request_reconsideration",
        action="request_reconsideration",
        label="Request reconsideration on the person's behalf",
        offered=Offered.ACTIONS,
        sources=SERVED_NEGATIVE,
        rule=RECONSIDERATION_REQUESTER,
        guards=(no_pending_reconsideration,),
        events=(Kind.RECONSIDERATION_REQUESTED,),
        state_refusal=served_negative_refusal,
    ),
    # Stopping, pausing and moving a case.
    _t(
        "suspend",
        action="suspend",
        label="Suspend the case (person missing)",
        offered=Offered.ACTIONS,
        sources=SUSPENDABLE,
        targets={Status.SUSPENDED},
        rule=CASE_WORKER,
        events=(Kind.SUSPENDED,),
        verb="suspend the case",
    ),
    _t(
        "resume",
        action="resume",
        label="Resume the case",
        offered=Offered.ACTIONS,
        sources={Status.SUSPENDED},
        targets=SUSPENDABLE,  # the status it had before
        rule=AUTHORITY_STAFF,
        events=(Kind.RESUMED,),
        verb="resume the case",
    ),
    _t(
        "withdraw",
        action="withdraw",
        label="Withdraw the case",
        offered=Offered.ACTIONS,
        sources=STOPPABLE | {Status.CONFIRMED_VICTIM},
        targets={Status.WITHDRAWN},
        rule=CASE_WORKER,
        guards=(adult_only,),
        events=(Kind.WITHDRAWN,),
        verb="withdraw the case",
    ),
    _t(
        "transfer",
        action="transfer",
        label="Transfer to the other competent authority",
        offered=Offered.ACTIONS,
        sources=STOPPABLE,
        rule=CASE_WORKER,
        events=(Kind.TRANSFERRED,),
        verb="transfer the case",
    ),
    _t(
        "mark_duplicate",
        action="mark_duplicate",
        label="Mark as a duplicate",
        offered=Offered.ACTIONS,
        sources=STOPPABLE,
        targets={Status.MERGED},
        rule=AUTHORITY_STAFF,
        events=(Kind.MERGED,),
        verb="mark the case as a duplicate",
    ),
    _t(
        "disqualify",
        action="disqualify",
        label="Disqualify on public order grounds",
        offered=Offered.ACTIONS,
        sources=DISQUALIFIABLE,
        targets={Status.DISQUALIFIED},
        rule=MANAGER,
        events=(Kind.DISQUALIFIED,),
        verb="disqualify on public order grounds",
    ),
    # The support provider's own records (casework.services.support), on its supported person's page. None
    # moves the case: the authority decides whether to suspend a case whose person is reported missing.
    _t(
        "record_support_start",
        action="supported_start",
        label="Record that support started",
        offered=Offered.OTHER_PAGE,
        sources=SUPPORTING,
        rule=SUPPORT_PROVIDER,
        guards=(support_not_started,),
        events=(Kind.SUPPORT_BEGAN,),
        verb="record that support started",
    ),
    _t(
        "record_rna",
        action="supported_rna",
        label="Record the Recovery Needs Assessment",
        offered=Offered.OTHER_PAGE,
        sources=SUPPORTING,
        rule=SUPPORT_PROVIDER,
        guards=(support_running,),
        events=(Kind.RNA_RECORDED,),
        verb="record a Recovery Needs Assessment",
    ),
    _t(
        "extend_support",
        action="supported_extend",
        label="Extend support",
        offered=Offered.OTHER_PAGE,
        sources=SUPPORT_EXTENDABLE,
        rule=SUPPORT_PROVIDER,
        guards=(support_running, rna_before_extension),
        events=(Kind.SUPPORT_EXTENDED,),
        verb="extend support",
    ),
    _t(
        "report_missing",
        action="supported_missing",
        label="Report that the person is missing",
        offered=Offered.OTHER_PAGE,
        sources=SUPPORTING - {Status.SUSPENDED},
        rule=SUPPORT_PROVIDER,
        guards=(support_running, not_reported_missing),
        events=(Kind.PERSON_MISSING,),
        verb="report the person missing",
    ),
    _t(
        "record_support_end",
        action="supported_end",
        label="Record that support ended",
        offered=Offered.OTHER_PAGE,
        sources=SUPPORT_ENDABLE,
        rule=SUPPORT_PROVIDER,
        guards=(support_running,),
        events=(Kind.SUPPORT_ENDED,),
        verb="record that support ended",
    ),
    # The service's own jobs (nrm/celery.py), and the retention policy's.
    _t(
        "end_recovery",
        sources={Status.RECOVERY},
        targets={Status.AWAITING_CG},
        rule=SYSTEM,
        guards=(recovery_ended_now,),
        events=(Kind.RECOVERY_ENDED,),
        verb="end the recovery period",
    ),
    _t(
        "warn_support_ending",
        sources={Status.CONFIRMED_VICTIM},
        rule=SYSTEM,
        events=(Kind.SUPPORT_ENDING_WARNED,),
        verb="warn that support is ending",
        versioned=False,
    ),
    _t(
        "close_after_support",
        sources={Status.CONFIRMED_VICTIM},
        targets={Status.CLOSED},
        rule=SYSTEM,
        guards=(support_ended_now,),
        events=(Kind.CLOSED,),
        verb="close the case",
    ),
    _t(
        "anonymise",
        sources=FINISHED | SERVED_NEGATIVE | {Status.CLOSED},
        rule=SYSTEM,
        events=(Kind.ANONYMISED,),
        verb="anonymise the case",
        versioned=False,
    ),
)

BY_NAME: dict[str, Transition] = {transition.name: transition for transition in TRANSITIONS}


def transition(name: str) -> Transition:
    return BY_NAME[name]


def transitions_named(name: str) -> list[Transition]:
    """The move of that name, or the moves a page offers under that action (a casework URL name)."""
    if name in BY_NAME:
        return [BY_NAME[name]]
    found = [t for t in TRANSITIONS if t.action == name]
    if not found:
        raise KeyError(f"No move of casework/lifecycle/table.py is named or offered as {name!r}")
    return found


def statuses_entered() -> frozenset[str]:
    return frozenset(status for t in TRANSITIONS for status in t.targets)
