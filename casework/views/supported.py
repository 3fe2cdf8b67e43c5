"""The support provider's pages: the people referred to it for support, one person's support dates, outcomes
and contact details, and a request for reconsideration of a negative decision. What a provider may see of a
referral, and nothing more, is decided by casework.selectors.supported."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from casework.models import AccessLogEntry, Case
from casework.selectors.supported import (
    SUPPORT_WARNING_DAYS,
    supported_case_for,
    supported_people,
    supported_people_counts,
    supported_person_row,
    supported_person_view,
)
from casework.services import access_log_record
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


@require_http_methods(["GET", "POST"])
@support_provider_only
def request_reconsideration(request, reference: str):
    case = _supported_case(request, reference)
    back_url = reverse("casework:supported_case", args=[case.reference])
    return reconsideration_page(request, case, back_url=back_url, back_label=case.reference)
