"""The panel people's pages: their reviews in tabs, the review page, a member's view and conflict of interest,
the chair's conclusion or decision, meetings, and the downloads of the case's files.

Every read goes through `panels.selectors` (scoped through `panels.scope`: anything outside the user's panels is
a 404); every write is one service of `panels.services`, whose refusal is shown in the GOV.UK error summary with
what was typed kept (409 when someone changed the row meanwhile)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from casework.errors import CaseworkError, StaleCase
from casework.models import AccessLogEntry
from casework.services import access_log_record
from common.downloads import not_downloadable, upload_download
from common.numbers import posted_version
from panels import selectors
from panels.forms import AgendaForm, AttendanceForm, ConcludeForm, ConflictForm, DecideForm, MeetingForm, ViewForm
from panels.models import PanelCase
from panels.services import (
    panel_conflict_declare,
    panel_decision_make,
    panel_meeting_record_attendance,
    panel_meeting_schedule,
    panel_meeting_set_agenda,
    panel_review_conclude,
    panel_view_record,
)

panel_people = role_required(Role.PANEL_CHAIR, Role.PANEL_MEMBER)
PER_PAGE = 50
# The service's field names that the forms call otherwise.
FIELD_NAMES = {"starts_at": "day"}


def posted(request):
    return request.POST if request.method == "POST" else None


def show_error(form, error: CaseworkError) -> None:
    field = getattr(error, "field", None)
    field = FIELD_NAMES.get(field, field)
    form.add_error(field if field in form.fields else None, str(error))


def form_page(
    request,
    form,
    *,
    template: str,
    context: dict,
    version: int,
    perform: Callable[[dict, int], object],
    success: str,
    done_url: str | Callable[[object], str],
    refresh_version: Callable[[], int] | None = None,
):
    """GET: the form. POST: the form checked, then `perform(cleaned_data, posted version)` (one service call),
    then back to `done_url` with a banner. A refusal is shown in the error summary, against its field; a stale
    post gets a 409 and the row's new version, so a second press (after checking) goes through."""
    status = 200
    if request.method == "POST":
        version = posted_version(request)
        if form.is_valid():
            try:
                result = perform(form.cleaned_data, version)
            except CaseworkError as error:
                show_error(form, error)
                if isinstance(error, StaleCase):
                    status = 409
                    if refresh_version is not None:
                        version = refresh_version()
            else:
                messages.success(request, success)
                return redirect(done_url(result) if callable(done_url) else done_url)
    page = {**context, "form": form, "version": version, "error_links": form.error_links()}
    return render(request, template, page, status=status)


# The reviews ------------------------------------------------------------------------------------------------------


@require_GET
@panel_people
def reviews(request):
    tab = selectors.tab_named(request.GET.get("tab"))
    listing = selectors.review_list_for(user=request.user, tab=tab)
    page = Paginator(listing.cases, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "tabs": [{"tab": item, "count": listing.counts[item.slug], "current": item == tab} for item in selectors.TABS],
        "rows": [selectors.review_row(panel_case) for panel_case in page.object_list],
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "panels": [membership.panel for membership in selectors.memberships_of(request.user)],
        "chairs": bool(selectors.chaired_panels(user=request.user)),
    }
    return render(request, "panels/reviews.html", context)


@require_GET
@panel_people
def case(request, pk: int):
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    access_log_record(user=request.user, case=panel_case.case, what=AccessLogEntry.What.PANEL_REVIEW)
    page = selectors.review_page_for(user=request.user, panel_case=panel_case)
    return render(request, "panels/case.html", {"panel_case": panel_case, "case": panel_case.case, "page": page})


@require_GET
@panel_people
def open_reference(request, reference: str):
    """A notification's link: the user's open panel case of that reference, else their latest one; else 404."""
    return redirect("panels:case", selectors.open_panel_case_for(user=request.user, reference=reference).pk)


@require_GET
@panel_people
def evidence(request, pk: int, file_id: int):
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    evidence_file = selectors.evidence_file_of(panel_case=panel_case, file_id=file_id)
    if not evidence_file.is_downloadable:
        return not_downloadable(request, evidence_file)
    response = upload_download(evidence_file)
    access_log_record(user=request.user, case=panel_case.case, what=AccessLogEntry.What.FILE)
    return response


@require_GET
@panel_people
def case_file(request, pk: int, file_id: int):
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    case_file = selectors.case_file_of(panel_case=panel_case, file_id=file_id)
    if not case_file.is_downloadable:
        return not_downloadable(request, case_file)
    response = upload_download(case_file)
    access_log_record(user=request.user, case=panel_case.case, what=AccessLogEntry.What.FILE)
    return response


# A member's work and the chair's conclusion -----------------------------------------------------------------------


