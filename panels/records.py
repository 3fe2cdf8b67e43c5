"""The panel record: one PDF per case sent to a panel, saying which panel looked at it, at which meeting, who took
part (and from which agency), each member's view, the outcome and its reasons, and the authority's response to a
recommendation to reconsider (issue 10, section 4).

Who may download it: whoever may open the case's review page (`panels.scope.panel_case_for`), and the managers of
the case's authority. Nothing is written to disk: the record is made again on each request, from the rows as
they are. Panel members are named (they act as officials); the decision maker is not, only their role, as on
the review page. The person the case is about is known by the case's reference alone.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.roles import Role
from casework.rules import is_authority_member
from common.pdf import render_pdf
from panels.models import ConflictOfInterest, Membership, PanelCase, View
from panels.scope import panel_case_for, panel_cases_of_authority


def panel_record_case_for(*, user: User, pk: int) -> PanelCase:
    """The panel case `user` may have the record of, with everything the record shows; 404 outside their scope."""
    if user.role == Role.MANAGER and is_authority_member(user):
        if not panel_cases_of_authority(user).filter(pk=pk).exists():
            raise Http404("No such panel case")
    else:
        panel_case_for(user, pk)  # the review page's scope, 404 outside it
    seats = Membership.objects.select_related("user").order_by("role", "pk")
    return (
        PanelCase.objects.select_related(
            "panel",
            "case__authority",
            "decision__decided_by",
            "decision__authority_responded_by",
            "meeting",
            "concluded_by",
        )
        .prefetch_related(
            Prefetch("participants", queryset=seats),
            Prefetch("meeting__attendees", queryset=seats),
            Prefetch("views", queryset=View.objects.select_related("membership__user").order_by("recorded_at", "pk")),
            Prefetch("conflicts", queryset=ConflictOfInterest.objects.select_related("membership__user")),
        )
        .get(pk=pk)
    )


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j F Y')}, {date_format(local, 'g:i')}{date_format(local, 'a').replace('.', '')}"


def decision_maker_role(panel_case: PanelCase) -> str:
    """Who made the decision, by role, never by name: the panel for a decision it made, else the maker's role at
    the authority."""
    decision = panel_case.decision
    if decision is None:
        return ""
    if decision.decision_maker_name:
        return decision.decision_maker_name
    role = decision.decided_by.get_role_display() if decision.decided_by_id else "Decision maker"
    return f"{role}, {panel_case.case.authority}"


def panel_record_filename(panel_case: PanelCase) -> str:
    return f"{panel_case.case.reference}-panel-record-{panel_case.pk}.pdf"


def panel_record_context(panel_case: PanelCase) -> dict:
    case, decision = panel_case.case, panel_case.decision
    printed = _when(timezone.now())
    return {
        "panel_case": panel_case,
        "panel": panel_case.panel,
        "case": case,
        "decision": decision,
        "decision_maker": decision_maker_role(panel_case),
        "meeting": panel_case.meeting,
        "meeting_starts": _when(panel_case.meeting.starts_at) if panel_case.meeting else "",
        "attendees": list(panel_case.meeting.attendees.all()) if panel_case.meeting else [],
        "participants": list(panel_case.participants.all()),
        "views": [(view, _when(view.recorded_at)) for view in panel_case.views.all()],
        "conflicts": list(panel_case.conflicts.all()),
        "routed": _when(panel_case.routed_at),
        "concluded": _when(panel_case.concluded_at) if panel_case.concluded_at else "",
        "responded": _when(decision.authority_responded_at) if decision and decision.authority_responded_at else "",
        "printed": printed,
        "running_header": f"{panel_case.panel} – panel record",  # noqa: RUF001 - GOV.UK uses the en dash
        "running_header_right": f"{case.reference} · {printed}",
    }


def panel_record_pdf(panel_case: PanelCase) -> bytes:
    return render_pdf(template_name="panels/pdf/record.html", context=panel_record_context(panel_case))
