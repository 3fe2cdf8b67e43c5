"""The partnership coordinator's forms: the period of the area's figures, and the local pathway."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from partners.models import PathwayContact

YEARS_OFFERED = 5


class ErrorLinks:
    @property
    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: each message linked to its field."""
        links = []
        for name, errors in self.errors.items():
            field = self[name] if name in self.fields else self[next(iter(self.fields))]
            anchor = f"{field.auto_id}_1" if isinstance(field.field.widget, forms.RadioSelect) else field.auto_id
            links += [(anchor, message) for message in errors]
        return links


class AreaFiguresForm(ErrorLinks, forms.Form):
    """A GET form: the year is in the address (no personal data)."""

    year = forms.TypedChoiceField(
        label="Year", coerce=int, error_messages={"invalid_choice": "Select a year from the list"}
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in range(today.year, today.year - YEARS_OFFERED, -1)]
        self.fields["year"].initial = today.year


class PathwayIntroductionForm(ErrorLinks, forms.Form):
    introduction = forms.CharField(
        label="What first responders should know locally",
        help_text="For example: call the local authority's children's services before referring a child; who to "
        "ask for advice. Shown to your member organisations' first responders when they start a referral.",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "The text must be 3,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("introduction", label_size=Size.MEDIUM, max_characters=3000),
            Submit("save", "Save"),
        )


class PathwayContactForm(ErrorLinks, forms.ModelForm):
    class Meta:
        model = PathwayContact
        fields = ["kind", "name", "organisation", "phone", "email", "notes"]
        labels = {
            "kind": "Type of contact",
            "name": "Name",
            "organisation": "Organisation or team (optional)",
            "phone": "Telephone (optional)",
            "email": "Email address (optional)",
            "notes": "When to contact them (optional)",
        }
        help_texts = {
            "name": "A person's name or a team's name",
            "notes": "For example: office hours, out of hours number, languages",
        }
        widgets = {"kind": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "kind": {"required": "Select the type of contact"},
            "name": {"required": "Enter a name", "max_length": "The name must be 200 characters or fewer"},
            "organisation": {"max_length": "The organisation must be 200 characters or fewer"},
            "phone": {"max_length": "The telephone number must be 40 characters or fewer"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.org"},
            "notes": {"max_length": "The notes must be 1,000 characters or fewer"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PathwayContact.Kind.choices
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("name"),
            Field.text("organisation"),
            Field.text("phone", field_width=20),
            Field.text("email", field_width=30),
            Field.textarea("notes"),
            Submit("save", "Save contact"),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("phone") or cleaned.get("email")):
            self.add_error("phone", "Enter a telephone number or an email address")
        return cleaned
