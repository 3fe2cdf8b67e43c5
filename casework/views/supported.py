"""PLACEHOLDER: being written."""

from django.http import Http404

from accounts.permissions import role_required
from accounts.roles import Role


@role_required(Role.SUPPORT_PROVIDER)
def supported(request, *args, **kwargs):
    from django.shortcuts import render

    return render(request, "casework/supported.html", {"provider": request.user.organisation})


def supported_case(request, *args, **kwargs):
    raise Http404


def request_reconsideration(request, *args, **kwargs):
    raise Http404
