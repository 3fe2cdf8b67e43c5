from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.validators import RegexValidator

from privacy.services.subject_access import normalise_reference

# A referral's or case's reference: NRM-2026-004217, DTN-2026-000123.
REFERENCE_PATTERN = r"^[A-Z]{2,5}-\d{4}-\d{1,10}$"


class SubjectAccessForm(forms.Form):
    reference = forms.CharField(
        label="Referral or case reference",
        help_text="For example, NRM-2026-004217 or DTN-2026-000123",
        max_length=40,
        error_messages={"required": "Enter the referral or case reference"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("reference", field_width=20))

    def clean_reference(self) -> str:
        reference = normalise_reference(self.cleaned_data["reference"])
        RegexValidator(REFERENCE_PATTERN, "Enter a reference like NRM-2026-004217")(reference)
        return reference

    def error_links(self) -> list[tuple[str, str]]:
        return [(self[name].auto_id, message) for name, messages in self.errors.items() for message in messages]
