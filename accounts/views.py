from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import InvitationPasswordForm
from accounts.models import Invitation
from accounts.roles import LANDING_PAGES, Role
from accounts.services import InvitationUnusable, invitation_accept, invitation_check, with_article


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


# What an unusable invitation link's page says (heading, paragraph), by InvitationUnusable's reason.
UNUSABLE_INVITATION = {
    InvitationUnusable.UNKNOWN: (
        "This link does not work",
        "Check that you copied the whole link from the email. If it still does not work, ask the administrator "
        "who invited you to send a new invitation.",
    ),
    InvitationUnusable.USED: (
        "This invitation has already been used",
        "You have already created your password. Sign in with your email address and password.",
    ),
    InvitationUnusable.REPLACED: (
        "This invitation has been replaced",
        "A newer invitation was sent to you. Use the link in the most recent email.",
    ),
    InvitationUnusable.EXPIRED: (
        "This invitation has expired",
        "Invitations can only be used for a few days. Ask the administrator who invited you to send a new one.",
    ),
    InvitationUnusable.INACTIVE: (
        "This invitation cannot be used",
        "Your account has been closed. Ask the administrator who invited you if you think this is wrong.",
    ),
}


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """An invited member of staff chooses their password, is signed in, and sets up their authenticator app."""
    found = Invitation.for_token(token)
    try:
        invitation_check(found)
    except InvitationUnusable as unusable:
        heading, explanation = UNUSABLE_INVITATION[unusable.reason]
        status = 404 if unusable.reason == InvitationUnusable.UNKNOWN else 410
        context = {"heading": heading, "explanation": explanation, "show_sign_in": unusable.reason != "unknown"}
        return render(request, "accounts/invitation_unusable.html", context, status=status)
    form = InvitationPasswordForm(request.POST or None, user=found.user)
    if form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except InvitationUnusable:
            return redirect("invitation", token=token)  # used or replaced meanwhile: that page says which
        except ValidationError as refusal:
            form.add_error("password1", refusal)
        else:
            return _sign_in_after_invitation(request, user)
    error_links = [
        (f"id_{name}", str(message)) for name in ("password1", "password2") for message in form.errors.get(name, [])
    ]
    return render(
        request,
        "accounts/invitation.html",
        {
            "form": form,
            "invited": found.user,
            "role": with_article(Role(found.user.role).label.lower()),
            "error_links": error_links,
        },
        status=400 if form.errors else 200,
    )


def _sign_in_after_invitation(request, user):
    """Signed in through allauth (its stages: someone who already has an authenticator gives its code), then on to
    setting up the authenticator app when they have none."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        messages.success(request, "Your new password is set")
        return perform_login(request, user, email=user.email, redirect_url=reverse("home"))
    messages.success(request, "Your password is set. Now set up your authenticator app")
    response = perform_login(request, user, email=user.email, redirect_url=reverse("mfa_activate_totp"))
    # As allauth's own password sign-in does: the password just chosen counts as a recent sign-in, so setting up
    # the authenticator does not ask for it again at once.
    record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
    return response
