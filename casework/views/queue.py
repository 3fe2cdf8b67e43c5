"""The authority's queue (caseworkers and managers), "Get next case", and the manager's team page with bulk
assignment. Every read goes through casework.queue (scoped by `case_list_for`); every change through one service."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from casework.forms.queue import BulkAssignForm, QueueFilterForm
from casework.queue import (
    COUNT_CAP,
    TABS,
    TABS_BY_SLUG,
    assignable_staff_for,
    caseloads_for,
    queue_page,
    tab_counts,
)
from casework.selectors import case_list_for
from casework.services import CaseworkError, case_claim_next, cases_assign
from casework.waiting import caseworker_counted, manager_counted, waiting_for_caseworker, waiting_for_manager

# The most cases one "Assign selected to" may carry: a page holds 25, so more is a forged post.
MAX_CASES_PER_ASSIGNMENT = 100
# The tabs' cap as {{ count_cap|floatformat:"g" }} wrote it (that filter was a good part of the list's markup).
COUNT_CAP_TEXT = f"{COUNT_CAP:,}"
# What the queue's address may carry, kept when the team page's assignment form posts and comes back.
QUEUE_PARAMETERS = ("tab", "page", *QueueFilterForm.base_fields)


def _tab_hrefs(query: QueryDict) -> list[str]:
    """Each tab's link, as `{% querystring tab=slug page=None %}` writes it (the filters kept, the page not), made
    from one copy of the address's parameters rather than one for each tab."""
    params = query.copy()
    params.pop("page", None)
    hrefs = []
    for tab in TABS:
        params["tab"] = tab.slug
        hrefs.append(f"?{params.urlencode()}")
    return hrefs


def _queue_context(request, *, default_tab: str, now=None, also: dict | None = None) -> dict:
    """Everything the queue's include shows: tabs with their counts, the filters, one page of rows. `also`: other
    counts made in the tabs' query ("Waiting for you"), in `tab_counts` with the tabs'."""
    query = request.GET
    now = now or timezone.now()
    tab = TABS_BY_SLUG.get(query.get("tab", ""), TABS_BY_SLUG[default_tab])
    filter_form = QueueFilterForm(query)
    filters = filter_form.filters()
    counts = tab_counts(user=request.user, now=now, also=also)
    listing = queue_page(
        user=request.user,
        tab=tab,
        filters=filters,
        page_number=query.get("page"),
        now=now,
        tab_count=counts[tab.slug],
    )
    return {
        "authority": request.user.organisation,
        "tab": tab,
        "tabs": [
            {"tab": each, "count": counts[each.slug], "current": each is tab, "href": href}
            for each, href in zip(TABS, _tab_hrefs(query), strict=True)
        ],
        "filter_form": filter_form,
        "filtered": filters.narrowing,
        "listing": listing,
        "page": listing.page,
        "page_numbers": listing.page_numbers,
        "ellipsis": listing.page.paginator.ELLIPSIS,
        "count_cap": COUNT_CAP,
        "count_cap_text": COUNT_CAP_TEXT,
        "now": now,
        "tab_counts": counts,
    }


@require_GET
@role_required(Role.CASEWORKER, Role.MANAGER)
def queue(request):
    now = timezone.now()
    also = caseworker_counted(user=request.user, now=now)
    context = _queue_context(request, default_tab="mine", now=now, also=also)
    context["waiting"] = waiting_for_caseworker(user=request.user, now=now, tab_counts=context["tab_counts"])
    return render(request, "casework/queue.html", context)


def _team_page(request, form: BulkAssignForm | None = None):
    now = timezone.now()
    also = manager_counted(user=request.user, now=now)
    context = _queue_context(request, default_tab="unassigned", now=now, also=also)
    staff = assignable_staff_for(user=request.user)
    context["assign_form"] = form or BulkAssignForm(cases=case_list_for(user=request.user), staff=staff)
    context["selected"] = context["assign_form"].selected_ids()
    context["chosen"] = context["assign_form"].chosen()
    context["caseloads"] = caseloads_for(user=request.user)
    context["waiting"] = waiting_for_manager(user=request.user, now=now, tab_counts=context["tab_counts"])
    return render(request, "casework/team.html", context)


@require_GET
@role_required(Role.MANAGER)
def team(request):
    return _team_page(request)


def _team_url(request) -> str:
    """The team page showing the same tab, filters and page: the assignment form posts with them in its address."""
    query = QueryDict(mutable=True)
    for name, value in request.GET.items():
        if name in QUEUE_PARAMETERS and value:
            query[name] = value[:50]
    return f"{reverse('casework:team')}?{query.urlencode()}" if query else reverse("casework:team")


@require_POST
@role_required(Role.CASEWORKER, Role.MANAGER)
def claim_next(request):
    try:
        case = case_claim_next(actor=request.user)
    except CaseworkError as error:
        messages.error(request, str(error))
        return redirect("casework:queue")
    if case is None:
        messages.info(request, "There are no cases waiting")
        return redirect("casework:queue")
    messages.success(request, f"{case.reference} is now assigned to you")
    return redirect(case)


@require_http_methods(["GET", "POST"])
@role_required(Role.MANAGER)
def bulk_assign(request):
    if request.method == "GET":  # a link followed from the page shown after an error
        return redirect(_team_url(request))
    form = BulkAssignForm(
        request.POST, cases=case_list_for(user=request.user), staff=assignable_staff_for(user=request.user)
    )
    if form.is_valid() and len(form.cleaned_data["cases"]) > MAX_CASES_PER_ASSIGNMENT:
        form.add_error("cases", f"Select {MAX_CASES_PER_ASSIGNMENT} cases or fewer")
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            assigned = cases_assign(
                case_ids=[case.pk for case in form.cleaned_data["cases"]], actor=request.user, assignee=assignee
            )
        except CaseworkError as error:
            form.add_error(None, str(error))
        else:
            count = len(assigned)
            name = assignee.full_name or assignee.email
            messages.success(request, f"{count} case{'s' if count != 1 else ''} assigned to {name}")
            return redirect(_team_url(request))
    return _team_page(request, form)
