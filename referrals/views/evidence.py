"""Evidence files on a draft: the list and upload form of the evidence page, upload, remove, download.

Uploading is a form of its own (above the page's question form: forms cannot nest). A refused upload re-renders
the whole evidence page with the errors, the typed description kept and the saved answers shown."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from common.downloads import describe_size, evidence_check_file, not_downloadable, upload_download
from common.evidence_types import evidence_type_for
from referrals import selectors, services
from referrals.models import Draft, EvidenceFile, ReferralPolicy
from referrals.page_forms import PageForm
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import applicable_pages
from referrals.services import EvidenceRejected, evidence_add
from referrals.services.drafts import DraftNotEditable
from referrals.services.evidence import evidence_check_description

first_responder_only = role_required(Role.FIRST_RESPONDER)
EVIDENCE_PAGE = "evidence"  # the question page that also lists, uploads and removes files


class EvidenceUploadForm(forms.Form):
    """One file and its description. Every rule is the service's (evidence_check_*), run here as well so that
    a refused file and a missing description are reported together."""

    evidence_file = forms.FileField(required=False, allow_empty_file=True)
    evidence_description = forms.CharField(required=False, strip=True)

    def __init__(self, *args, policy: ReferralPolicy, **kwargs):
        self.policy = policy
        super().__init__(*args, **kwargs)

    def clean_evidence_file(self):
        uploaded_file = self.cleaned_data.get("evidence_file") or None
        try:
            evidence_check_file(uploaded_file, max_megabytes=self.policy.max_evidence_megabytes)
        except EvidenceRejected as rejected:
            raise ValidationError(rejected.message) from None
        return uploaded_file

    def clean_evidence_description(self):
        try:
            return evidence_check_description(self.cleaned_data.get("evidence_description", ""))
        except EvidenceRejected as rejected:
            raise ValidationError(rejected.message) from None

    def error_links(self) -> list[tuple[str, str]]:
        links = [("evidence_file", error) for error in self.non_field_errors()]
        for name in ("evidence_file", "evidence_description"):
            links.extend((name, error) for error in self.errors.get(name, []))
        return links


def evidence_page_context(request, draft: Draft, *, upload_form: EvidenceUploadForm | None = None) -> dict:
    """What the evidence page shows besides its question: the files, the limit and the upload form."""
    policy = ReferralPolicy.current()
    files = list(draft.evidence.all())
    returning_to_check = request.GET.get("return") == "check"
    upload_url = reverse("referrals:evidence_upload", kwargs={"pk": draft.pk})
    return {
        "evidence_files": files,
        "evidence_count": len(files),
        "evidence_limit": policy.max_evidence_files,
        "evidence_megabytes": policy.max_evidence_megabytes,
        "can_add_evidence": len(files) < policy.max_evidence_files,
        "upload_form": upload_form or EvidenceUploadForm(policy=policy),
        "upload_url": f"{upload_url}?return=check" if returning_to_check else upload_url,
        "returning_to_check": returning_to_check,
    }


def _evidence_page_url(request, draft: Draft) -> str:
    url = reverse("referrals:page", kwargs={"pk": draft.pk, "slug": EVIDENCE_PAGE})
    return f"{url}?return=check" if request.GET.get("return") == "check" else url


def _evidence_page_applies(draft: Draft) -> bool:
    section, page = QUESTIONNAIRE.page(EVIDENCE_PAGE)
    return section.applies(draft.answers) and page.applies(draft.answers)


def _render_evidence_page(request, draft: Draft, upload_form: EvidenceUploadForm):
    """The evidence page as question_page shows it, with this upload form (and its errors)."""
    section, page = QUESTIONNAIRE.page(EVIDENCE_PAGE)
    pages = applicable_pages(section, draft.answers)
    position = pages.index(page) if page in pages else 0
    if request.GET.get("return") == "check":
        back_url = reverse("referrals:check", kwargs={"pk": draft.pk})
    elif position > 0:
        back_url = reverse("referrals:page", kwargs={"pk": draft.pk, "slug": pages[position - 1].slug})
    else:
        back_url = reverse("referrals:task_list", kwargs={"pk": draft.pk})
    context = {
        "draft": draft,
        "section": section,
        "page": page,
        "form": PageForm(questionnaire=QUESTIONNAIRE, page=page, answers=draft.answers),
        "version": draft.version,
        "back_url": back_url,
    }
    context.update(evidence_page_context(request, draft, upload_form=upload_form))
    return render(request, "referrals/evidence_page.html", context)


@require_POST
@first_responder_only
def evidence_upload(request, pk: int):
    draft = get_object_or_404(selectors.drafts_for(user=request.user), pk=pk)
    if not _evidence_page_applies(draft):
        messages.info(request, "That question does not apply to this referral")
        return redirect("referrals:task_list", pk=draft.pk)
    form = EvidenceUploadForm(request.POST, request.FILES, policy=ReferralPolicy.current())
    if form.is_valid():
        try:
            evidence_add(
                draft_id=draft.pk,
                actor=request.user,
                uploaded_file=form.cleaned_data["evidence_file"],
                description=form.cleaned_data["evidence_description"],
            )
        except EvidenceRejected as rejected:
            form.add_error(rejected.field, rejected.message)
        except DraftNotEditable as error:
            messages.info(request, str(error))
            return redirect("referrals:list")
        except Draft.DoesNotExist:
            raise Http404 from None  # deleted since the page was opened
        else:
            # No file name in the message: messages travel in a cookie, and names can be personal.
            messages.success(request, "Your file has been uploaded")
            return redirect(_evidence_page_url(request, draft))
    return _render_evidence_page(request, draft, form)


@require_http_methods(["GET", "POST"])
@first_responder_only
def evidence_remove(request, pk: int, file_id: int):
    # drafts_for holds drafts only: the evidence of a sent referral is part of it and cannot be removed.
    draft = get_object_or_404(selectors.drafts_for(user=request.user), pk=pk)
    evidence = get_object_or_404(draft.evidence.all(), pk=file_id)
    back_url = _evidence_page_url(request, draft)
    if request.method == "POST":
        try:
            services.evidence_remove(evidence_id=evidence.pk, actor=request.user)
        except DraftNotEditable as error:
            messages.info(request, str(error))
            return redirect("referrals:list")
        except EvidenceFile.DoesNotExist:
            pass  # removed a moment ago (another tab, a colleague): the outcome asked for
        messages.success(request, "The file has been removed")
        return redirect(back_url)
    evidence_type = evidence_type_for(evidence.content_type)
    return render(
        request,
        "referrals/evidence_remove.html",
        {
            "draft": draft,
            "evidence": evidence,
            "type_label": evidence_type.label if evidence_type else "File",
            "size_label": describe_size(evidence.size),
            "back_url": back_url,
        },
    )


@require_GET
@role_required(Role.FIRST_RESPONDER, Role.CASEWORKER, Role.MANAGER)
def evidence_download(request, file_id: int):
    evidence = get_object_or_404(selectors.evidence_files_for(user=request.user), pk=file_id)
    if not evidence.is_downloadable:
        return not_downloadable(request, evidence)
    return upload_download(evidence)
