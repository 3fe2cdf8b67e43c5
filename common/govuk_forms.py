"""GOV.UK wording for forms we do not write ourselves (django-allauth's): labels, hints and error messages.

A form declares, per field, the label, the hint and the message for each error code, in the GOV.UK Design System's
style ("Enter your email address", "Enter the code from your email"), never Django's "This field is required.".
Rendered with templates/includes/govuk_fields.html (or allauth's `{% element fields %}`), which puts each message
by its field; the page's error summary (`{% form_error_summary form %}`) links each message to its field.
"""

from __future__ import annotations

from collections.abc import Mapping

EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


class GovukWordingMixin:
    """Set `labels`, `hints` and `messages` ({field: {error code: message}}) on the form class."""

    labels: Mapping[str, str] = {}
    hints: Mapping[str, str] = {}
    messages: Mapping[str, Mapping[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.hints:
                field.help_text = self.hints[name]
            field.error_messages = {**field.error_messages, **self.messages.get(name, {})}
            field.widget.attrs.pop("placeholder", None)  # GOV.UK forms use labels and hints, never placeholders
