"""The reviews in tabs, the review page, a notification's link, and the downloads of the case's files."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from casework.models import AccessLogEntry
from casework.services import access_log_record
from common.downloads import not_downloadable, upload_download
from panels import selectors
from panels.scope import memberships_of
from panels.views.common import PER_PAGE, panel_people


@require_GET
@panel_people
def reviews(request):
    tab = selectors.tab_named(request.GET.get("tab"))
    listing = selectors.review_list_for(user=request.user, tab=tab)
    page = Paginator(listing.keys, PER_PAGE).get_page(request.GET.get("page"))
    cases = selectors.review_rows_for(user=request.user, tab=tab, keys=list(page.object_list))
    context = {
        "waiting": selectors.waiting_for_panel_user(listing),
        "tab": tab,
        "tabs": [{"tab": item, "count": listing.counts[item.slug], "current": item == tab} for item in selectors.TABS],
        "rows": [selectors.review_row(panel_case) for panel_case in cases],
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "panels": [membership.panel for membership in memberships_of(request.user)],
        "chairs": bool(selectors.chaired_panels(user=request.user)),
    }
    return render(request, "panels/reviews.html", context)


@require_GET
@panel_people
def case(request, pk: int):
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    access_log_record(user=request.user, case=panel_case.case, what=AccessLogEntry.What.PANEL_REVIEW)
    page = selectors.review_page_for(user=request.user, panel_case=panel_case)
    return render(request, "panels/case.html", {"panel_case": panel_case, "case": panel_case.case, "page": page})


@require_GET
@panel_people
def open_reference(request, reference: str):
    """A notification's link: the user's open panel case of that reference, else their latest one; else 404."""
    return redirect("panels:case", selectors.open_panel_case_for(user=request.user, reference=reference).pk)


@require_GET
@panel_people
def evidence(request, pk: int, file_id: int):
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    evidence_file = selectors.evidence_file_of(panel_case=panel_case, file_id=file_id)
    if not evidence_file.is_downloadable:
        return not_downloadable(request, evidence_file)
    response = upload_download(evidence_file)
    access_log_record(user=request.user, case=panel_case.case, what=AccessLogEntry.What.FILE)
    return response


@require_GET
@panel_people
def case_file(request, pk: int, file_id: int):
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    case_file = selectors.case_file_of(panel_case=panel_case, file_id=file_id)
    if not case_file.is_downloadable:
        return not_downloadable(request, case_file)
    response = upload_download(case_file)
    access_log_record(user=request.user, case=panel_case.case, what=AccessLogEntry.What.FILE)
    return response
