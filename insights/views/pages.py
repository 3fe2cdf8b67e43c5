"""The statistics pages: the landing page (headline figures for this year and every table the viewer may see) and
a table's page (the filter form, the chart, the table as published or tidy, its definition and downloads).
Figures only: nothing here ever shows a person."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from insights import periods
from insights.categories import NATIONS
from insights.charts import chart_svg
from insights.figures import Filters, facts, table_grid
from insights.forms import StatisticsFilterForm
from insights.models import Refresh, SuppressionPolicy
from insights.scope import Viewer, statistics_viewer
from insights.tables import TABLES_BY_KEY

DOWNLOAD_FORMATS = (
    ("csv", "CSV (comma-separated values)"),
    ("xlsx", "Microsoft Excel (XLSX)"),
    ("ods", "OpenDocument spreadsheet (ODS), as the Home Office publishes"),
)

# Where each headline figure is broken down.
HEADLINE_TABLES = {
    "referrals": "referrals-by-age-and-location",
    "duty-to-notify": "duty-to-notify-by-quarter",
    "rg-decisions": "reasonable-grounds-decisions",
    "cg-decisions": "conclusive-grounds-decisions",
    "awaiting-cg": "awaiting-conclusive-grounds",
}


@require_GET
@login_required
def statistics(request):
    viewer = statistics_viewer(request.user)
    period = periods.calendar_year(timezone.localdate().year)
    filters = Filters(period=period, authority_id=viewer.authority_id)
    groups = [(group, list(tables)) for group, tables in groupby(viewer.tables, key=lambda table: table.group)]
    return render(
        request,
        "insights/statistics.html",
        {
            "viewer": viewer,
            "period": period,
            "headlines": _headlines(viewer, filters),
            "groups": groups,
            "refresh": Refresh.objects.first(),
        },
    )


@require_GET
@login_required
def table(request, key):
    viewer = statistics_viewer(request.user)
    statistics_table = viewer.table(key)
    form = StatisticsFilterForm(request.GET, viewer=viewer)
    filters = form.filters()
    grid = chart = policy = None
    if filters is not None:
        grid = table_grid(statistics_table, filters)
        policy = SuppressionPolicy.current()
        if policy.on_screen:
            grid.suppress(policy.threshold)
        if not grid.is_empty:
            # Our own SVG (insights.charts escapes every label).
            chart = mark_safe(chart_svg(statistics_table, grid, filters.period.label))  # noqa: S308
    return render(
        request,
        "insights/table.html",
        {
            "viewer": viewer,
            "table": statistics_table,
            "form": form,
            "filters": filters,
            "grid": grid,
            "layout": form.layout_choice,
            "chart": chart,
            "suppressed_on_screen": bool(policy and policy.on_screen),
            "threshold": policy.threshold if policy else None,
            "refresh": Refresh.objects.first(),
            "download_formats": DOWNLOAD_FORMATS,
            "nation_label": NATIONS.get(filters.nation, "") if filters else "",
        },
    )


def _rate(positive: int, total: int) -> str:
    return f"{round(100 * positive / total)}%" if total else ""


def _headlines(viewer: Viewer, filters: Filters) -> list[dict]:
    """This year's headline figures, counted as their tables count them (through the same `facts`)."""
    headlines = [
        {
            "name": "referrals",
            "label": "NRM referrals",
            "value": facts(TABLES_BY_KEY["referrals-by-age-and-location"], filters).count(),
        }
    ]
    if viewer.is_analyst:
        headlines.append(
            {
                "name": "duty-to-notify",
                "label": "Duty to Notify reports",
                "value": facts(TABLES_BY_KEY["duty-to-notify-by-quarter"], filters).count(),
            }
        )
    decisions = facts(TABLES_BY_KEY["decisions-by-competent-authority"], filters).aggregate(
        rg=Count("pk", filter=Q(stage="rg")),
        rg_positive=Count("pk", filter=Q(stage="rg", outcome="positive")),
        cg=Count("pk", filter=Q(stage="cg")),
        cg_positive=Count("pk", filter=Q(stage="cg", outcome="positive")),
    )
    for stage, label in (("rg", "Reasonable grounds decisions"), ("cg", "Conclusive grounds decisions")):
        rate = _rate(decisions[f"{stage}_positive"], decisions[stage])
        headlines.append(
            {
                "name": f"{stage}-decisions",
                "label": label,
                "value": decisions[stage],
                "detail": f"{rate} positive" if rate else "",
            }
        )
    today = timezone.localdate()
    awaiting = table_grid(
        TABLES_BY_KEY["awaiting-conclusive-grounds"],
        Filters(period=periods.custom(today, today), authority_id=filters.authority_id),
    )
    total_column = next(i for i, column in enumerate(awaiting.columns) if column.title == "Total")
    headlines.append(
        {
            "name": "awaiting-cg",
            "label": "Cases awaiting a conclusive grounds decision now",
            "value": awaiting.rows[0].cells[total_column].value if awaiting.rows else 0,
        }
    )
    for headline in headlines:
        headline["table"] = HEADLINE_TABLES[headline["name"]]
        headline["shown"] = f"{headline['value']:,}"
    return headlines
