from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages

from accounts.membership import MembershipError, membership_request_create
from accounts.models import MembershipRequest
from accounts.roles import Role
from accounts.services import user_sync_role_group

UNKNOWN_DOMAIN_MESSAGE = (
    "You can only create an account with the work email address of a registered first responder "
    "organisation. If your organisation is a first responder, ask its single point of contact to register "
    "its email domain."
)


class AccountAdapter(DefaultAccountAdapter):
    """Only first responders sign up, and only with an allowed work email; staff are created by admins."""

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
