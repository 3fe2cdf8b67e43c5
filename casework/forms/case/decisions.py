"""Forms of the decision pages: a reasonable or conclusive grounds decision, the second review of a negative one,
and reconsideration (asked for on the person's behalf, and a manager's answer)."""

import re

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field
from django import forms
from django.utils import timezone

from casework.factors import objective_factors_for
from casework.forms.case.base import CaseForm, DayMonthYearField, MultipleFileField, date_input, file_input
from casework.models import Decision, PanelResponse, Reconsideration

REASONS_MAX = 20_000

OUTCOME_HINTS = {
    Decision.Stage.RG: {
        Decision.Outcome.POSITIVE: "There are reasonable grounds to believe they are a victim of modern slavery",
        Decision.Outcome.NEGATIVE: "There are not reasonable grounds to believe they are a victim",
    },
    Decision.Stage.CG: {
        Decision.Outcome.POSITIVE: "On the balance of probabilities, they are a victim of modern slavery",
        Decision.Outcome.NEGATIVE: "On the balance of probabilities, they are not a victim",
    },
}


def reasons_field(label: str, *, required: bool = True, message: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASONS_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": message, "max_length": f"{label} must be 20,000 characters or fewer"},
    )


def factors_field() -> forms.MultipleChoiceField:
    """The objective factors a decision relies on, of those the referral recorded (the form sets the choices):
    an authority's decision form and a decision-making panel's."""
    return forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which objective factors does the decision rely on?",
        help_text="These are what the referral recorded. Select all that apply.",
        error_messages={"invalid_choice": "Select objective factors from the referral only"},
    )


NEGATIVE_REASON_MESSAGE = "Select the main reason for the negative decision"


def negative_reason_field() -> forms.ChoiceField:
    """The main reason for a negative decision, in the categories the published statistics count: asked under the
    Negative outcome (`outcome_radios`), required with it (`clean_negative_reason`)."""
    return forms.ChoiceField(
        label="What is the main reason for the negative decision?",
        required=False,
        widget=forms.RadioSelect,
        choices=Decision.NegativeReason.choices,
        error_messages={"invalid_choice": NEGATIVE_REASON_MESSAGE},
    )


def outcome_radios() -> ConditionalRadios:
    """The outcome's radios, Negative revealing the question of its main reason (GOV.UK conditional reveal)."""
    return ConditionalRadios(
        "outcome",
        Decision.Outcome.POSITIVE.label,
        ConditionalQuestion(Decision.Outcome.NEGATIVE.label, Field.radios("negative_reason", legend_size="s")),
    )


def clean_negative_reason(form: CaseForm, data: dict) -> None:
    """A negative outcome needs its main reason; a positive one has none, whatever was sent (the question is
    hidden then, so nothing is said about it)."""
    if data.get("outcome") != Decision.Outcome.NEGATIVE:
        form.errors.pop("negative_reason", None)
        data["negative_reason"] = ""
    elif not data.get("negative_reason") and "negative_reason" not in form.errors:
        form.add_error("negative_reason", NEGATIVE_REASON_MESSAGE)


