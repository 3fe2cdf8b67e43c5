"""The caseworker's and manager's pages of one case: the case page and every action on it (casework/urls.py)."""

from casework.views.case.actions import (
    disqualify,
    mark_duplicate,
    request_information,
    resume,
    suspend,
    transfer,
    withdraw,
    withdraw_information_request,
)
from casework.views.case.decisions import (
    cg_decision,
    decide_reconsideration,
    request_reconsideration,
    review_decision,
    rg_decision,
)
from casework.views.case.detail import add_note, assign, case_detail, referral_pdf, release
from casework.views.case.panel import respond_to_panel

__all__ = [
    "add_note",
    "assign",
    "case_detail",
    "cg_decision",
    "decide_reconsideration",
    "disqualify",
    "mark_duplicate",
    "referral_pdf",
    "release",
    "request_information",
    "request_reconsideration",
    "respond_to_panel",
    "resume",
    "review_decision",
    "rg_decision",
    "suspend",
    "transfer",
    "withdraw",
    "withdraw_information_request",
]
