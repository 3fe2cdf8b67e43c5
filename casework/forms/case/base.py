"""What the case action forms share: rendering inside the page's own <form> (which carries the CSRF token and the
case's version), GOV.UK error summary links, the service's refusal shown as an error, the GOV.UK date input, and
a file input that takes several files."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.functional import cached_property

from casework.models import Case
from casework.services import CaseworkError


class CaseForm(forms.Form):
    """A form about one case. Subclasses declare `layout_fields()`; radios whose choices reveal more questions
    (ConditionalRadios, numbered from 0) are listed in `conditional_radios`."""

    conditional_radios: frozenset[str] = frozenset()

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    @cached_property
    def helper(self) -> FormHelper:
        # Built when first used, not in __init__: a subclass's __init__ may still drop a field after ours
        # (a layout naming a dropped field makes crispy log a warning with a traceback on every render).
        helper = FormHelper()
        helper.form_tag = False  # the page's template writes the <form>, its token and the version
        helper.render_hidden_fields = True
        helper.layout = Layout(*self.layout_fields())
        return helper

    def layout_fields(self) -> list:
        return list(self.fields)

    def add_service_error(self, error: CaseworkError) -> None:
        """The service's refusal, against the field it names (else the form), so the error summary says why."""
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error))

    def _anchor(self, name: str, message: str) -> str:
        bound = self[name]
        widget = bound.field.widget
        if name in self.conditional_radios:
            return f"{bound.auto_id}_0"
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{bound.auto_id}_1"
        if isinstance(bound.field, forms.MultiValueField):
            for index, part in enumerate(bound.field.fields):
                if message in getattr(part.widget, "errors", []):
                    return f"{bound.auto_id}_{index}"
            return f"{bound.auto_id}_0"
        return bound.auto_id

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the GOV.UK error summary: each message links to the input it is about; a
        refusal of the whole form links to its first question."""
        if not self.is_bound or not self.errors:
            return []
        visible = [field.name for field in self.visible_fields()]
        top = self._anchor(visible[0], "") if visible else "main-content"
        links = [(top, str(message)) for message in self.non_field_errors()]
        for field in self.hidden_fields():  # a forged hidden value: said at the top
            links += [(top, str(message)) for message in field.errors]
        for name in visible:
            links += [(self._anchor(name, str(message)), str(message)) for message in self.errors.get(name, [])]
        return links


def date_input(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend("m")})


def file_input(name: str) -> Field:
    return Field(name, context={"label_size": Size.for_label("m")})


class DayMonthYearField(DateInputField):
    """The GOV.UK date input with the Design System's messages, naming the date ("Decision date must include a
    month")."""

    def __init__(self, *, name: str, **kwargs):
        self.date_name = name
        super().__init__(require_all_fields=False, **kwargs)
        self.error_messages["required"] = self.error_messages["incomplete"] = f"Enter the {name.lower()}"
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = f"{name} must include a {part}"
            pattern = r"^[0-9]{4}$" if part == "year" else r"^[0-9]{1,2}$"
            message = "Year must include 4 numbers" if part == "year" else f"{name} must be a real date"
            field.validators = [RegexValidator(pattern, message)]

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.date_name} must be a real date", code="invalid") from None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"class": "govuk-file-upload", **(attrs or {})})


class MultipleFileField(forms.FileField):
    """Any number of files from one file input (Django's FileField takes one): a list, empty when none."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = data if isinstance(data, list | tuple) else [data] if data else []
        single = super().clean
        return [single(item, initial) for item in uploaded if item]


def files_again_hint(form: forms.Form, field: str, request_files) -> None:
    """Browsers never keep chosen files when a page comes back with errors: say so beside the input."""
    if form.is_bound and form.errors and request_files.getlist(field):
        hint = f"{form.fields[field].help_text} Select the files again: they were not kept because of the problem."
        form.fields[field].help_text = form[field].help_text = hint.strip()  # the bound field keeps its own copy
    if form.is_bound and field in form.errors:
        form.fields[field].widget.attrs["class"] += " govuk-file-upload--error"
