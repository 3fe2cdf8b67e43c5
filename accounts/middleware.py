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


def mfa_required_for(user) -> bool:
    """Staff outside demo mode; first responders when the service (NRM_REQUIRE_FIRST_RESPONDER_MFA) or their
    organisation (Organisation.require_mfa) says so."""
    if user.is_staff_role:
        return settings.NRM_REQUIRE_STAFF_MFA
    if settings.NRM_REQUIRE_FIRST_RESPONDER_MFA:
        return True
    return user.organisation_id is not None and user.organisation.require_mfa


class StaffMfaRequiredMiddleware:
    """Whoever must use an authenticator app (mfa_required_for: staff outside demo mode, and first responders
    when the service or their organisation requires it) sets one up before they can use the service. Once they
    have one, allauth asks for its code at every sign-in, after the password or the emailed code."""

    SESSION_KEY = "nrm_staff_mfa_ok"
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/help/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.staff_mfa_setup_pending = False
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(self.SESSION_KEY)
            and mfa_required_for(user)
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session[self.SESSION_KEY] = True
            else:
                # Pages may say so (the MFA pages offer "Sign out" rather than a way back that leads here).
                request.staff_mfa_setup_pending = True
                if not request.path.startswith(self.ALLOWED_PREFIXES):
                    who = "staff accounts need one" if user.is_staff_role else "your organisation requires one"
                    messages.info(request, f"Set up an authenticator app to continue: {who}")
                    return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
