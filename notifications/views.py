from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from notifications import services
from notifications.selectors import notification_link, notifications_for

PER_PAGE = 25


@require_GET
@login_required
def notification_list(request):
    page = Paginator(notifications_for(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.link = notification_link(notification=notification, user=request.user)
    context = {
        "page": page,
        "notifications": page.object_list,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
    }
    return render(request, "notifications/list.html", context)


@require_POST
@login_required
def notification_mark_read(request, pk):
    notification = get_object_or_404(notifications_for(user=request.user), pk=pk)
    services.notification_mark_read(notification_id=notification.pk, user=request.user)
    return redirect(_list_url(request.POST.get("page")))


@require_POST
@login_required
def notifications_mark_all_read(request):
    if services.notifications_mark_all_read(user=request.user):
        messages.success(request, "All your notifications are marked as read")
    return redirect(_list_url(request.POST.get("page")))


def _list_url(page: str | None) -> str:
    """Back to the page of the list the button was on (only a page number is carried through)."""
    url = reverse("notifications:list")
    if page and page.isascii() and page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return url