class DecisionForm(CaseForm):
    """A reasonable or conclusive grounds decision: outcome (a negative one with its main reason), the objective
    factors the referral recorded that it relies on, reasons and the decision date (today unless changed)."""

    conditional_radios = frozenset({"outcome"})

    outcome = forms.ChoiceField(widget=forms.RadioSelect)
    negative_reason = negative_reason_field()
    factors = factors_field()
    reasons = reasons_field(
        "Reasons for the decision",
        message="Enter the reasons for the decision",
        help_text="The reasons are quoted in the decision letter.",
    )
    decision_date = DayMonthYearField(name="Decision date", label="Decision date", help_text="For example, 27 3 2026")

    def __init__(self, *args, stage: Decision.Stage, **kwargs):
        self.stage = Decision.Stage(stage)
        super().__init__(*args, **kwargs)
        hints = OUTCOME_HINTS[self.stage]
        self.fields["outcome"].label = f"What is the {self.stage.label.lower()} decision?"
        self.fields["outcome"].choices = [
            Choice(outcome.value, outcome.label, hint=hints[outcome]) for outcome in Decision.Outcome
        ]
        message = f"Select whether the {self.stage.label.lower()} decision is positive or negative"
        self.fields["outcome"].error_messages.update(required=message, invalid_choice=message)
        self.factor_choices = [(f.code, f.label) for f in objective_factors_for(self.case.referral.answers or {})]
        self.fields["factors"].choices = self.factor_choices
        if not self.factor_choices:
            del self.fields["factors"]
        self.fields["decision_date"].initial = timezone.localdate
        self.helper.legend_size = "m"  # the outcome's legend (the conditional radios take the helper's size)

    def layout_fields(self) -> list:
        fields = [outcome_radios()]
        if "factors" in self.fields:
            fields.append(Field.checkboxes("factors", legend_size="m", small=True))
        return [*fields, Field.textarea("reasons", label_size="m", rows=8), date_input("decision_date")]

    def clean(self):
        data = super().clean()
        clean_negative_reason(self, data)
        return data

    def carried(self) -> list[tuple[str, str]]:
        """The answers as posted, (name, value) pairs for the check page's hidden fields: its "Change" shows the
        form again with them, and "Confirm" posts them to be checked again and recorded (never in the URL)."""
        pairs = []
        for key in self.data:
            if key in self.fields or re.sub(r"_\d+$", "", key) in self.fields:
                pairs += [(key, value) for value in self.data.getlist(key)]
        return pairs

    def shown_answers(self) -> list[tuple[str, str, str]]:
        """(question, answer, the input its "Change" goes back to) for the check page, from the checked answers."""
        data = self.cleaned_data
        rows = [("Decision", f"{Decision.Outcome(data['outcome']).label}: {self.outcome_hint()}", "outcome")]
        if data.get("negative_reason"):
            reason = Decision.NegativeReason(data["negative_reason"]).label
            rows.append(("Main reason for the negative decision", reason, "negative_reason"))
        if "factors" in self.fields:
            labels = dict(self.factor_choices)
            chosen = [labels[code] for code in data.get("factors", [])]
            rows.append(("Objective factors", "\n".join(chosen) or "None selected", "factors"))
        rows.append(("Reasons", data["reasons"], "reasons"))
        rows.append(("Decision date", f"{data['decision_date']:%-d %B %Y}", "decision_date"))
        return [(question, answer, self._anchor(name, "")) for question, answer, name in rows]

    def outcome_hint(self) -> str:
        return OUTCOME_HINTS[self.stage][Decision.Outcome(self.cleaned_data["outcome"])]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "negative_reason": data["negative_reason"],
            "factors": data.get("factors", []),
            "reasons": data["reasons"],
            "decision_date": data["decision_date"],
        }


