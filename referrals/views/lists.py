"""The organisation's referrals (its drafts and what it has sent, searchable and filtered) and a sent referral's
own page. Both read through the scoped selectors, and neither makes a query per row."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.waiting import waiting_for_organisation_admin
from referrals import selectors
from referrals.case_view import referral_cases
from referrals.check import answer_summary
from referrals.filters import ROUTE_LABELS, ReferralFilterForm
from referrals.models import Draft, EvidenceFile, ReferralPolicy
from referrals.questions import QUESTIONNAIRE
from referrals.questions.routes import route_of
from referrals.views.drafts import first_responder_only

PER_PAGE = 25
# Days left at or under which a draft's expiry is shown as a warning.
EXPIRY_WARNING_DAYS = 7


def draft_rows(drafts: list[Draft], *, retention_days: int) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for draft in drafts:
        expires_at = draft.updated_at + timedelta(days=retention_days)
        days_left = max(0, (timezone.localtime(expires_at).date() - today).days)
        route = route_of(draft.answers)
        rows.append(
            {
                "draft": draft,
                "responder_reference": draft.answers.get("responder_reference", ""),
                "route": ROUTE_LABELS[route] if route else "Not decided yet",
                "expires_at": expires_at,
                "days_left": days_left,
                "expiring_soon": days_left <= EXPIRY_WARNING_DAYS,
            }
        )
    return rows


@require_GET
@first_responder_only
def referral_list(request):
    policy = ReferralPolicy.current()
    # A draft is listed once something is answered in it: "Start a new referral" alone leaves nothing behind.
    drafts = (
        selectors.answered_drafts(selectors.drafts_for(user=request.user))
        .select_related("last_changed_by")
        .order_by("-updated_at", "-pk")
    )
    form = ReferralFilterForm(request.GET)
    ordering = ("-submitted_at", "-pk")
    # The page's keys first, from the narrow filtered list (the organisation's index serves it), then only those
    # 25 rows with their cases: a page deep in a long list never joins or sorts every row of the organisation.
    matching = form.apply(selectors.referrals_for(user=request.user)).order_by(*ordering).values_list("pk", flat=True)
    page = Paginator(matching, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(
        selectors.referrals_for(user=request.user)
        .filter(pk__in=page.object_list)
        .select_related("case")
        .only("reference", "route", "responder_reference", "submitted_at", "case__status")
        .order_by(*ordering)
    )
    questions = referral_cases().questions_to_answer(request.user, [referral.pk for referral in page.object_list])
    sent = [
        {
            "referral": referral,
            "route": ROUTE_LABELS.get(referral.route, referral.route),
            "status": referral_cases().status_label(referral),
            "questions": questions.get(referral.pk),
        }
        for referral in page.object_list
    ]
    # What is waiting for them first: the questions to answer; an administrator's requests to join too.
    waiting = referral_cases().waiting_for(request.user)
    if request.user.is_organisation_admin:
        waiting = waiting_for_organisation_admin(user=request.user) + waiting
    context = {
        "organisation": request.user.organisation,
        "waiting": waiting,
        "drafts": draft_rows(list(drafts), retention_days=policy.draft_retention_days),
        "retention_days": policy.draft_retention_days,
        "form": form,
        "filtered": form.active,
        "page": page,
        "sent": sent,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
    }
    return render(request, "referrals/list.html", context)


@require_GET
@first_responder_only
def referral_detail(request, reference: str):
    referral = get_object_or_404(
        selectors.referrals_for(user=request.user).select_related("case", "submitted_by"), reference=reference
    )
    evidence_files = list(
        EvidenceFile.objects.filter(draft_id=referral.draft_id).only(
            "pk",
            "original_name",
            "description",
            "size",
            "content_type",
            "draft_id",
            "uploaded_at",
            "scan_status",
            "scan_result",
        )
    )
    # The case as the referrer sees it (its status, served decisions, the questions put to them) is casework's:
    # the template reads it through casework's `referrer_case` tags.
    context = {
        "referral": referral,
        "route": ROUTE_LABELS.get(referral.route, referral.route),
        "summary": answer_summary(QUESTIONNAIRE, referral.answers),
        "evidence_files": evidence_files,
    }
    return render(request, "referrals/detail.html", context)
