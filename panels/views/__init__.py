"""The panel people's pages: their reviews in tabs, the review page, a member's view and conflict of interest,
the chair's conclusion or decision, meetings, and the downloads of the case's files.

Every read goes through `panels.selectors` (scoped through `panels.scope`: anything outside the user's panels is
a 404); every write is one service of `panels.services`, whose refusal is shown in the GOV.UK error summary with
what was typed kept (409 when someone changed the row meanwhile)."""

from panels.views.meetings import meeting, meeting_agenda, meeting_attendance, meeting_new, meetings
from panels.views.reviews import case, case_file, evidence, open_reference, reviews
from panels.views.work import conclude, decide, declare_conflict, record_view

__all__ = [
    "case",
    "case_file",
    "conclude",
    "decide",
    "declare_conflict",
    "evidence",
    "meeting",
    "meeting_agenda",
    "meeting_attendance",
    "meeting_new",
    "meetings",
    "open_reference",
    "record_view",
    "reviews",
]
