from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class IdleSessionTimeoutMiddleware:
    """Staff sessions end after 30 minutes without a request; first responders' after longer (their drafts
    are saved on every page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            idle = (
                settings.STAFF_IDLE_TIMEOUT_SECONDS
                if user.is_staff_role
                else settings.FIRST_RESPONDER_IDLE_TIMEOUT_SECONDS
            )
            request.session.set_expiry(idle)
        return self.get_response(request)


class StaffMfaRequiredMiddleware:
    """Outside demo mode, staff must set up an authenticator app before they can use the service."""

    SESSION_KEY = "nrm_staff_mfa_ok"
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/help/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.staff_mfa_setup_pending = False
        if (
            settings.NRM_REQUIRE_STAFF_MFA
            and user is not None
            and user.is_authenticated
            and user.is_staff_role
            and not request.session.get(self.SESSION_KEY)
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session[self.SESSION_KEY] = True
            else:
                # Pages may say so (the MFA pages offer "Sign out" rather than a way back that leads here).
                request.staff_mfa_setup_pending = True
                if not request.path.startswith(self.ALLOWED_PREFIXES):
                    messages.info(request, "Set up an authenticator app to continue: staff accounts need one")
                    return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
