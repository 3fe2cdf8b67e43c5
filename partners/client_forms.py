"""The organisation administrator's form for a new partner API client."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from partners.models import ApiClient
from partners.scopes import Scope

NAME_MAX_LENGTH = ApiClient._meta.get_field("name").max_length


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label="Name of the client",
        help_text="So that you can tell your clients apart, for example: Our case management system.",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter a name for the client",
            "max_length": f"The name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    scopes = forms.MultipleChoiceField(
        label="What may the client do?",
        help_text="Select all that apply. Give it only what its system needs.",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select what the client may do",
            "invalid_choice": "Select what the client may do from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name", label_size=Size.MEDIUM, field_width=20),
            Field.checkboxes("scopes", legend_size=Size.MEDIUM),
            Submit("create", "Create client"),
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the client")
        return name

    @property
    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: each message linked to its field's first input."""
        links = [(self["name"].auto_id, error) for error in self.non_field_errors()]
        links += [(self["name"].auto_id, error) for error in self.errors.get("name", [])]
        links += [(f"{self['scopes'].auto_id}_1", error) for error in self.errors.get("scopes", [])]
        return links
