"""The panel dashboard and the panel record PDF: reads only, each from a selector scoped to the user (a 404
outside it). The record names the person's case, so each download is written to the access log."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from accounts.roles import Role
from casework.models import AccessLogEntry
from casework.services import access_log_record
from common.downloads import private_download
from panels.dashboard import PERIODS, panel_dashboard_for, period_named
from panels.records import panel_record_case_for, panel_record_filename, panel_record_pdf

READERS = (Role.PANEL_CHAIR, Role.PANEL_MEMBER, Role.MANAGER)


@require_GET
@role_required(*READERS)
def dashboard(request):
    period = period_named(request.GET.get("period"))
    board = panel_dashboard_for(user=request.user, period=period)
    if board is None:
        raise Http404
    return render(request, "panels/dashboard.html", {"board": board, "periods": PERIODS})


@require_GET
@role_required(*READERS)
def record_pdf(request, pk: int):
    panel_case = panel_record_case_for(user=request.user, pk=pk)
    content = panel_record_pdf(panel_case)
    access_log_record(user=request.user, case=panel_case.case, what=AccessLogEntry.What.PANEL_RECORD)
    return private_download(content, filename=panel_record_filename(panel_case), content_type="application/pdf")
