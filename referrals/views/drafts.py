from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from common.numbers import posted_version
from referrals import selectors
from referrals.page_forms import PageForm
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import (
    TaskStatus,
    applicable_pages,
    applicable_sections,
    first_page_to_open,
    missing_answers,
    next_page,
    next_section_start,
    section_status,
)
from referrals.questions.routes import route_of
from referrals.services import DraftChangedElsewhere, draft_create, draft_delete, draft_save_page
from referrals.services.drafts import DraftNotEditable
from referrals.views.evidence import EVIDENCE_PAGE, evidence_page_context

first_responder_only = role_required(Role.FIRST_RESPONDER)


class AlreadySent(Exception):
    def __init__(self, referral):
        self.referral = referral


def own_draft(request, pk: int):
    """The user's organisation's unsent draft; a sent one (the back button after sending) leads to its
    confirmation; anything else is a 404."""
    draft = selectors.draft_for(user=request.user, pk=pk)
    if draft is not None:
        return draft
    referral = selectors.referrals_for(user=request.user).filter(draft_id=pk).first()
    if referral is not None:
        raise AlreadySent(referral)
    raise Http404


def sent_drafts_lead_to_their_confirmation(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AlreadySent as sent:
            messages.info(request, "This referral has been sent and can no longer be changed")
            return redirect("referrals:confirmation", reference=sent.referral.reference)

    return wrapped


@require_POST
@first_responder_only
def draft_start(request):
    draft = draft_create(actor=request.user)
    return redirect("referrals:task_list", pk=draft.pk)


@require_GET
@first_responder_only
@sent_drafts_lead_to_their_confirmation
def task_list(request, pk: int):
    draft = own_draft(request, pk)
    visited = selectors.visited_pages(draft)
    tasks = []
    for section in applicable_sections(QUESTIONNAIRE, draft.answers):
        status = section_status(QUESTIONNAIRE, section, draft.answers, visited)
        tasks.append(
            {"section": section, "status": status, "page": first_page_to_open(section, draft.answers, visited)}
        )
    ready = all(task["status"] == TaskStatus.COMPLETED or task["section"].optional for task in tasks)
    return render(
        request,
        "referrals/task_list.html",
        {"draft": draft, "tasks": tasks, "route": route_of(draft.answers), "ready": ready,
         "completed": sum(task["status"] == TaskStatus.COMPLETED for task in tasks)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@first_responder_only
@sent_drafts_lead_to_their_confirmation
def question_page(request, pk: int, slug: str):
    draft = own_draft(request, pk)
    try:
        section, page = QUESTIONNAIRE.page(slug)
    except KeyError:
        raise Http404 from None
    if not section.applies(draft.answers) or not page.applies(draft.answers):
        messages.info(request, "That question does not apply to this referral")
        return redirect("referrals:task_list", pk=draft.pk)
    returning_to_check = request.GET.get("return") == "check"
    version = draft.version
    if request.method == "POST":
        save_and_return = "save_and_return" in request.POST
        form = PageForm(
            request.POST,
            questionnaire=QUESTIONNAIRE,
            page=page,
            answers=draft.answers,
            require_answers=not save_and_return,
        )
        if "add_another" in request.POST:
            form.without_errors()
        elif form.is_valid():
            try:
                draft, no_longer_apply = draft_save_page(
                    draft_id=draft.pk,
                    actor=request.user,
                    page_slug=page.slug,
                    page_answers=form.page_answers,
                    expected_version=posted_version(request),
                )
            except DraftChangedElsewhere as conflict:
                changed_by = conflict.draft.last_changed_by
                form.add_error(
                    None,
                    f"{changed_by.full_name or 'Someone else'} changed this draft while you were editing this page. "
                    "Nothing was overwritten: check your answers below and save again.",
                )
                version = conflict.draft.version
            except DraftNotEditable as error:
                messages.info(request, str(error))
                return redirect("referrals:list")
            else:
                if no_longer_apply:
                    labels = "; ".join(question.short_label for question in no_longer_apply)
                    messages.info(
                        request, f"Because of that change, these answers no longer apply and will not be sent: {labels}"
                    )
                if save_and_return:
                    messages.success(request, "Your draft has been saved. You can come back to it at any time.")
                    return redirect("referrals:list")
                if returning_to_check:
                    return redirect("referrals:check", pk=draft.pk)
                following = next_page(section, page, draft.answers) or next_section_start(
                    QUESTIONNAIRE, section, draft.answers, selectors.visited_pages(draft)
                )
                if following is None:
                    return redirect("referrals:task_list", pk=draft.pk)
                return redirect("referrals:page", pk=draft.pk, slug=following.slug)
    else:
        form = PageForm(questionnaire=QUESTIONNAIRE, page=page, answers=draft.answers)
    pages = applicable_pages(section, draft.answers)
    position = pages.index(page) if page in pages else 0
    back_url = (
        reverse("referrals:check", kwargs={"pk": draft.pk})
        if returning_to_check
        else reverse("referrals:page", kwargs={"pk": draft.pk, "slug": pages[position - 1].slug})
        if position > 0
        else reverse("referrals:task_list", kwargs={"pk": draft.pk})
    )
    context = {"draft": draft, "section": section, "page": page, "form": form, "version": version, "back_url": back_url,
               "returning_to_check": returning_to_check}  # fmt: skip
    if page.slug == EVIDENCE_PAGE:
        context.update(evidence_page_context(request, draft))
        return render(request, "referrals/evidence_page.html", context)
    return render(request, "referrals/page.html", context)


@require_GET
@first_responder_only
@sent_drafts_lead_to_their_confirmation
def check_answers(request, pk: int):
    draft = own_draft(request, pk)
    from referrals.check import answer_summary

    visited = selectors.visited_pages(draft)
    return render(
        request,
        "referrals/check.html",
        {
            "draft": draft,
            "summary": answer_summary(QUESTIONNAIRE, draft.answers, change_url_for=draft.pk),
            "missing": missing_answers(QUESTIONNAIRE, draft.answers, visited),
            "route": route_of(draft.answers),
            # Listed under the evidence section with their descriptions, as the PDF copy lists them.
            "evidence_files": list(draft.evidence.order_by("uploaded_at", "pk")),
        },
    )


@require_http_methods(["GET", "POST"])
@first_responder_only
@sent_drafts_lead_to_their_confirmation
def delete(request, pk: int):
    draft = own_draft(request, pk)
    if request.method == "POST":
        draft_delete(draft_id=draft.pk, actor=request.user)
        messages.success(request, "The draft referral has been deleted")
        return redirect("referrals:list")
    return render(request, "referrals/delete.html", {"draft": draft})
