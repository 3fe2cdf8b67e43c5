"""Every read the panel people's pages need, already scoped to the user through `panels.scope`: a panel case,
meeting or file outside the user's panels is a 404, never a 403.

The review list reads its rows with everything its columns show joined or annotated (the same queries whatever
the number of rows); the review page reads each kind of row once. A panel sees only what review needs: the
referral by section, its evidence, the information requests and their answers, the case timeline without the
authority's internal working (notes, who was assigned), and the decision under review with the decision maker's
role, never their name."""

from panels.selectors.common import role_label
from panels.selectors.meetings import (
    active_members_of,
    agenda_choices_for,
    chaired_panels,
    meeting_of,
    meeting_page_for,
    meetings_of,
    open_panel_cases_of,
    safeguarding_leads_for,
)
from panels.selectors.review_page import (
    ProposedDecision,
    ReviewPage,
    ViewRow,
    case_file_of,
    evidence_file_of,
    panel_case_of,
    proposed_decision,
    review_page_for,
    seat_of,
)
from panels.selectors.reviews import (
    TABS,
    ReviewList,
    ReviewRow,
    Tab,
    open_panel_case_for,
    review_list_for,
    review_row,
    review_rows_for,
    status_of,
    tab_named,
    waiting_for_panel_user,
    work_label,
)

__all__ = [
    "TABS",
    "ProposedDecision",
    "ReviewList",
    "ReviewPage",
    "ReviewRow",
    "Tab",
    "ViewRow",
    "active_members_of",
    "agenda_choices_for",
    "case_file_of",
    "chaired_panels",
    "evidence_file_of",
    "meeting_of",
    "meeting_page_for",
    "meetings_of",
    "open_panel_case_for",
    "open_panel_cases_of",
    "panel_case_of",
    "proposed_decision",
    "review_list_for",
    "review_page_for",
    "review_row",
    "review_rows_for",
    "role_label",
    "safeguarding_leads_for",
    "seat_of",
    "status_of",
    "tab_named",
    "waiting_for_panel_user",
    "work_label",
]