def _case_context(request, panel_case: PanelCase, title: str, submit: str) -> dict:
    membership = selectors.seat_of(user=request.user, panel=panel_case.panel)
    return {
        "panel_case": panel_case,
        "case": panel_case.case,
        "membership": membership,
        "title": title,
        "submit": submit,
        "exclusion": selectors.exclusion_for(membership, panel_case),
        "back_url": reverse("panels:case", args=[panel_case.pk]),
    }


def _case_url(panel_case: PanelCase) -> str:
    return reverse("panels:case", args=[panel_case.pk])


def _panel_case_version(panel_case: PanelCase) -> Callable[[], int]:
    def version() -> int:
        panel_case.refresh_from_db(fields=["version"])
        return panel_case.version

    return version


@require_http_methods(["GET", "POST"])
@panel_people
def record_view(request, pk: int):
    """A member records their view, or changes it until the chair concludes. The version posted is their
    view's (0 when they had none: a view recorded meanwhile, in another tab, makes the post stale)."""
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    context = _case_context(request, panel_case, "Your view", "Save your view")
    my_view = panel_case.views.filter(membership=context["membership"]).first()
    initial = {"opinion": my_view.opinion, "reasons": my_view.reasons} if my_view else {}
    form = ViewForm(posted(request), panel_case=panel_case, initial=initial)
    if my_view is not None:
        context["title"] = "Change your view"

    def perform(data, version):
        expected = None if version == 0 and my_view is None else version
        return panel_view_record(
            panel_case_id=panel_case.pk,
            actor=request.user,
            opinion=data["opinion"],
            reasons=data["reasons"],
            expected_version=expected,
        )

    def current_version() -> int:
        view = panel_case.views.filter(membership=context["membership"]).first()
        return view.version if view else 0

    return form_page(
        request, form, template="panels/action.html", context=context, version=my_view.version if my_view else 0,
        perform=perform, success="Your view is recorded", done_url=_case_url(panel_case),
        refresh_version=current_version,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@panel_people
def declare_conflict(request, pk: int):
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    context = _case_context(request, panel_case, "Declare a conflict of interest", "Declare the conflict")
    form = ConflictForm(posted(request), panel_case=panel_case)

    def perform(data, version):
        return panel_conflict_declare(panel_case_id=panel_case.pk, actor=request.user, details=data["details"])

    return form_page(
        request, form, template="panels/action.html", context=context, version=panel_case.version,
        perform=perform, success="Your conflict of interest is recorded: you take no part in this case",
        done_url=_case_url(panel_case),
    )  # fmt: skip


def _chair_context(request, panel_case: PanelCase, title: str, submit: str) -> dict:
    context = _case_context(request, panel_case, title, submit)
    membership = context["membership"]
    context["is_chair"] = membership.is_chair
    context["quorum"] = selectors.quorum_for(panel_case, chair=membership if membership.is_chair else None)
    context["decision"] = selectors.proposed_decision(panel_case.decision)
    return context


@require_http_methods(["GET", "POST"])
@panel_people
def conclude(request, pk: int):
    """The chair of an assurance panel concludes its review once quorate: the page says what is missing."""
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    context = _chair_context(request, panel_case, "Conclude the panel's review", "Conclude the review")
    form = ConcludeForm(posted(request), panel_case=panel_case)

    def perform(data, version):
        return panel_review_conclude(
            panel_case_id=panel_case.pk,
            actor=request.user,
            recommendation=data["recommendation"],
            reasons=data["reasons"],
            expected_version=version,
        )

    return form_page(
        request, form, template="panels/conclude.html", context=context, version=panel_case.version,
        perform=perform, success="The panel's review is concluded", done_url=_case_url(panel_case),
        refresh_version=_panel_case_version(panel_case),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@panel_people
def decide(request, pk: int):
    """The chair of a decision-making panel records the panel's decision once quorate; casework serves it."""
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    title = f"Record the panel's decision: {selectors.work_label(panel_case).lower()}"
    context = _chair_context(request, panel_case, title, "Record the decision")
    form = DecideForm(posted(request), panel_case=panel_case)

    def perform(data, version):
        return panel_decision_make(
            panel_case_id=panel_case.pk,
            actor=request.user,
            outcome=data["outcome"],
            reasons=data["reasons"],
            decision_date=data["decision_date"],
            factors=data.get("factors", []),
            expected_version=version,
        )

    return form_page(
        request, form, template="panels/conclude.html", context=context, version=panel_case.version,
        perform=perform, success="The panel's decision is recorded and served: the letter is being prepared",
        done_url=_case_url(panel_case), refresh_version=_panel_case_version(panel_case),
    )  # fmt: skip


# Meetings ---------------------------------------------------------------------------------------------------------


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
    seats = list(selectors.memberships_of(request.user))
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
        "is_chair": selectors.is_chair_of(request.user, meeting.panel),
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
        "is_chair": selectors.is_chair_of(request.user, meeting.panel),
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
