from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from accounts.roles import Role


@require_GET
@role_required(Role.PANEL_CHAIR, Role.PANEL_MEMBER)
def reviews(request):
    return render(request, "panels/reviews.html", {"panel_body": request.user.organisation})
