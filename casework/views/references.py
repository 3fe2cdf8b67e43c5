"""A reference opened from a notification: the page of that case or referral that the user's role has, or a 404
when it is not theirs to see (the notification list links here, so it need not know who sees what)."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.roles import AUTHORITY_ROLES, Role
from casework.selectors import case_list_for, cases_supported_by
from casework.selectors.named import cases_naming_organisation_of
from referrals.selectors import referrals_for


@require_GET
def open_reference(request, reference: str):
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if user.role in AUTHORITY_ROLES and case_list_for(user=user).filter(reference=reference).exists():
        return redirect("casework:case", reference)
    if user.is_first_responder and referrals_for(user=user).filter(reference=reference).exists():
        return redirect("referrals:detail", reference)
    if user.role == Role.SUPPORT_PROVIDER and cases_supported_by(user=user).filter(reference=reference).exists():
        return redirect("casework:supported_case", reference)
    # The police force or local authority a referral names is told of its decisions and suspension.
    if cases_naming_organisation_of(user=user).filter(reference=reference).exists():
        return redirect("casework:named_case", reference)
    raise Http404
