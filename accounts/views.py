from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.roles import LANDING_PAGES


@require_GET
def home(request):
    """Signed-in users go to their own work; anyone else sees the start page."""
    if request.user.is_authenticated:
        return redirect(LANDING_PAGES[request.user.role])
    return render(request, "accounts/start.html")


@require_GET
@login_required
def account(request):
    has_totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    return render(request, "accounts/account.html", {"has_totp": has_totp})
