import hashlib

from allauth.mfa.models import Authenticator
from allauth.usersessions.middleware import UserSessionsMiddleware
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

# When the session's expiry and allauth's "last seen" were last moved on (a Unix time), and a digest of the
# address and browser they were recorded for. Kept in the session itself, so deciding costs no query.
ACTIVITY_AT_KEY = "nrm_activity_at"
ACTIVITY_CLIENT_KEY = "nrm_activity_client"


def _client_digest(request) -> str:
    """A short digest of the client's address and browser: not the address itself (never personal data in a
    session's payload that allauth's own row does not already hold), but enough to notice that either changed."""
    client = f"{request.META.get('REMOTE_ADDR', '')}|{request.META.get('HTTP_USER_AGENT', '')}"
    return hashlib.sha256(client.encode()).hexdigest()[:16]


def activity_refresh_due(request) -> bool:
    """Whether this signed-in request moves the session's idle expiry and allauth's "last seen" on: when they
    were last moved SESSION_ACTIVITY_REFRESH_SECONDS (a minute) ago or more, or the client's address or browser
    changed (allauth records that at once and signals it). Otherwise a GET writes nothing to the database: the
    session is saved only when something in it changed. Worked out once a request."""
    due = getattr(request, "_nrm_activity_refresh_due", None)
    if due is None:
        session = request.session
        last = session.get(ACTIVITY_AT_KEY)
        now = timezone.now().timestamp()
        due = (
            not isinstance(last, int | float)
            or not 0 <= now - last < settings.SESSION_ACTIVITY_REFRESH_SECONDS
            or session.get(ACTIVITY_CLIENT_KEY) != _client_digest(request)
        )
        request._nrm_activity_refresh_due = due
    return due


class ThrottledUserSessionsMiddleware(UserSessionsMiddleware):
    """allauth's user-session tracking (the "Your sessions" page's address, browser and last seen), written at
    most once a minute a session instead of on every request: see activity_refresh_due."""

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            hasattr(request, "session")
            and request.session.session_key
            and user is not None
            and user.is_authenticated
            and not activity_refresh_due(request)
        ):
            return self.get_response(request)
        return super().__call__(request)


class IdleSessionTimeoutMiddleware:
    """Staff sessions end after 30 minutes without a request; first responders' after longer (their drafts
    are saved on every page).

    The expiry is moved on (the session saved) at most once a minute (SESSION_ACTIVITY_REFRESH_SECONDS), so a
    plain GET writes nothing: a session ends between its idle time less that minute and its idle time after the
    last request, never later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and activity_refresh_due(request):
            idle = (
                settings.STAFF_IDLE_TIMEOUT_SECONDS
                if user.is_staff_role
                else settings.FIRST_RESPONDER_IDLE_TIMEOUT_SECONDS
            )
            request.session.set_expiry(idle)
            request.session[ACTIVITY_AT_KEY] = int(timezone.now().timestamp())
            request.session[ACTIVITY_CLIENT_KEY] = _client_digest(request)
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
