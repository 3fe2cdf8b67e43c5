"""Every write to casework: one service per arrow of the case lifecycle (design.md, "Case lifecycle")."""

from casework.errors import CaseOpenRefused, CaseworkError, IllegalTransition, InvalidInput, NotPermitted, StaleCase
from casework.services.assignment import case_assign, case_claim_next, case_release, cases_assign
from casework.services.base import access_log_record, access_log_record_many
from casework.services.decisions import (
    case_make_cg_decision,
    case_make_panel_decision,
    case_make_rg_decision,
    decision_panel_respond,
    decision_review_agree,
    decision_review_conclude,
    decision_review_return,
)
from casework.services.information import (
    default_due_date,
    information_request_answer,
    information_request_create,
    information_request_withdraw,
    information_requests_remind,
)
from casework.services.lifecycle import (
    case_add_note,
    case_disqualify,
    case_mark_duplicate,
    case_resume,
    case_suspend,
    case_transfer,
    case_withdraw,
    cases_track_deadlines,
)
from casework.services.opening import (
    case_flag_possible_duplicates,
    case_open_for_referral,
    case_possible_duplicate_found,
    single_competent_authority,
)
from casework.services.reconsideration import (
    reconsideration_accept,
    reconsideration_decline,
    reconsideration_request,
)
from casework.services.support import (
    case_support_end,
    case_support_extend,
    case_support_person_missing,
    case_support_rna_record,
    case_support_start,
)

__all__ = [
    "CaseOpenRefused",
    "CaseworkError",
    "IllegalTransition",
    "InvalidInput",
    "NotPermitted",
    "StaleCase",
    "access_log_record",
    "access_log_record_many",
    "case_add_note",
    "case_assign",
    "case_claim_next",
    "case_disqualify",
    "case_flag_possible_duplicates",
    "case_make_cg_decision",
    "case_make_panel_decision",
    "case_make_rg_decision",
    "case_mark_duplicate",
    "case_open_for_referral",
    "case_possible_duplicate_found",
    "case_release",
    "case_resume",
    "case_support_end",
    "case_support_extend",
    "case_support_person_missing",
    "case_support_rna_record",
    "case_support_start",
    "case_suspend",
    "case_transfer",
    "case_withdraw",
    "cases_assign",
    "cases_track_deadlines",
    "decision_panel_respond",
    "decision_review_agree",
    "decision_review_conclude",
    "decision_review_return",
    "default_due_date",
    "information_request_answer",
    "information_request_create",
    "information_request_withdraw",
    "information_requests_remind",
    "reconsideration_accept",
    "reconsideration_decline",
    "reconsideration_request",
    "single_competent_authority",
]
