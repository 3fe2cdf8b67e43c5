"""Sending a referral, its confirmation, PDF copy, the prompt sheet and feedback."""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.downloads import private_download
from common.numbers import posted_version
from referrals import selectors
from referrals.case_view import referral_cases
from referrals.check import answer_summary
from referrals.documents import PROMPT_SHEET_FILENAME, prompt_sheet_pdf, referral_copy_filename, referral_copy_pdf
from referrals.models import Draft, ReferralFeedback
from referrals.questions import QUESTIONNAIRE, route_of
from referrals.questions.engine import missing_answers
from referrals.services import DraftChangedElsewhere, ReferralIncomplete, referral_feedback_give, referral_submit
from referrals.services.submission import InfectedEvidence
from referrals.views.drafts import first_responder_only
from referrals.views.evidence import EVIDENCE_PAGE

DECLARATION_REQUIRED = (
    "Confirm that the details are correct and that the person was told how their information will be used"
)


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(required=True, error_messages={"required": DECLARATION_REQUIRED})


class FeedbackForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        choices=ReferralFeedback.Satisfaction.choices,
        coerce=int,
        error_messages={
            "required": "Select how you felt about the service you received today",
            "invalid_choice": "Select how you felt about the service you received today",
        },
    )
    improvements = forms.CharField(
        required=False,
        max_length=1200,
        error_messages={"max_length": "How could we improve this service must be 1,200 characters or fewer"},
    )


def _render_check(request, draft: Draft, *, errors: list[tuple[str, str]] = (), declaration_error: str = ""):
    """The check page as referrals.views.drafts.check_answers shows it, with the send's errors at the top."""
    missing = missing_answers(QUESTIONNAIRE, draft.answers, selectors.visited_pages(draft))
    context = {
        "draft": draft,
        "summary": answer_summary(QUESTIONNAIRE, draft.answers, change_url_for=draft.pk),
        "missing": missing,
        "route": route_of(draft.answers),
    }
    if missing:  # the check page lists what is missing; nothing can be sent until then
        return render(request, "referrals/check.html", context)
    context.update(send_errors=list(errors), declaration_error=declaration_error)
    return render(request, "referrals/check_send_errors.html" if errors else "referrals/check.html", context)


@require_POST
@first_responder_only
def referral_send(request, pk: int):
    sent = selectors.referrals_for(user=request.user).filter(draft_id=pk).only("reference").first()
    if sent is not None:  # a second click, the back button and a re-post, another tab: the one referral
        return redirect("referrals:confirmation", reference=sent.reference)
    draft = get_object_or_404(selectors.drafts_for(user=request.user), pk=pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return _render_check(
            request, draft, errors=[(DECLARATION_REQUIRED, "#declaration")], declaration_error=DECLARATION_REQUIRED
        )
    try:
        referral = referral_submit(draft_id=draft.pk, actor=request.user, expected_version=posted_version(request))
    except ReferralIncomplete:
        draft.refresh_from_db()
        return _render_check(request, draft)
    except InfectedEvidence as infected:
        evidence_page = reverse("referrals:page", kwargs={"pk": draft.pk, "slug": EVIDENCE_PAGE})
        return _render_check(request, draft, errors=[(str(infected), evidence_page)])
    except DraftChangedElsewhere as conflict:
        changed_by = conflict.draft.last_changed_by.full_name or "Someone else"
        message = f"{changed_by} changed this referral after you opened this page. Check the answers again, then send."
        return _render_check(request, conflict.draft, errors=[(message, "#main-content")])
    return redirect("referrals:confirmation", reference=referral.reference)


@require_GET
@first_responder_only
def confirmation(request, reference: str):
    referral = get_object_or_404(selectors.referrals_for(user=request.user).select_related("case"), reference=reference)
    return render(
        request,
        "referrals/confirmation.html",
        {"referral": referral, "case": referral_cases().confirmation(referral)},
    )


@require_GET
@first_responder_only
def referral_pdf(request, reference: str):
    referral = get_object_or_404(
        selectors.referrals_for(user=request.user).select_related("organisation", "submitted_by", "draft"),
        reference=reference,
    )
    return private_download(
        referral_copy_pdf(referral), filename=referral_copy_filename(referral), content_type="application/pdf"
    )


@require_GET
@first_responder_only
def prompt_sheet(request):
    return private_download(
        prompt_sheet_pdf(), filename=PROMPT_SHEET_FILENAME, content_type="application/pdf", as_attachment=False
    )


@require_http_methods(["GET", "POST"])
@first_responder_only
def feedback(request, reference: str):
    referral = get_object_or_404(
        selectors.referrals_for(user=request.user).select_related("feedback"), reference=reference
    )
    given = hasattr(referral, "feedback")
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            referral_feedback_give(referral_id=referral.pk, actor=request.user, **form.cleaned_data)
            return redirect("referrals:feedback", reference=referral.reference)
    elif given:
        return render(request, "referrals/feedback.html", {"referral": referral, "thanks": True})
    else:
        form = FeedbackForm()
    return render(request, "referrals/feedback.html", {"referral": referral, "form": form})
