"""The authority manager's operational dashboard (today's figures of their authority, each linking to the queue)
and the service's own measures for its owner (analysts). Figures only: never a person the cases are about."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from insights.operations import operations_dashboard
from insights.scope import analyst_viewer, manager_viewer
from insights.service_measures import PERIODS, period_named, service_measures


@require_GET
@login_required
def operations(request):
    viewer = manager_viewer(request.user)
    return render(request, "insights/operations.html", {"dashboard": operations_dashboard(viewer)})


@require_GET
@login_required
def service_performance(request):
    analyst_viewer(request.user)
    period = period_named(request.GET.get("period"))
    return render(
        request,
        "insights/service_performance.html",
        {"measures": service_measures(period), "periods": PERIODS},
    )
