"""Downloads: a statistics table as CSV, XLSX or ODS (analysts and authority managers, the filters of its page), and
the de-identified research extract (analysts only). Each download leaves the service, so each is suppressed as
the policy says and written to the export log (who, what, when, with which filters)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.downloads import private_download
from insights.exports import FORMATS, table_file
from insights.extract import HEADERS, extract_file
from insights.figures import table_grid
from insights.forms import StatisticsFilterForm
from insights.models import Refresh, SuppressionPolicy
from insights.scope import analyst_viewer, statistics_viewer
from insights.services import export_record

FORMAT_NAMES = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("ods", "OpenDocument spreadsheet (ODS)"))


def _invalid(form: StatisticsFilterForm) -> HttpResponse:
    messages = "; ".join(message for _, message in form.error_links())
    return HttpResponseBadRequest(
        f"The filters are not valid: {messages}. Go back to the table and correct them.",
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@login_required
def export(request, key, file_format):
    viewer = statistics_viewer(request.user)
    table = viewer.table(key)
    if file_format not in FORMATS:
        raise Http404
    form = StatisticsFilterForm(request.GET, viewer=viewer)
    filters = form.filters()
    if filters is None:
        return _invalid(form)
    grid = table_grid(table, filters)
    policy = SuppressionPolicy.current()
    threshold = policy.threshold if policy.in_exports and policy.threshold > 1 else None
    if threshold:
        grid.suppress(threshold)
    layout = form.layout_choice if file_format == "csv" else "published"
    content, content_type, filename = table_file(
        table, grid, filters, file_format, layout=layout, threshold=threshold, refresh=Refresh.objects.first()
    )
    export_record(
        user=request.user,
        what=table.key,
        file_format=file_format,
        filters={**filters.as_dict(), "layout": layout},
        suppressed=threshold is not None,
        rows=len(grid.tidy) if layout == "tidy" else len(grid.rows),
    )
    return private_download(content, filename=filename, content_type=content_type)


@require_GET
@login_required
def extract(request):
    viewer = analyst_viewer(request.user)
    form = StatisticsFilterForm(request.GET, viewer=viewer)
    filters = form.filters()
    return render(
        request,
        "insights/extract.html",
        {
            "viewer": viewer,
            "form": form,
            "filters": filters,
            "formats": FORMAT_NAMES,
            "columns": HEADERS,
            "threshold": SuppressionPolicy.current().threshold,
            "refresh": Refresh.objects.first(),
        },
    )


@require_GET
@login_required
def extract_download(request, file_format):
    viewer = analyst_viewer(request.user)
    if file_format not in FORMATS:
        raise Http404
    form = StatisticsFilterForm(request.GET, viewer=viewer)
    filters = form.filters()
    if filters is None:
        return _invalid(form)
    # Record-level data: always suppressed, whatever the policy says of the tables' exports.
    threshold = SuppressionPolicy.current().threshold
    content, content_type, filename, extract_rows = extract_file(filters, file_format, threshold=threshold)
    export_record(
        user=request.user,
        what="research-extract",
        file_format=file_format,
        filters={
            **filters.as_dict(),
            "threshold": threshold,
            "recoded": extract_rows.recoded,
            "dropped": extract_rows.dropped,
        },
        suppressed=threshold > 1,
        rows=len(extract_rows.rows),
    )
    return private_download(content, filename=filename, content_type=content_type)
