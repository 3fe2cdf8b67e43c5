"""What a Slavery Safeguarding Lead sees of the panels: the meetings they are invited to (when, where, which
panel), never a panel's agenda or cases, which are the panel's."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from panels.scope import invitations_of


@require_GET
@login_required
def invitations(request):
    meetings = invitations_of(request.user)
    now = timezone.now()
    context = {
        "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at", "pk"),
        "past": meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:20],
    }
    return render(request, "panels/invitations.html", context)
