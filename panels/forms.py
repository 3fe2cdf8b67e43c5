"""Forms of the panel people's pages: a member's view, a conflict of interest, the chair's conclusion or
decision, and meetings (scheduling, the agenda, who attended). They render inside the page's own <form> (which
carries the CSRF token and the version) and give the GOV.UK error summary its links, as casework's do."""

from datetime import datetime, time

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.factors import objective_factors_for
from casework.forms.case.base import CaseForm, DayMonthYearField, date_input
from casework.forms.case.decisions import (
    clean_negative_reason,
    factors_field,
    negative_reason_field,
    outcome_radios,
    reasons_field,
)
from casework.models import Decision
from panels.models import Meeting, Membership, Panel, PanelCase, SafeguardingLead
from panels.selectors import work_label

Recommendation = PanelCase.Recommendation

OPINION_CHOICES = {
    Panel.Kind.ASSURANCE: [
        Choice(Recommendation.AGREE, "Agree with the decision", hint="It can be served as it is"),
        Choice(
            Recommendation.RECOMMEND_RECONSIDERATION,
            "Recommend reconsideration",
            hint="The authority should make the decision again, for the reasons you give",
        ),
    ],
    Panel.Kind.DECISION_MAKING: [
        Choice(Recommendation.POSITIVE, "Positive", hint="They are a victim of modern slavery"),
        Choice(Recommendation.NEGATIVE, "Negative", hint="They are not a victim of modern slavery"),
    ],
}


class PanelForm(CaseForm):
    """A form of the panel pages: CaseForm's rendering and error links, about a panel case (or a meeting)."""

    def __init__(self, *args, panel_case: PanelCase | None = None, **kwargs):
        self.panel_case = panel_case
        super().__init__(*args, case=panel_case.case if panel_case else None, **kwargs)


def radios(name: str) -> Field:
    return Field.radios(name, legend_size="m")


def textarea(name: str, rows: int = 8) -> Field:
    return Field.textarea(name, label_size="m", rows=rows)


class ViewForm(PanelForm):
    """A member's view: agree or recommend reconsideration (an assurance panel), positive or negative (a
    decision-making panel), with reasons."""

    opinion = forms.ChoiceField(widget=forms.RadioSelect)
    reasons = reasons_field("Your reasons", message="Enter your reasons")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.panel_case.panel.kind
        self.fields["opinion"].choices = OPINION_CHOICES[kind]
        if kind == Panel.Kind.ASSURANCE:
            self.fields["opinion"].label = "Do you agree with the decision?"
            message = "Select whether you agree with the decision or recommend reconsideration"
        else:
            stage = Decision.Stage(self.panel_case.stage).label.lower()
            self.fields["opinion"].label = f"What should the {stage} decision be?"
            message = f"Select whether the {stage} decision should be positive or negative"
        self.fields["opinion"].error_messages.update(required=message, invalid_choice=message)

    def layout_fields(self) -> list:
        return [radios("opinion"), textarea("reasons")]


class ConflictForm(PanelForm):
    details = forms.CharField(
        label="What is the conflict of interest?",
        max_length=2000,
        help_text="For example, you know the person or have worked on their case. You will take no part in the "
        "panel's work on it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter what the conflict of interest is",
            "max_length": "The conflict of interest must be 2,000 characters or fewer",
        },
    )

    def layout_fields(self) -> list:
        return [textarea("details", rows=5)]


class ConcludeForm(PanelForm):
    """The chair's conclusion of an assurance panel's review: the panel's recommendation and its reasons."""

    recommendation = forms.ChoiceField(
        label="What is the panel's recommendation?",
        widget=forms.RadioSelect,
        choices=OPINION_CHOICES[Panel.Kind.ASSURANCE],
        error_messages={
            "required": "Select the panel's recommendation",
            "invalid_choice": "Select the panel's recommendation",
        },
    )
    reasons = reasons_field(
        "The panel's reasons",
        message="Enter the panel's reasons",
        help_text="The authority sees them with the recommendation.",
    )

    def layout_fields(self) -> list:
        return [radios("recommendation"), textarea("reasons")]