class ReviewForm(CaseForm):
    """The second reviewer's answer to a negative decision: agree (it is served) or return it with reasons."""

    AGREE, RETURN = "agree", "return"
    AGREE_LABEL = "Agree: serve the decision"
    RETURN_LABEL = "Return it to the decision maker"
    conditional_radios = frozenset({"review"})

    review = forms.ChoiceField(
        label="Do you agree with the decision?",
        widget=forms.RadioSelect,
        choices=[(AGREE, AGREE_LABEL), (RETURN, RETURN_LABEL)],
        error_messages={
            "required": "Select whether you agree with the decision",
            "invalid_choice": "Select whether you agree with the decision",
        },
    )
    reasons = reasons_field("Why are you returning it?", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.legend_size = "m"  # the conditional radios' legend (the revealed label stays body size)

    def layout_fields(self) -> list:
        return [
            ConditionalRadios(
                "review", self.AGREE_LABEL, ConditionalQuestion(self.RETURN_LABEL, Field.textarea("reasons", rows=6))
            )
        ]

    def clean(self):
        data = super().clean()
        if data.get("review") == self.RETURN and not data.get("reasons"):
            self.add_error("reasons", "Enter why you are returning the decision")
        return data


class ReconsiderationRequestForm(CaseForm):
    """Reconsideration of a served negative decision, asked for by the authority on the person's behalf."""

    grounds = forms.MultipleChoiceField(
        label="Why should the decision be reconsidered?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        choices=Reconsideration.Ground.choices,
        error_messages={
            "required": "Select the grounds for reconsideration",
            "invalid_choice": "Select the grounds for reconsideration",
        },
    )
    details = reasons_field(
        "Details",
        message="Enter why the decision should be reconsidered",
        help_text="Describe the new evidence, or the guidance that was not followed.",
    )
    exceptional_circumstances = forms.CharField(
        label="What are the exceptional circumstances for asking now?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Exceptional circumstances must be 5,000 characters or fewer"},
    )
    files = MultipleFileField(label="Attach files (optional)", help_text="PDF, Word, JPG or PNG, up to 25MB each.")

    def __init__(self, *args, late_since=None, **kwargs):
        super().__init__(*args, **kwargs)
        if late_since is None:
            del self.fields["exceptional_circumstances"]
        else:
            self.fields[
                "exceptional_circumstances"
            ].help_text = (
                f"The time to ask ended on {late_since:%-d %B %Y}. A late request needs exceptional circumstances."
            )

    def layout_fields(self) -> list:
        fields = [Field.checkboxes("grounds", legend_size="m"), Field.textarea("details", label_size="m", rows=8)]
        if "exceptional_circumstances" in self.fields:
            fields.append(Field.textarea("exceptional_circumstances", label_size="m", rows=5))
        return [*fields, file_input("files")]


class ReconsiderationDecisionForm(CaseForm):
    """A manager's answer to a request for reconsideration."""

    ACCEPT, DECLINE = "accept", "decline"

    answer = forms.ChoiceField(
        label="Do you accept the request?",
        widget=forms.RadioSelect,
        choices=[
            Choice(ACCEPT, "Accept", hint="The decision will be made again; the earlier one stays in the history"),
            Choice(DECLINE, "Decline", hint="The decision stands; the requester is told why"),
        ],
        error_messages={
            "required": "Select whether you accept or decline the request",
            "invalid_choice": "Select whether you accept or decline the request",
        },
    )
    reasons = reasons_field("Reasons", required=False, help_text="Required when you decline.")

    def layout_fields(self) -> list:
        return [Field.radios("answer", legend_size="m"), Field.textarea("reasons", label_size="m", rows=6)]

    def clean(self):
        data = super().clean()
        if data.get("answer") == self.DECLINE and not data.get("reasons"):
            self.add_error("reasons", "Enter why the reconsideration is declined")
        return data


class PanelResponseForm(CaseForm):
    """A manager's response to an independent panel's recommendation to reconsider a negative decision: the panel
    advises, the authority decides."""

    response = forms.ChoiceField(
        label="How does the authority respond to the panel's recommendation?",
        widget=forms.RadioSelect,
        choices=[
            Choice(
                PanelResponse.RECONSIDER,
                PanelResponse.RECONSIDER.label,
                hint="The case goes back to wait for the decision to be made again; the decision maker sees the "
                "panel's reasons and yours",
            ),
            Choice(
                PanelResponse.MAINTAIN,
                PanelResponse.MAINTAIN.label,
                hint="The decision is served as it stands, with your reasons for maintaining it recorded",
            ),
        ],
        error_messages={
            "required": "Select whether the authority reconsiders or maintains the decision",
            "invalid_choice": "Select whether the authority reconsiders or maintains the decision",
        },
    )
    reasons = reasons_field(
        "Reasons", required=False, help_text="Required when you maintain the decision. The panel sees them."
    )

    def layout_fields(self) -> list:
        return [Field.radios("response", legend_size="m"), Field.textarea("reasons", label_size="m", rows=6)]

    def clean(self):
        data = super().clean()
        if data.get("response") == PanelResponse.MAINTAIN and not data.get("reasons"):
            self.add_error("reasons", "Enter why the authority maintains the decision")
        return data
