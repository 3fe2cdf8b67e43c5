"""Meetings: the list, scheduling one, its page, its agenda and who attended."""

from collections.abc import Callable

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from panels import selectors
from panels.forms import AgendaForm, AttendanceForm, MeetingForm
from panels.scope import is_chair_of, memberships_of
from panels.services import (
    panel_meeting_record_attendance,
    panel_meeting_schedule,
    panel_meeting_set_agenda,
)
from panels.views.common import form_page, panel_people, posted


@require_GET
@panel_people
def meetings(request):
    upcoming, past = selectors.meetings_of(user=request.user)
    context = {
        "upcoming": upcoming,
        "past": past,
        "chaired": selectors.chaired_panels(user=request.user),
    }
    return render(request, "panels/meetings.html", context)


@require_http_methods(["GET", "POST"])
@panel_people
def meeting_new(request):
    """The chair schedules a meeting of one of their panels (?panel= when they sit on several). A member who is
    not the panel's chair is told so (the service refuses their post); a panel they do not sit on is a 404."""
    seats = list(memberships_of(request.user))
    chosen = request.GET.get("panel") or request.POST.get("panel")
    seat = next((s for s in seats if str(s.panel_id) == chosen), None) if chosen else None
    if chosen and seat is None:
        raise Http404
    if seat is None:
        chaired = [s for s in seats if s.is_chair]
        if len(chaired) != 1:
            context = {"chaired": [s.panel for s in chaired], "title": "Schedule a meeting"}
            return render(request, "panels/meeting_choose_panel.html", context)
        seat = chaired[0]
    panel = seat.panel
    form = MeetingForm(
        posted(request),
        agenda=selectors.open_panel_cases_of(panel),
        leads=selectors.safeguarding_leads_for(panel),
        initial={"panel_cases": request.GET.getlist("case")},
    )
    context = {"panel": panel, "is_chair": seat.is_chair, "title": f"Schedule a meeting of {panel.name}"}

    def perform(data, version):
        return panel_meeting_schedule(
            panel_id=panel.pk,
            actor=request.user,
            starts_at=form.starts_at(),
            format=data["format"],
            where=data["where"],
            panel_case_ids=[panel_case.pk for panel_case in data["panel_cases"]],
            lead_ids=[lead.pk for lead in data.get("leads", [])],
        )

    return form_page(
        request, form, template="panels/meeting_form.html", context=context, version=0, perform=perform,
        success="The meeting is scheduled: the panel's members are told",
        done_url=lambda meeting: reverse("panels:meeting", args=[meeting.pk]),
    )  # fmt: skip


@require_GET
@panel_people
def meeting(request, pk: int):
    meeting = selectors.meeting_of(user=request.user, pk=pk)
    context = {"meeting": meeting, **selectors.meeting_page_for(user=request.user, meeting=meeting)}
    return render(request, "panels/meeting.html", context)


def _meeting_version(meeting) -> Callable[[], int]:
    def version() -> int:
        meeting.refresh_from_db(fields=["version"])
        return meeting.version

    return version


@require_http_methods(["GET", "POST"])
@panel_people
def meeting_agenda(request, pk: int):
    meeting = selectors.meeting_of(user=request.user, pk=pk)
    agenda = selectors.agenda_choices_for(meeting)
    form = AgendaForm(
        posted(request), agenda=agenda, initial={"panel_cases": [pc.pk for pc in agenda if pc.meeting_id == pk]}
    )
    context = {
        "meeting": meeting,
        "is_chair": is_chair_of(request.user, meeting.panel),
        "title": "Change the agenda",
        "submit": "Save the agenda",
        "refusal": "Only the panel's chair can change a meeting's agenda.",
    }

    def perform(data, version):
        return panel_meeting_set_agenda(
            meeting_id=meeting.pk,
            actor=request.user,
            panel_case_ids=[panel_case.pk for panel_case in data["panel_cases"]],
            expected_version=version,
        )

    return form_page(
        request, form, template="panels/meeting_action.html", context=context, version=meeting.version,
        perform=perform, success="The agenda is saved", done_url=reverse("panels:meeting", args=[meeting.pk]),
        refresh_version=_meeting_version(meeting),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@panel_people
def meeting_attendance(request, pk: int):
    meeting = selectors.meeting_of(user=request.user, pk=pk)
    members = selectors.active_members_of(meeting.panel)
    attended = list(meeting.attendees.values_list("pk", flat=True))
    form = AttendanceForm(posted(request), members=members, initial={"attendees": attended})
    context = {
        "meeting": meeting,
        "is_chair": is_chair_of(request.user, meeting.panel),
        "title": "Record who attended",
        "submit": "Save attendance",
        "refusal": "Only the panel's chair can record who attended a meeting.",
    }

    def perform(data, version):
        return panel_meeting_record_attendance(
            meeting_id=meeting.pk,
            actor=request.user,
            membership_ids=[membership.pk for membership in data["attendees"]],
            expected_version=version,
        )

    return form_page(
        request, form, template="panels/meeting_action.html", context=context, version=meeting.version,
        perform=perform, success="Attendance is recorded", done_url=reverse("panels:meeting", args=[meeting.pk]),
        refresh_version=_meeting_version(meeting),
    )  # fmt: skip
