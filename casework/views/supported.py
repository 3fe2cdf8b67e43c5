"""The support provider's pages: the people referred to it for support, one person's support dates, outcomes
and contact details, and a request for reconsideration of a negative decision. What a provider may see of a
referral, and nothing more, is decided by casework.selectors.supported."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from casework.forms.case.support import (
    PersonMissingForm,
    RnaForm,
    SupportEndForm,
    SupportExtendForm,
    SupportStartForm,
)
from casework.lifecycle import BY_NAME, CaseFacts
from casework.models import AccessLogEntry, Case
from casework.selectors.referrer import case_status_label_for_outsider
from casework.selectors.supported import (
    SUPPORT_WARNING_DAYS,
    supported_case_for,
    supported_people,
    supported_people_counts,
    supported_person_row,
    supported_person_view,
)
from casework.services import (
    access_log_record,
    case_support_end,
    case_support_extend,
    case_support_person_missing,
    case_support_rna_record,
    case_support_start,
)
from casework.views.case.common import action_page, posted
from casework.views.responder import reconsideration_page

support_provider_only = role_required(Role.SUPPORT_PROVIDER)
PER_PAGE = 25


@require_GET
@support_provider_only
def supported(request):
    showing_ended = request.GET.get("show") == "ended"
    counts = supported_people_counts(user=request.user)
    page = Paginator(supported_people(user=request.user, ended=showing_ended), PER_PAGE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    context = {
        "provider": request.user.organisation,
        "rows": [supported_person_row(case, today=today) for case in page.object_list],
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "showing_ended": showing_ended,
        "counts": counts,
        "warning_days": max(SUPPORT_WARNING_DAYS),
    }
    return render(request, "casework/supported.html", context)


def _supported_case(request, reference: str) -> Case:
    case = supported_case_for(user=request.user, reference=reference)
    if case is None:
        raise Http404
    return case


@require_GET
@support_provider_only
def supported_case(request, reference: str):
    case = _supported_case(request, reference)
    access_log_record(user=request.user, case=case, what=AccessLogEntry.What.CASE)
    context = {
        "person": supported_person_view(user=request.user, case=case),
        "reconsideration_url": reverse("casework:supported_reconsideration", args=[case.reference]),
    }
    return render(request, "casework/supported_case.html", context)


# The provider's records: one page each, in the shape of the case pages' actions (casework.views.case.common). --


def _support_page(request, reference: str, form_class, *, move: str, title: str, submit: str, success, perform):
    """GET: the form, or back to the person's page saying why the record cannot be made now. POST: the form
    checked, then one service (`perform(case, data, version)`); its refusal in the error summary."""
    case = _supported_case(request, reference)
    back_url = reverse("casework:supported_case", args=[case.reference])
    if request.method == "GET":
        reason = _why_not(move, case, request.user)
        if reason:
            messages.info(request, f"You cannot {BY_NAME[move].verb} now: {reason}")
            return redirect(back_url)
    form = form_class(posted(request), case=case)
    return action_page(
        request, case, form, template="casework/supported_action.html", title=title,
        perform=lambda data, version: perform(case, data, version), success=success, submit=submit,
        redirect_to=back_url,
        context={"back_url": back_url, "status_label": case_status_label_for_outsider(case)},
    )  # fmt: skip


def _why_not(move: str, case: Case, user) -> str:
    """Why the provider cannot make this record now, in words about support (never the authority's work)."""
    transition = BY_NAME[move]
    problem, words = transition.why_not(user, case, CaseFacts(case, decisions=[], reconsiderations=[]))
    if not problem:
        return ""
    if case.status not in transition.sources:
        return f"support of {case.reference} is not running"
    return words[:1].lower() + words[1:] if not words.startswith(case.reference) else words


@require_http_methods(["GET", "POST"])
@support_provider_only
def support_start(request, reference: str):
    def perform(case, data, version):
        return case_support_start(
            case_id=case.pk, actor=request.user, started_on=data["started_on"], expected_version=version
        )

    return _support_page(
        request, reference, SupportStartForm, move="record_support_start", title="Record that support started",
        submit="Save", success="Support recorded as started: the caseworker is being told", perform=perform,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@support_provider_only
def support_rna(request, reference: str):
    def perform(case, data, version):
        return case_support_rna_record(
            case_id=case.pk,
            actor=request.user,
            completed_on=data["completed_on"],
            needs=data["needs"],
            expected_version=version,
        )

    return _support_page(
        request, reference, RnaForm, move="record_rna", title="Record the Recovery Needs Assessment",
        submit="Save", success="Recovery Needs Assessment recorded: the caseworker is being told", perform=perform,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@support_provider_only
def support_extend(request, reference: str):
    def perform(case, data, version):
        return case_support_extend(
            case_id=case.pk,
            actor=request.user,
            ends_on=data["ends_on"],
            reason=data["reason"],
            expected_version=version,
        )

    def success(extension):
        return f"Support extended to {date_format(extension.ends_on, 'j F Y')}: the caseworker is being told"

    return _support_page(
        request, reference, SupportExtendForm, move="extend_support", title="Extend support",
        submit="Extend support", success=success, perform=perform,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@support_provider_only
def support_missing(request, reference: str):
    def perform(case, data, version):
        return case_support_person_missing(
            case_id=case.pk, actor=request.user, last_seen_on=data["last_seen_on"], expected_version=version
        )

    return _support_page(
        request, reference, PersonMissingForm, move="report_missing", title="Report that the person is missing",
        submit="Report missing", perform=perform,
        success="The person is reported missing: the caseworker and the authority's managers are being told",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@support_provider_only
def support_end(request, reference: str):
    def perform(case, data, version):
        return case_support_end(
            case_id=case.pk, actor=request.user, ended_on=data["ended_on"], reason=data["reason"],
            expected_version=version,
        )  # fmt: skip

    return _support_page(
        request, reference, SupportEndForm, move="record_support_end", title="Record that support ended",
        submit="Save", success="Support recorded as ended: the caseworker is being told", perform=perform,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@support_provider_only
def request_reconsideration(request, reference: str):
    case = _supported_case(request, reference)
    back_url = reverse("casework:supported_case", args=[case.reference])
    return reconsideration_page(request, case, back_url=back_url, back_label=case.reference)
