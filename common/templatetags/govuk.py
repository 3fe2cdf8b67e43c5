import threading

from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
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


# --- crispy markup kept for forms whose markup depends only on what they say it does -------------------------
_CRISPY = CrispyFormNode("form", None)
_MARKUP: dict[tuple, str] = {}
_MARKUP_LIMIT = 256
_MARKUP_LOCK = threading.Lock()


@register.simple_tag(takes_context=True)
def crispy_kept(context, form):
    """`{% crispy form %}`, its markup kept by `form.markup_key()`: a key of everything the markup depends on
    (the posted values, say), or None when it is not to be kept. crispy-forms-gds renders a handful of templates
    for each field, which was a large part of a page such as the case queue (its filters) or the case page (the
    note form); a form whose fields and choices are fixed in code renders the same markup for the same values."""
    key = form.markup_key() if hasattr(form, "markup_key") else None
    if key is not None:
        key = (type(form), key)
        markup = _MARKUP.get(key)
        if markup is not None:
            return markup
    with context.push(form=form):
        markup = _CRISPY.render(context)
    if key is not None:
        with _MARKUP_LOCK:
            if len(_MARKUP) >= _MARKUP_LIMIT:
                _MARKUP.pop(next(iter(_MARKUP)))  # the oldest
            _MARKUP[key] = markup
    return markup
