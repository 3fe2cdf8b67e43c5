"""The organisation's referrals and a referral's own page. (Being built.)"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from referrals.views.drafts import first_responder_only


@require_GET
@first_responder_only
def referral_list(request):
    return render(request, "referrals/list.html", {"organisation": request.user.organisation})


def referral_detail(request, reference: str):
    raise Http404
