"""The sign-in, code and sign-up pages' forms: allauth's, in GOV.UK wording (labels, hints, one message per error,
"Enter your email address", "Enter the code from your email"). Named in settings (ACCOUNT_FORMS, MFA_FORMS);
the messages allauth raises itself (a wrong code, a wrong password) are the adapters' (accounts.adapters)."""

from __future__ import annotations

from allauth.account.forms import (
    ConfirmEmailVerificationCodeForm,
    ConfirmLoginCodeForm,
    ReauthenticateForm,
    RequestLoginCodeForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
)
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as MfaReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.core.exceptions import ValidationError

from accounts.forms import FirstResponderSignupForm, PasswordLoginForm
from common.govuk_forms import EMAIL_FORMAT_MESSAGE, GovukWordingMixin

YOUR_EMAIL = {"required": "Enter your email address", "invalid": EMAIL_FORMAT_MESSAGE}
EMAILED_CODE = {"required": "Enter the code from your email"}
EMAILED_CODE_HINT = "The code is in the email we sent you, for example ABC-DEF"
AUTHENTICATOR_CODE = {"required": "Enter the code from your authenticator app"}
AUTHENTICATOR_CODE_HINT = "The 6-digit code your app shows now, or one of your recovery codes"
SAME_PASSWORD_TWICE = "Enter the same password in both boxes"  # noqa: S105 - a message


class SignInForm(GovukWordingMixin, PasswordLoginForm):
    labels = {"login": "Email address", "password": "Password"}
    hints = {"password": ""}  # the reset link is on the page, not in the field's hint
    messages = {"login": YOUR_EMAIL, "password": {"required": "Enter your password"}}

    def clean(self):
        # A wrong password or a lockout is the form's error in allauth; GOV.UK shows it by the first field too.
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("login", error)
            return self.cleaned_data


class SignUpForm(GovukWordingMixin, FirstResponderSignupForm):
    labels = {"full_name": "Full name", "email": "Work email address"}
    messages = {
        "full_name": {"required": "Enter your full name", "max_length": "Full name must be 150 characters or fewer"},
        "email": {"required": "Enter your work email address", "invalid": EMAIL_FORMAT_MESSAGE},
    }


class LoginCodeRequestForm(GovukWordingMixin, RequestLoginCodeForm):
    labels = {"email": "Email address"}
    hints = {"email": "The work email address you use for this service"}
    messages = {"email": YOUR_EMAIL}


class LoginCodeConfirmForm(GovukWordingMixin, ConfirmLoginCodeForm):
    labels = {"code": "Code"}
    hints = {"code": EMAILED_CODE_HINT}
    messages = {"code": EMAILED_CODE}


class EmailVerificationCodeForm(GovukWordingMixin, ConfirmEmailVerificationCodeForm):
    labels = {"code": "Code"}
    hints = {"code": EMAILED_CODE_HINT}
    messages = {"code": EMAILED_CODE}


class PasswordResetRequestForm(GovukWordingMixin, ResetPasswordForm):
    labels = {"email": "Email address"}
    hints = {"email": "The email address you sign in with"}
    messages = {"email": YOUR_EMAIL}


class PasswordResetSetForm(GovukWordingMixin, ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Confirm your new password"}
    messages = {
        "password1": {"required": "Enter a new password"},
        "password2": {"required": "Enter your new password again"},
    }

    def clean(self):
        cleaned = super().clean()
        typed = self.data.get("password2")
        if self.errors.get("password2") and typed and typed != self.data.get("password1"):
            self.errors["password2"] = self.error_class([SAME_PASSWORD_TWICE])  # allauth's "You must type the same…"
        return cleaned


class PasswordReauthenticateForm(GovukWordingMixin, ReauthenticateForm):
    labels = {"password": "Password"}
    hints = {"password": ""}
    messages = {"password": {"required": "Enter your password"}}


class AuthenticatorCodeForm(GovukWordingMixin, AuthenticateForm):
    labels = {"code": "Code from your authenticator app"}
    hints = {"code": AUTHENTICATOR_CODE_HINT}
    messages = {"code": AUTHENTICATOR_CODE}


class AuthenticatorReauthenticateForm(GovukWordingMixin, MfaReauthenticateForm):
    labels = {"code": "Code from your authenticator app"}
    hints = {"code": AUTHENTICATOR_CODE_HINT}
    messages = {"code": AUTHENTICATOR_CODE}


class AuthenticatorActivateForm(GovukWordingMixin, ActivateTOTPForm):
    labels = {"code": "Code from your authenticator app"}
    hints = {"code": "The 6-digit code your app shows once you have added the account"}
    messages = {"code": AUTHENTICATOR_CODE}
