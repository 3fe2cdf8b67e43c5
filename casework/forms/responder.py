"""Forms of the referring organisation's and the support provider's side of a case: answering a request for
information, and asking for reconsideration of a negative decision.

Every rule is the service's; the forms check what they can up front (the files too) so that every problem is
reported at once, and the service checks again under its lock. The hidden `version` is not a form field: the
views read it with `common.numbers.posted_version`, so that a forged or unreadable one counts as stale and is
refused (4xx).
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import format_html

from casework.models import Decision, InformationRequest, Reconsideration
from casework.services.information import MAX_FILES_PER_UPLOAD
from common.downloads import EvidenceRejected, evidence_check_file, evidence_display_name
from referrals.models import ReferralPolicy

ANSWER_MAX_LENGTH = InformationRequest._meta.get_field("answer").max_length
DETAILS_MAX_LENGTH = Reconsideration._meta.get_field("details").max_length
EXCEPTIONAL_MAX_LENGTH = Reconsideration._meta.get_field("exceptional_circumstances").max_length
FILE_ERROR_CLASS = "govuk-file-upload--error"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked by content like referral evidence; none is fine."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)  # an empty file gets evidence_check_file's own message
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("class", "govuk-file-upload")

    def clean(self, data, initial=None):
        single_clean = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        files = [cleaned for cleaned in (single_clean(upload, initial) for upload in uploads if upload) if cleaned]
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(f"Select up to {MAX_FILES_PER_UPLOAD} files")
        max_megabytes = ReferralPolicy.current().max_evidence_megabytes if files else 0
        problems = []
        for uploaded in files:
            try:
                evidence_check_file(uploaded, max_megabytes=max_megabytes)
            except EvidenceRejected as rejected:
                name = evidence_display_name(uploaded.name)
                problems.append(ValidationError(f"{rejected.message} ({name})"))
        if problems:
            raise ValidationError(problems)
        return files


class FilesFormMixin:
    """Marks the file input as in error, whichever way the error arrived (the field's check or the service's):
    crispy-forms-gds does that only for Django's own file widgets."""

    def add_error(self, field, error):
        super().add_error(field, error)
        if "files" in self.errors:
            widget = self.fields["files"].widget
            classes = widget.attrs.get("class", "").split()
            if FILE_ERROR_CLASS not in classes:
                widget.attrs["class"] = " ".join([*classes, FILE_ERROR_CLASS])

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: each message linked to its field's first input."""
        first_field = next(iter(self.fields))
        links = [(self[first_field].auto_id, error) for error in self.non_field_errors()]
        for name, field in self.fields.items():
            anchor = f"{self[name].auto_id}_1" if isinstance(field.widget, forms.CheckboxSelectMultiple) else None
            links.extend((anchor or self[name].auto_id, error) for error in self.errors.get(name, []))
        return links


def files_hint(megabytes: int) -> str:
    return (
        f"PDF, DOC, DOCX, JPG or PNG, up to {megabytes} MB each. You can select up to {MAX_FILES_PER_UPLOAD} "
        "files at once."
    )


class InformationAnswerForm(FilesFormMixin, forms.Form):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=ANSWER_MAX_LENGTH,
        error_messages={
            "required": "Enter your answer",
            "max_length": f"Your answer must be {ANSWER_MAX_LENGTH:,} characters or fewer",
        },
    )
    files = MultipleFileField(label="Attach files (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_hint(ReferralPolicy.current().max_evidence_megabytes)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("answer", label_size=Size.MEDIUM, rows=8),
            Field("files", context={"label_size": Size.for_label(Size.SMALL)}),
            Submit("send", "Send your answer"),
        )


class ReconsiderationRequestForm(FilesFormMixin, forms.Form):
    grounds = forms.MultipleChoiceField(
        label="Why should the decision be reconsidered?",
        help_text="Select all that apply.",
        choices=Reconsideration.Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the grounds for reconsideration",
            "invalid_choice": "Select the grounds for reconsideration from the list",
        },
    )
    details = forms.CharField(
        label="Explain why the decision should be reconsidered",
        help_text="Describe any new evidence, or which part of the statutory guidance was not followed and how.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=DETAILS_MAX_LENGTH,
        error_messages={
            "required": "Enter why the decision should be reconsidered",
            "max_length": f"The explanation must be {DETAILS_MAX_LENGTH:,} characters or fewer",
        },
    )
    exceptional_circumstances = forms.CharField(
        label="Exceptional circumstances for asking after the last date",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=EXCEPTIONAL_MAX_LENGTH,
        error_messages={
            "max_length": f"The exceptional circumstances must be {EXCEPTIONAL_MAX_LENGTH:,} characters or fewer"
        },
    )
    files = MultipleFileField(label="Attach new evidence (optional)")

    def __init__(self, *args, decision: Decision, is_late: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_late = is_late
        self.fields["files"].help_text = files_hint(ReferralPolicy.current().max_evidence_megabytes)
        last_date = date_format(decision.reconsideration_deadline, "j F Y") if decision.reconsideration_deadline else ""
        layout = [
            Field.checkboxes("grounds", legend_size=Size.MEDIUM),
            Field.textarea("details", label_size=Size.MEDIUM, rows=8),
        ]
        if is_late:
            # Only asked for when it is needed: the page is rendered knowing the date, so this works without
            # JavaScript (and a request sent just after midnight of the last day comes back with the field).
            self.fields["exceptional_circumstances"].required = True
            self.fields["exceptional_circumstances"].error_messages["required"] = (
                f"The time to ask ended on {last_date}: enter the exceptional circumstances for asking now"
            )
            self.fields["exceptional_circumstances"].help_text = format_html(
                "Explain what they are, and why the request could not be made by {}.", last_date
            )
            layout.append(Field.textarea("exceptional_circumstances", label_size=Size.MEDIUM, rows=5))
        else:
            del self.fields["exceptional_circumstances"]
        layout += [
            Field("files", context={"label_size": Size.for_label(Size.MEDIUM)}),
            Submit("send", "Ask for reconsideration"),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)

    @property
    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "grounds": data["grounds"],
            "details": data["details"],
            "exceptional_circumstances": data.get("exceptional_circumstances", ""),
            "uploaded_files": data["files"],
        }
