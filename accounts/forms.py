from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from accounts import selectors
from accounts.models import User


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

    When the email's domain belongs to one organisation, that is the user's organisation; when it is only on
    the service's allow-list (a council's .gov.uk address, say), the user says which organisation they work for.
    """

    full_name = forms.CharField(label="Full name", max_length=150)
    organisation = forms.ModelChoiceField(
        label="Your organisation",
        help_text="Leave blank if your email address belongs to your organisation already",
        queryset=selectors.first_responder_organisations(),
        required=False,
        empty_label="Select your organisation",
        widget=forms.Select(attrs={"data-module": "app-autocomplete"}),
    )
    field_order = ["full_name", "email", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email address"
        self.fields["email"].help_text = "The address your organisation gave you, not a personal one"

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if not email:
            return cleaned
        owner = selectors.first_responder_organisation_for_domain(selectors.email_domain(email))
        chosen = cleaned.get("organisation")
        if owner and chosen and chosen != owner:
            self.add_error("organisation", f"Your email address belongs to {owner}: select {owner} or leave blank")
        elif owner:
            cleaned["organisation"] = owner
        elif not chosen:
            self.add_error("organisation", "Select the first responder organisation you work for")
        return cleaned


class AdminUserCreationForm(BaseUserCreationForm):
    """Django admin's add-user form, for a user identified by email."""

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "organisation"]
