"""Every read of casework a page needs, already scoped to the user (design.md, convention 6)."""

from casework.selectors.decisions import decision_open_to_reconsideration, reconsideration_is_late
from casework.selectors.referrer import (
    case_status_label_for_outsider,
    case_status_label_for_referral,
    information_requests_for_referrer,
    information_requests_referred_to,
    outcomes_for_outsider,
    reconsideration_pending,
    reconsiderations_for_outsider,
    referrer_case_view,
    referrer_question,
    served_decisions_for_referrer,
)
from casework.selectors.scope import case_files_for, case_list_for, cases_referred_by, cases_supported_by, letters_for

__all__ = [
    "case_files_for",
    "case_list_for",
    "case_status_label_for_outsider",
    "case_status_label_for_referral",
    "cases_referred_by",
    "cases_supported_by",
    "decision_open_to_reconsideration",
    "information_requests_for_referrer",
    "information_requests_referred_to",
    "letters_for",
    "outcomes_for_outsider",
    "reconsideration_is_late",
    "reconsideration_pending",
    "reconsiderations_for_outsider",
    "referrer_case_view",
    "referrer_question",
    "served_decisions_for_referrer",
]
