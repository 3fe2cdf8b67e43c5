"""Forms of the support provider's records: each a date and, where the record needs one, codes from a list (never
free text about the person). The services check the dates against the case (casework.services.support)."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from casework.forms.case.base import CaseForm, DayMonthYearField, date_input
from casework.models import Policy, RecoveryNeed, SupportEndReason, SupportExtensionReason


def _example() -> str:
    today = timezone.localdate()
    return f"For example, {today.day} {today.month} {today.year}"


class SupportStartForm(CaseForm):
    started_on = DayMonthYearField(name="Date support started", label="When did support start?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].help_text = _example()

    def layout_fields(self) -> list:
        return [date_input("started_on")]


class RnaForm(CaseForm):
    completed_on = DayMonthYearField(name="Date of the assessment", label="When was the assessment completed?")
    needs = forms.MultipleChoiceField(
        label="What needs did the assessment find?",
        help_text="Select all that apply. Do not record what happened to the person here.",
        widget=forms.CheckboxSelectMultiple,
        choices=RecoveryNeed.choices,
        error_messages={
            "required": "Select the needs the assessment found",
            "invalid_choice": "Select the needs the assessment found from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].help_text = _example()

    def layout_fields(self) -> list:
        return [date_input("completed_on"), Field.checkboxes("needs", legend_size="m", small=True)]


class SupportExtendForm(CaseForm):
    ends_on = DayMonthYearField(name="New date support ends", label="When should support now end?")
    reason = forms.ChoiceField(
        label="Why is support being extended?",
        widget=forms.RadioSelect,
        choices=SupportExtensionReason.choices,
        error_messages={
            "required": "Select why support is being extended",
            "invalid_choice": "Select why support is being extended",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = Policy.for_case(self.case).support_extension_max_days
        hint = f"Support can be extended by up to {days} days at a time."
        if self.case.support_ends_at:
            ends = date_format(timezone.localtime(self.case.support_ends_at).date(), "j F Y")
            hint = f"Support now ends on {ends}. {hint}"
        self.fields["ends_on"].help_text = hint

    def layout_fields(self) -> list:
        return [date_input("ends_on"), Field.radios("reason", legend_size="m")]


class PersonMissingForm(CaseForm):
    last_seen_on = DayMonthYearField(name="Date the person was last seen", label="When was the person last seen?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_seen_on"].help_text = _example()

    def layout_fields(self) -> list:
        return [date_input("last_seen_on")]


class SupportEndForm(CaseForm):
    ended_on = DayMonthYearField(name="Date support ended", label="When did support end?")
    reason = forms.ChoiceField(
        label="Why did support end?",
        widget=forms.RadioSelect,
        choices=SupportEndReason.choices,
        error_messages={"required": "Select why support ended", "invalid_choice": "Select why support ended"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].help_text = _example()

    def layout_fields(self) -> list:
        return [date_input("ended_on"), Field.radios("reason", legend_size="m")]
