from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from accounts.roles import Role


@require_GET
@role_required(Role.FIRST_RESPONDER)
def referral_list(request):
    return render(request, "referrals/list.html", {"organisation": request.user.organisation})