class DecideForm(PanelForm):
    """The chair of a decision-making panel records the panel's decision (a negative one with its main reason)."""

    conditional_radios = frozenset({"outcome"})

    outcome = forms.ChoiceField(widget=forms.RadioSelect, choices=[(o.value, o.label) for o in Decision.Outcome])
    negative_reason = negative_reason_field()
    factors = factors_field()
    reasons = reasons_field(
        "Reasons for the decision",
        message="Enter the reasons for the decision",
        help_text="The reasons are quoted in the decision letter, which names the panel as the decision maker.",
    )
    decision_date = DayMonthYearField(name="Decision date", label="Decision date", help_text="For example, 27 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stage = Decision.Stage(self.panel_case.stage).label.lower()
        self.fields["outcome"].label = f"What is the panel's {stage} decision?"
        message = f"Select whether the {stage} decision is positive or negative"
        self.fields["outcome"].error_messages.update(required=message, invalid_choice=message)
        self.fields["decision_date"].initial = timezone.localdate
        factors = [(f.code, f.label) for f in objective_factors_for(self.panel_case.case.referral.answers or {})]
        if factors:
            self.fields["factors"].choices = factors
        else:
            del self.fields["factors"]
        self.helper.legend_size = "m"  # the outcome's legend (the conditional radios take the helper's size)

    def layout_fields(self) -> list:
        fields = [outcome_radios()]
        if "factors" in self.fields:
            fields.append(Field.checkboxes("factors", legend_size="m", small=True))
        return [*fields, textarea("reasons"), date_input("decision_date")]

    def clean(self):
        data = super().clean()
        clean_negative_reason(self, data)
        return data


# Meetings ---------------------------------------------------------------------------------------------------------


class PanelCaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, panel_case: PanelCase) -> str:
        return f"{panel_case.case.reference}: {work_label(panel_case).lower()}, due {panel_case.due_date:%-d %B %Y}"


class MembershipChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        name = membership.user.full_name or membership.user.email
        return f"{name} ({membership.get_role_display().lower()}, {membership.get_agency_display()})"


class LeadChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, lead: SafeguardingLead) -> str:
        return f"{lead.user.full_name or lead.user.email}, {lead.organisation.name}"


def agenda_field() -> PanelCaseChoiceField:
    return PanelCaseChoiceField(
        queryset=PanelCase.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which cases are on the agenda?",
        help_text="The panel's open cases. Select all that apply.",
        error_messages={"invalid_choice": "Select only open cases of this panel"},
    )


class MeetingForm(PanelForm):
    """A meeting the chair schedules: when, how it is held, where, the open cases on its agenda, and the Slavery
    Safeguarding Leads invited (a decision-making panel's)."""

    day = DayMonthYearField(name="Date of the meeting", label="Date", help_text="For example, 27 3 2026")
    starts = forms.CharField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 14:30",
        max_length=5,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"required": "Enter the start time"},
    )
    format = forms.ChoiceField(
        label="How is the meeting held?",
        widget=forms.RadioSelect,
        choices=Meeting.Format.choices,
        error_messages={"required": "Select how the meeting is held", "invalid_choice": "Select how it is held"},
    )
    where = forms.CharField(
        label="Where, or how to join",
        required=False,
        max_length=300,
        help_text="The room and address, or the call's link. Do not include anyone's personal details.",
        error_messages={"max_length": "Where must be 300 characters or fewer"},
    )
    panel_cases = agenda_field()
    leads = LeadChoiceField(
        queryset=SafeguardingLead.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Invite Slavery Safeguarding Leads (optional)",
        help_text="Staff named by organisations that refer into the panel's region.",
        error_messages={"invalid_choice": "Select only the Slavery Safeguarding Leads listed"},
    )

    def __init__(self, *args, agenda, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel_cases"].queryset = agenda
        if leads.exists():
            self.fields["leads"].queryset = leads
        else:
            del self.fields["leads"]

    def layout_fields(self) -> list:
        fields = [date_input("day"), Field.text("starts", label_size="s"), radios("format")]
        fields += [Field.text("where", label_size="s"), Field.checkboxes("panel_cases", legend_size="m", small=True)]
        if "leads" in self.fields:
            fields.append(Field.checkboxes("leads", legend_size="m", small=True))
        return fields

    def clean_starts(self) -> time:
        text = self.cleaned_data["starts"].strip().replace(".", ":")
        try:
            return datetime.strptime(text, "%H:%M").time()
        except ValueError:
            raise ValidationError("Enter the start time as hours and minutes, for example 14:30") from None

    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["day"], data["starts"]))


class AgendaForm(PanelForm):
    panel_cases = agenda_field()

    def __init__(self, *args, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel_cases"].queryset = agenda

    def layout_fields(self) -> list:
        return [Field.checkboxes("panel_cases", legend_size="m", small=True)]


class AttendanceForm(PanelForm):
    attendees = MembershipChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who attended?",
        help_text="Select everyone who took part in the meeting, the chair included.",
        error_messages={"invalid_choice": "Select only members of this panel"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members

    def layout_fields(self) -> list:
        return [Field.checkboxes("attendees", legend_size="m", small=True)]
