"""The referring organisation's side of a case (answering a request for information, asking for reconsideration
of a served negative decision), and the downloads of letters and files for everyone who may see them.

Every read goes through a selector scoped to the user: an object outside it is a 404, whoever asks.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from casework.forms.responder import InformationAnswerForm, ReconsiderationRequestForm
from casework.letters import letter_filename, letter_pdf
from casework.models import AccessLogEntry, Case
from casework.rules import can_request_reconsideration
from casework.selectors import (
    case_files_for,
    cases_referred_by,
    decision_open_to_reconsideration,
    letters_for,
    reconsideration_is_late,
    reconsideration_pending,
    referrer_question,
)
from casework.services import (
    CaseworkError,
    IllegalTransition,
    StaleCase,
    access_log_record,
    information_request_answer,
    reconsideration_request,
)
from common.downloads import not_downloadable, private_download, upload_download
from common.numbers import posted_version

first_responder_only = role_required(Role.FIRST_RESPONDER)
# Everyone a letter or a file may be scoped to; the selectors decide which ones.
DOWNLOADERS = (Role.FIRST_RESPONDER, Role.CASEWORKER, Role.MANAGER, Role.SUPPORT_PROVIDER)
# Someone else acted first: what they typed is shown again, with a 409.
CONFLICTS = (StaleCase, IllegalTransition)


@require_GET
@role_required(*DOWNLOADERS)
def letter_download(request, letter_id: int):
    letter = get_object_or_404(letters_for(user=request.user), pk=letter_id)
    try:
        content = letter_pdf(letter)
    except FileNotFoundError:
        raise Http404 from None
    # A letter names the person: every download is written down, whoever makes it.
    access_log_record(user=request.user, case=letter.decision.case, what=AccessLogEntry.What.LETTER)
    return private_download(content, filename=letter_filename(letter.decision), content_type="application/pdf")


@require_GET
@role_required(*DOWNLOADERS)
def file_download(request, file_id: int):
    case_file = get_object_or_404(case_files_for(user=request.user).select_related("case"), pk=file_id)
    if not case_file.is_downloadable:
        return not_downloadable(request, case_file)
    response = upload_download(case_file)
    access_log_record(user=request.user, case=case_file.case, what=AccessLogEntry.What.FILE)
    return response


def show_error(form, error: CaseworkError) -> None:
    """The service's message beside its field when the form has it, else at the top of the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


@require_http_methods(["GET", "POST"])
@first_responder_only
def answer_information_request(request, reference: str, request_id: int):
    case = get_object_or_404(cases_referred_by(user=request.user).select_related("referral"), reference=reference)
    question = referrer_question(case, request_id)
    if question is None:
        raise Http404
    form = InformationAnswerForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            information_request_answer(
                request_id=question.pk,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                uploaded_files=form.cleaned_data["files"],
                expected_version=posted_version(request),
            )
        except CONFLICTS as error:
            form.add_error(None, str(error))
            status = 409
            question = referrer_question(case, request_id)  # as it is now, answered or withdrawn
        except CaseworkError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Your answer has been sent to the caseworker for {case.reference}")
            return redirect(reverse("referrals:detail", args=[case.reference]) + "#information-requests")
    context = {
        "case": case,
        "item": question,
        "form": form,
        "files_not_kept": bool(request.FILES) and bool(form.errors),
    }
    return render(request, "casework/responder/answer.html", context, status=status)


def reconsideration_page(request, case: Case, *, back_url: str, back_label: str):
    """The request for reconsideration of the decision in force on `case`, for whoever may ask (the referring
    organisation, the support provider). Nothing to reconsider, or no right to ask: 404."""
    decision = decision_open_to_reconsideration(case)
    if decision is None or not can_request_reconsideration(request.user, case):
        raise Http404
    form = ReconsiderationRequestForm(
        request.POST or None, request.FILES or None, decision=decision, is_late=reconsideration_is_late(decision)
    )
    status = 200
    version = case.version
    if request.method == "POST" and form.is_valid():
        try:
            reconsideration_request(
                case_id=case.pk,
                actor=request.user,
                expected_version=posted_version(request),
                **form.service_arguments,
            )
        except CONFLICTS as error:
            form.add_error(None, str(error))
            status = 409
            case.refresh_from_db(fields=["version", "status"])
            version = case.version
        except CaseworkError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Your request for reconsideration of {case.reference} has been sent")
            return redirect(back_url)
    pending = reconsideration_pending(decision)
    context = {
        "case": case,
        "decision": decision,
        "form": form,
        "version": version,
        "pending": pending and not form.is_bound,
        "files_not_kept": bool(request.FILES) and bool(form.errors),
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "casework/responder/reconsideration.html", context, status=status)


@require_http_methods(["GET", "POST"])
@first_responder_only
def request_reconsideration(request, reference: str):
    case = get_object_or_404(cases_referred_by(user=request.user).select_related("referral"), reference=reference)
    back_url = reverse("referrals:detail", args=[case.reference])
    return reconsideration_page(request, case, back_url=back_url, back_label=case.reference)
