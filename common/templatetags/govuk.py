from crispy_forms.helper import FormHelper
from django import template

register = template.Library()


@register.filter
def without_placeholders(form):
    """GOV.UK forms use labels and hints, never placeholder text (allauth's forms carry some)."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
    return form


@register.inclusion_tag("gds/layout/error_summary.html")
def form_error_summary(form):
    """crispy-forms-gds's error summary, for forms (such as allauth's) that carry no crispy helper."""
    if not hasattr(form, "helper"):
        form.helper = FormHelper()
    return {"form": form}


@register.simple_tag
def code_expiry_minutes(purpose: str) -> int:
    """How long allauth's emailed code lasts, in minutes ("login" or "email_verification"), for the page to say."""
    from allauth.account import app_settings

    seconds = (
        app_settings.LOGIN_BY_CODE_TIMEOUT if purpose == "login" else app_settings.EMAIL_VERIFICATION_BY_CODE_TIMEOUT
    )
    return max(seconds // 60, 1)
