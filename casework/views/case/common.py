"""What the case pages share: the case read through the user's scope (else 404), the version the page was opened
at, and the one shape of every action page: GET shows the form, POST validates it and calls one service, a
refusal is shown in the error summary with what was typed kept, success goes back to the case with a banner."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import AUTHORITY_ROLES
from casework.errors import AlreadyDone
from casework.forms.case import CaseForm, files_again_hint
from casework.models import Case
from casework.offers import why_not
from casework.selectors import case_list_for
from casework.services import CaseworkError, StaleCase
from common.numbers import posted_version

STAFF = tuple(sorted(AUTHORITY_ROLES))  # who reaches a case page at all; casework.rules says what they may do


def staff_case(request, reference: str, *related: str) -> Case:
    """The case, if the user's authority decides it; otherwise 404, as if it did not exist."""
    cases = case_list_for(user=request.user).select_related("referral", "merged_into", *related)
    return get_object_or_404(cases, reference=reference)


def posted(request):
    """The form's data on a POST, None on a GET (an empty POST is still a POST, checked and refused)."""
    return request.POST if request.method == "POST" else None


def refuse_if_not_allowed(request, case: Case, name: str, what: str):
    """A GET of a move the case does not allow now: back to the case page, saying why, rather than a form that
    would be refused once filled in. (A POST always reaches the service, which says why itself.)"""
    reason = why_not(
        name,
        case,
        request.user,
        decisions=list(case.decisions.all()),
        reconsiderations=list(case.reconsiderations.all()),
    )
    if not reason:
        return None
    messages.info(request, f"You cannot {what} now: {reason}")
    return redirect(case)


def action_page(
    request,
    case: Case,
    form: CaseForm,
    *,
    template: str,
    title: str,
    perform: Callable[[dict, int], object],
    success: str | Callable[[object], str],
    submit: str,
    context: dict | None = None,
    gate: tuple[str, str] | None = None,
    redirect_to: str | None = None,
    check: Callable[[dict, int], object] | None = None,
):
    """GET: the form. POST: the form checked, then `perform(cleaned_data, expected_version)` (one service call).
    A CaseworkError is shown against its field, or at the top: 409 when the case changed meanwhile (the form then
    carries the case's new version, so a second press, after checking, goes through). `redirect_to`: where success
    leads when the case page will no longer be the user's (a case transferred to the other authority).
    `check(cleaned_data, version)`: a check page before the service is called (GOV.UK "check answers"): a valid
    post shows what it returns, and only a post with `confirm` from that page performs; a post with `change` shows
    the form again with the answers it carried."""
    if gate and request.method == "GET" and (refused := refuse_if_not_allowed(request, case, *gate)):
        return refused
    status = 200
    version = case.version
    if request.method == "POST":
        version = posted_version(request)
        changing = check is not None and "change" in request.POST
        if not changing and form.is_valid():
            try:
                if check is not None and "confirm" not in request.POST:
                    return check(form.cleaned_data, version)
                result = perform(form.cleaned_data, version)
            except AlreadyDone as error:  # their own double post: the page of what they did, saying so
                messages.info(request, str(error))
                return redirect(redirect_to or case.get_absolute_url())
            except CaseworkError as error:
                form.add_service_error(error)
                if isinstance(error, StaleCase):
                    status = 409
                    case.refresh_from_db()
                    version = case.version
            else:
                messages.success(request, success(result) if callable(success) else success)
                return redirect(redirect_to or case.get_absolute_url())
        if "files" in form.fields:
            files_again_hint(form, "files", request.FILES)
    page = {
        "case": case,
        "form": form,
        "title": title,
        "submit": submit,
        "version": version,
        "error_links": form.error_links(),
        "multipart": any(field == "files" for field in form.fields),
        **(context or {}),
    }
    return render(request, template, page, status=status)
