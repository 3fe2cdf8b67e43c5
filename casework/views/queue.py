"""PLACEHOLDER: being written."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from accounts.roles import Role


@require_GET
@role_required(Role.CASEWORKER, Role.MANAGER)
def queue(request):
    return render(request, "casework/queue.html", {"authority": request.user.organisation})


@require_GET
@role_required(Role.MANAGER)
def team(request):
    return render(request, "casework/team.html", {"authority": request.user.organisation})


def claim_next(request, *args, **kwargs):
    raise Http404


def bulk_assign(request, *args, **kwargs):
    raise Http404
