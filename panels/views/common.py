"""What the panel pages share: who reaches them, and the one shape of every form page."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role
from casework.errors import CaseworkError, StaleCase
from common.numbers import posted_version

panel_people = role_required(Role.PANEL_CHAIR, Role.PANEL_MEMBER)
PER_PAGE = 50
# The service's field names that the forms call otherwise.
FIELD_NAMES = {"starts_at": "day"}


def posted(request):
    return request.POST if request.method == "POST" else None


def show_error(form, error: CaseworkError) -> None:
    field = getattr(error, "field", None)
    field = FIELD_NAMES.get(field, field)
    form.add_error(field if field in form.fields else None, str(error))


def form_page(
    request,
    form,
    *,
    template: str,
    context: dict,
    version: int,
    perform: Callable[[dict, int], object],
    success: str,
    done_url: str | Callable[[object], str],
    refresh_version: Callable[[], int] | None = None,
):
    """GET: the form. POST: the form checked, then `perform(cleaned_data, posted version)` (one service call),
    then back to `done_url` with a banner. A refusal is shown in the error summary, against its field; a stale
    post gets a 409 and the row's new version, so a second press (after checking) goes through."""
    status = 200
    if request.method == "POST":
        version = posted_version(request)
        if form.is_valid():
            try:
                result = perform(form.cleaned_data, version)
            except CaseworkError as error:
                show_error(form, error)
                if isinstance(error, StaleCase):
                    status = 409
                    if refresh_version is not None:
                        version = refresh_version()
            else:
                messages.success(request, success)
                return redirect(done_url(result) if callable(done_url) else done_url)
    page = {**context, "form": form, "version": version, "error_links": form.error_links()}
    return render(request, template, page, status=status)
