import threading

from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


# Kept markup is shared by every user, so it is rendered from the form alone, with this in place of the CSRF token;
# each page puts its own request's token there (or takes the input out when it has none).
_TOKEN_SLOT = "nrm-kept-markup-csrf-token"  # noqa: S105 - a placeholder, not a secret
_TOKEN_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_TOKEN_SLOT}">'


@register.simple_tag(takes_context=True)
def crispy_kept(context, form):
    """`{% crispy form %}`, its markup kept by `form.markup_key()`: a key of everything the markup depends on
    (the posted values, say), or None when it is not to be kept. crispy-forms-gds renders a handful of templates
    for each field, which was a large part of a page such as the case queue (its filters) or the case page (the
    note form); a form whose fields and choices are fixed in code renders the same markup for the same values.
    Nothing of the request or the user is in kept markup: it is rendered from the form alone, and the page's own
    CSRF token is put in its place each time."""
    key = form.markup_key() if hasattr(form, "markup_key") else None
    if key is None:
        with context.push(form=form):
            return _CRISPY.render(context)
    key = (type(form), key)
    markup = _MARKUP.get(key)
    if markup is None:
        markup = _CRISPY.render(template.Context({"form": form, "csrf_token": _TOKEN_SLOT}))
        with _MARKUP_LOCK:
            if len(_MARKUP) >= _MARKUP_LIMIT:
                _MARKUP.pop(next(iter(_MARKUP)))  # the oldest
            _MARKUP[key] = markup
    token = context.get("csrf_token")
    if token and str(token) != "NOTPROVIDED":
        own = f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(str(token))}">'
        return mark_safe(markup.replace(_TOKEN_INPUT, own))  # noqa: S308 - kept crispy markup, an escaped token
    # No token (no request): as crispy writes it then, without the input or the space after it.
    return mark_safe(markup.replace(_TOKEN_INPUT + " ", "").replace(_TOKEN_INPUT, ""))  # noqa: S308
    with context.push(form=form):
        markup = _CRISPY.render(context)
    if key is not None:
        with _MARKUP_LOCK:
            if len(_MARKUP) >= _MARKUP_LIMIT:
                _MARKUP.pop(next(iter(_MARKUP)))  # the oldest
            _MARKUP[key] = markup
    return markup
