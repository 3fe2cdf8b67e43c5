"""The support provider's pages: the people referred to it for support, one person's support dates, outcomes
and contact details, and a request for reconsideration of a negative decision.

A support provider sees no more of the referral than support needs: who the person is and how to reach them
safely, the help they need to communicate, their dependants, where they are and their immediate safeguarding
needs, and who referred them. Never the account of the exploitation, the assessment or the evidence.
"""

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from casework.models import AccessLogEntry, Case, Decision
from casework.selectors import case_status_label_for_outsider, cases_supported_by, outcomes_context
from casework.services import access_log_record
from casework.views.responder import reconsideration_page
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import applicable_questions, display_value

support_provider_only = role_required(Role.SUPPORT_PROVIDER)
PER_PAGE = 25
# Days left at or under which the end of support is shown as a warning (the first warning the job sends).
SUPPORT_WARNING_DAYS = 14
# The referral's pages a support provider needs, in this order; the name page without the exploitation's name.
SUPPORT_PAGES = (
    "name",
    "gender",
    "children",
    "interpreter",
    "communication-help",
    "support-contact",
    "current-location",
    "safeguarding",
)
LEFT_OUT = frozenset({"nickname"})


def support_dates(case: Case, *, today) -> dict:
    """The support dates of a case and the days left until support ends (negative once it has ended)."""
    days_left = None
    if case.support_ends_at:
        days_left = (timezone.localtime(case.support_ends_at).date() - today).days
    return {
        "case": case,
        "status": case_status_label_for_outsider(case),
        "days_left": days_left,
        "ending_soon": days_left is not None and 0 <= days_left <= SUPPORT_WARNING_DAYS,
        "ended": days_left is not None and days_left < 0,
    }


@require_GET
@support_provider_only
def supported(request):
    now = timezone.now()
    people = cases_supported_by(user=request.user)
    current = Q(support_ends_at__isnull=True) | Q(support_ends_at__gte=now)
    counts = people.aggregate(current=Count("pk", filter=current), ended=Count("pk", filter=~current))
    showing_ended = request.GET.get("show") == "ended"
    if showing_ended:
        listed = people.filter(~current).order_by("-support_ends_at", "reference")
    else:
        listed = people.filter(current).order_by(F("support_ends_at").asc(nulls_last=True), "reference")
    served = Decision.objects.filter(state=Decision.State.SERVED).order_by("served_at", "pk")
    listed = listed.only(
        "reference", "status", "support_started_at", "recovery_ends_at", "support_ends_at"
    ).prefetch_related(Prefetch("decisions", queryset=served, to_attr="served_decisions"))
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "provider": request.user.organisation,
        "rows": [support_dates(case, today=today) for case in page.object_list],
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "showing_ended": showing_ended,
        "counts": counts,
        "warning_days": SUPPORT_WARNING_DAYS,
    }
    return render(request, "casework/supported.html", context)


def support_details(answers: dict) -> list[dict]:
    """The answers support needs, as labelled words (only those that apply to this referral)."""
    rows = []
    for slug in SUPPORT_PAGES:
        section, page = QUESTIONNAIRE.page(slug)
        if not (section.applies(answers) and page.applies(answers)):
            continue
        for question in applicable_questions(QUESTIONNAIRE, page, answers):
            if question.key not in LEFT_OUT:
                value = display_value(question, answers.get(question.key))
                rows.append({"label": question.short_label, "value": value})
    return rows


def referrer_contact(case: Case) -> dict:
    answers = case.referral.answers or {}
    name = " ".join(filter(None, [answers.get("responder_first_name"), answers.get("responder_last_name")]))
    phone = answers.get("responder_phone")
    return {
        "organisation": case.referral.organisation,
        "name": name or case.referral.submitted_by.full_name,
        "phone": display_value(QUESTIONNAIRE.question("responder_phone"), phone) if phone else "",
        "email": case.referral.submitted_by.email,
        "alternative_email": answers.get("alternative_contact_email", ""),
    }


def _supported_case(request, reference: str) -> Case:
    people = cases_supported_by(user=request.user).select_related("referral__organisation", "referral__submitted_by")
    return get_object_or_404(people, reference=reference)


@require_GET
@support_provider_only
def supported_case(request, reference: str):
    case = _supported_case(request, reference)
    access_log_record(user=request.user, case=case, what=AccessLogEntry.What.CASE)
    context = {
        "case": case,
        "dates": support_dates(case, today=timezone.localdate()),
        **outcomes_context(request.user, case),
        "reconsideration_url": reverse("casework:supported_reconsideration", args=[case.reference]),
        "details": support_details(case.referral.answers or {}),
        "referrer": referrer_contact(case),
    }
    return render(request, "casework/supported_case.html", context)


@require_http_methods(["GET", "POST"])
@support_provider_only
def request_reconsideration(request, reference: str):
    case = _supported_case(request, reference)
    back_url = reverse("casework:supported_case", args=[case.reference])
    return reconsideration_page(request, case, back_url=back_url, back_label=case.reference)
