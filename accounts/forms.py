from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import ReadOnlyPasswordHashField, ReadOnlyPasswordHashWidget, UserChangeForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError

from accounts import selectors
from accounts.adapters import UNKNOWN_DOMAIN_MESSAGE
from accounts.models import User
from accounts.roles import Role


class PasswordLoginForm(LoginForm):
    """Email and password. First responders sign up without a password and sign in by emailed code, which
    makes allauth drop the password field from its login form; staff sign in with a password, so keep it."""

    def _setup_password_field(self) -> None:
        # GOV.UK: labels, not placeholders; the reset link is on the page, not in the field's hint.
        self.fields["login"].label = "Email address"
        self.fields["password"].label = "Password"
        self.fields["password"].help_text = ""


class FirstResponderSignupForm(SignupForm):
    """Sign-up for first responders: a work email of a registered first responder organisation.

    When the email's domain belongs to an organisation, the user joins that organisation and no other, as a
    verified member. When it is only on the service's allow-list (a council's .gov.uk address, say), the user asks
    to join the organisation they select: until one of its administrators approves, they see only their own work.
    """

    full_name = forms.CharField(label="Full name", max_length=150)
    organisation = forms.ModelChoiceField(
        label="Your organisation",
        help_text=(
            "Leave blank if your email address is your organisation's own. Otherwise, someone at the "
            "organisation will need to approve your request before you can see its referrals"
        ),
        queryset=selectors.first_responder_organisations(),
        required=False,
        empty_label="Select your organisation",
        widget=forms.Select(attrs={"data-module": "app-autocomplete"}),
        error_messages={"invalid_choice": "Select a first responder organisation from the list"},
    )
    field_order = ["full_name", "email", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email address"
        self.fields["email"].help_text = "The address your organisation gave you, not a personal one"

    def clean_email(self) -> str:
        email = super().clean_email()
        if not selectors.first_responder_email_allowed(email):
            raise ValidationError(UNKNOWN_DOMAIN_MESSAGE, code="unknown_domain")
        return email

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if not email:
            return cleaned
        owner = selectors.first_responder_organisation_for_domain(selectors.email_domain(email))
        chosen = cleaned.get("organisation")
        if owner and chosen and chosen != owner:
            # An address of one organisation never joins another, not even by asking.
            self.add_error("organisation", f"Your email address belongs to {owner}: select {owner} or leave blank")
        elif owner:
            cleaned["organisation"] = owner
        elif not chosen:
            self.add_error("organisation", "Select the first responder organisation you work for")
        # Verified at once only through the organisation's own domain; anyone else asks and waits.
        cleaned["organisation_verified"] = owner is not None
        return cleaned


class MembershipRequestForm(forms.Form):
    """An unverified first responder asks (again) to join an organisation."""

    organisation = forms.ModelChoiceField(
        label="Which organisation do you work for?",
        help_text="One of its administrators will be asked to approve your request",
        queryset=selectors.first_responder_organisations(),
        empty_label="Select your organisation",
        error_messages={
            "required": "Select the first responder organisation you work for",
            "invalid_choice": "Select a first responder organisation from the list",
        },
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].initial = user.organisation_id

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        owner = selectors.first_responder_organisation_for_domain(selectors.email_domain(self.user.email))
        if owner and organisation != owner:
            raise forms.ValidationError(f"Your email address belongs to {owner}: select {owner}")
        return organisation


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (Role.FIRST_RESPONDER, "Member"),
            (Role.ORGANISATION_ADMIN, "Administrator"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select member or administrator",
            "invalid_choice": "Select member or administrator",
        },
    )
    expected_role = forms.CharField(widget=forms.HiddenInput, required=False, max_length=30)


class OrganisationSettingsForm(forms.Form):
    require_mfa = forms.BooleanField(
        label="Require an authenticator app",
        help_text="Members must set up an authenticator app and give its code each time they sign in",
        required=False,
    )


class AdminUserCreationForm(forms.ModelForm):
    """Django admin's "Invite a user" form: no password. Staff are emailed an invitation to choose their own;
    first responders sign in with an emailed code (accounts.services.user_invite)."""

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "organisation"]

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("There is already an account with this email address")
        return email


class InvitationLinkWidget(ReadOnlyPasswordHashWidget):
    """The change form's password: whether one is set, and a button to send a new invitation (nobody sets a
    password for someone else)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        usable = bool(value) and not value.startswith(UNUSABLE_PASSWORD_PREFIX)
        context["summary"] = [{"label": "A password is set" if usable else "No password set"}]
        context["password_url"] = "../invite/"  # noqa: S105 - a page's address, not a password
        context["button_label"] = "Send a new invitation"
        return context


class AdminUserChangeForm(UserChangeForm):
    password = ReadOnlyPasswordHashField(
        label="Password",
        widget=InvitationLinkWidget,
        help_text="Staff choose their own password from an emailed invitation; first responders have none (they "
        "sign in with an emailed code).",
    )


class InvitationPasswordForm(forms.Form):
    """The invited person chooses their password (twice), checked by the service's password validators."""

    password1 = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few unrelated words together are easy to remember and hard to guess",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password", "max_length": "Password must be 128 characters or fewer"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again", "max_length": "Enter the same password again"},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        if "\x00" in password:
            raise ValidationError("Password must not contain special characters that cannot be typed")
        try:
            password_validation.validate_password(password, self.user)
        except ValidationError as refusal:
            raise ValidationError([_password_message(error) for error in refusal.error_list]) from None
        return password

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second is not None and first != second:
            self.add_error("password2", "Passwords do not match: enter the same password twice")
        return cleaned


def _password_message(error: ValidationError) -> str:
    """Django's validators' messages, in GOV.UK's words."""
    words = {
        "password_too_short": "Password must be 12 characters or more",
        "password_too_common": "Password is too easy to guess: choose a less common one",
        "password_entirely_numeric": "Password must include letters, not only numbers",
        "password_too_similar": "Password must not be like your name or email address",
    }
    return words.get(error.code, " ".join(error.messages))
