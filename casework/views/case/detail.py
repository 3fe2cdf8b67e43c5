"""The case page, the referral's PDF copy, notes, and who works the case (assign, reassign, release)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import role_required
from casework.forms.case import AssignForm, ConfirmForm, NoteForm
from casework.models import AccessLogEntry
from casework.selectors.case_page import case_page_cases, case_page_for
from casework.selectors.timeline import person_name
from casework.services import CaseworkError, access_log_record, case_add_note, case_assign, case_release
from casework.views.case.common import STAFF, action_page, posted, staff_case
from common.downloads import private_download
from referrals.documents import referral_copy_filename, referral_copy_pdf


@require_GET
@role_required(*STAFF)
def case_detail(request, reference: str):
    case = get_object_or_404(case_page_cases(user=request.user), reference=reference)
    access_log_record(user=request.user, case=case, what=AccessLogEntry.What.CASE)
    page = case_page_for(user=request.user, case=case)
    return render(request, "casework/case/detail.html", {"case": case, "page": page, "note_form": NoteForm(case=case)})


@require_GET
@role_required(*STAFF)
def referral_pdf(request, reference: str):
    case = staff_case(request, reference)
    access_log_record(user=request.user, case=case, what=AccessLogEntry.What.REFERRAL_PDF)
    return private_download(
        referral_copy_pdf(case.referral), filename=referral_copy_filename(case.referral), content_type="application/pdf"
    )


@require_POST
@role_required(*STAFF)
def add_note(request, reference: str):
    """Posted from the case page; a refused note comes back on a page of its own with the text kept."""
    case = staff_case(request, reference)
    form = NoteForm(request.POST, case=case)
    if form.is_valid():
        try:
            case_add_note(case_id=case.pk, actor=request.user, text=form.cleaned_data["text"])
        except CaseworkError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Note added")
            return redirect(f"{case.get_absolute_url()}#notes")
    context = {"case": case, "form": form, "title": "Add a note", "submit": "Add note"}
    return render(request, "casework/case/action.html", {**context, "error_links": form.error_links()})


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def assign(request, reference: str):
    """A manager chooses who works the case; a caseworker takes an unassigned case (the case page's button posts
    here directly)."""
    case = staff_case(request, reference)
    form = AssignForm(posted(request), case=case, user=request.user)

    def perform(data, version):
        return case_assign(case_id=case.pk, actor=request.user, assignee=data["assignee"], expected_version=version)

    def success(result):
        if result.assignee_id == request.user.pk:
            return f"{case.reference} is assigned to you"
        return f"{case.reference} is assigned to {person_name(result.assignee)}"

    title = "Assign the case" if request.user.role == "manager" else "Assign the case to yourself"
    submit = "Assign" if request.user.role == "manager" else "Assign to me"
    context = {"current_assignee": person_name(case.assignee) if case.assignee_id else ""}
    return action_page(
        request, case, form, template="casework/case/assign.html", title=title, perform=perform,
        success=success, submit=submit, context=context, gate=("assign", "assign the case"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def release(request, reference: str):
    case = staff_case(request, reference)
    form = ConfirmForm(posted(request), case=case)

    def perform(data, version):
        return case_release(case_id=case.pk, actor=request.user, expected_version=version)

    return action_page(
        request, case, form, template="casework/case/action.html", title="Release the case to the queue",
        perform=perform, success=f"{case.reference} is back in the queue", submit="Release the case",
        context={"intro": "Nobody will be working on this case until someone takes it from the queue."},
        gate=("release", "release the case"),
    )  # fmt: skip
