"""Requests for information, and the moves that pause, stop or move a case: suspend and resume, withdraw,
transfer, mark as a duplicate, public order disqualification."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from casework.forms.case import (
    ConfirmForm,
    DisqualifyForm,
    DuplicateForm,
    InformationRequestForm,
    ResumeForm,
    SuspendForm,
    TransferForm,
    WithdrawForm,
)
from casework.services import (
    case_disqualify,
    case_mark_duplicate,
    case_resume,
    case_suspend,
    case_transfer,
    case_withdraw,
    information_request_create,
    information_request_withdraw,
)
from casework.views.case.common import STAFF, action_page, posted, staff_case

ACTION_TEMPLATE = "casework/case/action.html"


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def request_information(request, reference: str):
    case = staff_case(request, reference)
    form = InformationRequestForm(posted(request), request.FILES or None, case=case)

    def perform(data, version):
        return information_request_create(
            case_id=case.pk,
            actor=request.user,
            question=data["question"],
            due_date=data["due_date"],
            uploaded_files=data["files"],
            expected_version=version,
        )

    def success(result):
        return f"Information requested from the first responder, due {date_format(result.due_date, 'j F Y')}"

    return action_page(
        request, case, form, template=ACTION_TEMPLATE, title="Request information", perform=perform,
        success=success, submit="Send the request", gate=("request_information", "request information"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def withdraw_information_request(request, reference: str, request_id: int):
    case = staff_case(request, reference)
    information_request = get_object_or_404(case.information_requests, pk=request_id)
    form = ConfirmForm(posted(request), case=case)

    def perform(data, version):
        return information_request_withdraw(
            request_id=information_request.pk, actor=request.user, expected_version=version
        )

    return action_page(
        request, case, form, template="casework/case/withdraw_request.html", title="Withdraw the information request",
        perform=perform, success="Information request withdrawn", submit="Withdraw the request",
        context={"information_request": information_request},
    )  # fmt: skip


def _reason_page(request, reference, form_class, *, service, title, submit, success, gate, redirect_to=None, **extra):
    """A move recorded with a reason: one form, one service (extra fields passed through by name)."""
    case = staff_case(request, reference)
    form = form_class(posted(request), case=case)

    def perform(data, version):
        arguments = {name: data[field] for name, field in extra.items()}
        return service(case_id=case.pk, actor=request.user, expected_version=version, **arguments)

    return action_page(
        request, case, form, template=ACTION_TEMPLATE, title=title, perform=perform, success=success,
        submit=submit, gate=gate, redirect_to=redirect_to,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def suspend(request, reference: str):
    return _reason_page(
        request, reference, SuspendForm, service=case_suspend, title="Suspend the case", submit="Suspend the case",
        success="Case suspended: the police, the first responder and the support provider are being told",
        gate=("suspend", "suspend the case"), reason="reason",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def resume(request, reference: str):
    return _reason_page(
        request, reference, ResumeForm, service=case_resume, title="Resume the case", submit="Resume the case",
        success="Case resumed", gate=("resume", "resume the case"), reason="reason",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def withdraw(request, reference: str):
    return _reason_page(
        request, reference, WithdrawForm, service=case_withdraw, title="Withdraw the case",
        submit="Withdraw the case", success="Case withdrawn", gate=("withdraw", "withdraw the case"), reason="reason",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def transfer(request, reference: str):
    return _reason_page(
        request, reference, TransferForm, service=case_transfer, title="Transfer the case",
        submit="Transfer the case", success=lambda case: f"Case transferred to {case.authority}",
        gate=("transfer", "transfer the case"), redirect_to=reverse("casework:queue"), reason="reason",
        to_authority="to_authority",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def mark_duplicate(request, reference: str):
    return _reason_page(
        request, reference, DuplicateForm, service=case_mark_duplicate, title="Mark as a duplicate",
        submit="Mark as a duplicate", success=lambda case: f"Case closed as a duplicate of {case.merged_into}",
        gate=("mark_duplicate", "mark the case as a duplicate"), reason="reason",
        surviving_reference="surviving_reference",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(Role.MANAGER)
def disqualify(request, reference: str):
    return _reason_page(
        request, reference, DisqualifyForm, service=case_disqualify, title="Disqualify on public order grounds",
        submit="Disqualify", success="Disqualified on public order grounds: the first responder is being told",
        gate=("disqualify", "disqualify on public order grounds"), reasons="reason",
    )  # fmt: skip
