"""The partnership coordinator's pages (issue 14, section 3)."""

from django.shortcuts import render

from accounts.permissions import role_required
from accounts.roles import Role


@role_required(Role.PARTNERSHIP_COORDINATOR)
def partnership_home(request):
    return render(request, "partners/partnership_home.html", {})
