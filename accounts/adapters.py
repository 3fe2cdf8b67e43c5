from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib import messages

from accounts.membership import MembershipError, membership_request_create
from accounts.models import MembershipRequest
from accounts.roles import Role
from accounts.services import API_CLIENT_EMAIL_DOMAIN, user_sync_role_group

UNKNOWN_DOMAIN_MESSAGE = (
    "You can only create an account with the work email address of a registered first responder "
    "organisation. If your organisation is a first responder, ask its single point of contact to register "
    "its email domain."
)


class AccountAdapter(DefaultAccountAdapter):
    """Only first responders sign up, and only with an allowed work email; staff are created by admins."""

    # The messages allauth's forms raise themselves, in GOV.UK wording (the fields' own: accounts.sign_in_forms).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account has been closed. Ask your organisation's administrator to reopen it",
        "email_password_mismatch": "The email address or password you entered is not correct",
        "incorrect_code": (
            "The code you entered is not correct, or it has expired. Check the email we sent you, or ask for a new code"
        ),
        "incorrect_password": "The password you entered is not correct",
        "invalid_or_expired_key": "The link has expired or has already been used: ask for a new one",
        "invalid_password_reset": "The link has expired or has already been used: ask for a new one",
        "too_many_login_attempts": (
            "You have tried to sign in too many times. Wait "
            f"{max(settings.LOGIN_LOCKOUT_SECONDS // 60, 1)} minutes, then try again"
        ),
        "rate_limited": "You have asked too many times. Wait a minute, then try again",
        "unverified_primary_email": "Confirm your email address first: we have emailed you a code",
    }

    def clean_email(self, email: str) -> str:
        # Every allauth form's address goes through here (password reset too), so the first responder domain
        # rule is not: it is the sign-up form's (accounts.forms), and staff can reset their passwords.
        return super().clean_email(email).strip().lower()

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = Role.FIRST_RESPONDER
        user.full_name = form.cleaned_data.get("full_name", "")
        user.organisation = form.cleaned_data["organisation"]
        user.organisation_verified = form.cleaned_data.get("organisation_verified", False)
        user.set_unusable_password()  # first responders sign in with an emailed code
        if commit:
            user.save()
            user_sync_role_group(user=user)
        return user

    def send_mail(self, template_prefix, email, context):
        """Nothing is sent to a partner API client's service user (its address is under a reserved domain): a
        sign-in code asked for it would reach no one and could not be used."""
        if email.lower().endswith(f"@{API_CLIENT_EMAIL_DOMAIN}"):
            return None
        return super().send_mail(template_prefix, email, context)

    def pre_login(self, request, user, **kwargs):
        """A partner API client's service user never signs in to a page, whichever way (an emailed code does not
        come through the backends): it is refused as a closed account is."""
        if user.role == Role.API_CLIENT:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)

    def confirm_email(self, request, email_address) -> bool:
        """Once a new first responder has proved the address, a request to join goes to the approvers of the
        organisation they selected (not before: an unproved address must not reach anyone's inbox)."""
        confirmed = super().confirm_email(request, email_address)
        user = email_address.user
        if (
            confirmed
            and user.is_first_responder
            and not user.organisation_verified
            and user.organisation_id is not None
            and not MembershipRequest.objects.filter(user=user).exists()
        ):
            try:
                membership_request_create(user=user, organisation=user.organisation)
            except MembershipError:
                return confirmed
            messages.info(
                request,
                f"We have asked {user.organisation} to approve your request to join. Until then you can start and "
                "send referrals, and see only your own.",
            )
        return confirmed


class MfaAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code you entered is not correct. Enter the code your authenticator app shows now",
    }
