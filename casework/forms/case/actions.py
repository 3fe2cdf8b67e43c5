"""Forms of the other case pages: notes, assignment, information requests, and the moves that pause, stop or
move a case (each with the reason the service records)."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from accounts.models import Organisation, User
from accounts.roles import Role
from casework.forms.case.base import CaseForm, DayMonthYearField, MultipleFileField, date_input, file_input
from casework.models import Case, Policy
from casework.services import default_due_date

REASON_MAX = 10_000


class ConfirmForm(CaseForm):
    """No question: the page's button is the answer (release a case, withdraw a request)."""


class NoteForm(CaseForm):
    text = forms.CharField(
        label="Add a note",
        help_text="Notes are seen only by your authority's staff.",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the note", "max_length": "The note must be 10,000 characters or fewer"},
    )

    def layout_fields(self) -> list:
        return [Field.textarea("text", label_size="m", rows=4)]

    def markup_key(self) -> tuple | None:
        """The empty form of the case page is the same for every case (common.templatetags.govuk.crispy_kept)."""
        return None if self.is_bound else ()


def authority_staff(case: Case):
    return (
        User.objects.filter(organisation_id=case.authority_id, is_active=True, role__in=(Role.CASEWORKER, Role.MANAGER))
        .only("pk", "full_name", "email", "role")
        .order_by("full_name", "email")
    )


class AssignForm(CaseForm):
    """A manager chooses anyone of the authority's staff; a caseworker can only take the case themselves."""

    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who should work on this case?",
        empty_label=None,
        error_messages={
            "required": "Select who should work on this case",
            "invalid_choice": "Select someone from your authority",
        },
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        if user.role == Role.MANAGER:
            field.queryset = authority_staff(self.case)
            field.label_from_instance = lambda staff: f"{staff.full_name or staff.email} ({staff.get_role_display()})"
            field.initial = self.case.assignee_id or user.pk
        else:
            # Anyone of the authority is a valid choice here; the service says that only a manager gives a case to
            # someone else.
            field.queryset = authority_staff(self.case)
            field.initial = user.pk
            field.widget = forms.HiddenInput()

    def layout_fields(self) -> list:
        if self.fields["assignee"].widget.is_hidden:
            return []
        return [Field("assignee", context={"label_size": Size.for_label("m")})]


class InformationRequestForm(CaseForm):
    question = forms.CharField(
        label="What information do you need?",
        help_text="The first responder who made the referral sees this and answers it on their referral page.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter the information you need",
            "max_length": "The question must be 5,000 characters or fewer",
        },
    )
    due_date = DayMonthYearField(name="Due date", label="When is it due?")
    files = MultipleFileField(label="Attach files (optional)", help_text="PDF, Word, JPG or PNG, up to 25MB each.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        due = default_due_date(self.case)
        days = Policy.for_case(self.case).information_request_working_days
        self.fields["due_date"].initial = due
        self.fields["due_date"].help_text = f"By default {days} working days from today, for example {due:%-d %-m %Y}"

    def layout_fields(self) -> list:
        return [Field.textarea("question", label_size="m", rows=6), date_input("due_date"), file_input("files")]


class ReasonForm(CaseForm):
    """One reason, recorded with the move. Subclasses set the label and the message when it is missing."""

    reason_label = "Reason"
    reason_hint = ""
    reason_required_message = "Enter the reason"
    reason_required = True

    reason = forms.CharField(max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label, field.help_text, field.required = self.reason_label, self.reason_hint, self.reason_required
        field.error_messages.update(
            required=self.reason_required_message, max_length=f"{self.reason_label} must be 10,000 characters or fewer"
        )

    def layout_fields(self) -> list:
        return [*self.extra_layout(), Field.textarea("reason", label_size="m", rows=5)]

    def extra_layout(self) -> list:
        return []


class SuspendForm(ReasonForm):
    reason_label = "Why is the case being suspended?"
    reason_hint = "For example, the person has gone missing from their accommodation."
    reason_required_message = "Enter why the case is being suspended"


class ResumeForm(ReasonForm):
    reason_label = "Why is the case resuming? (optional)"
    reason_hint = "For example, the person has been found."
    reason_required = False


class WithdrawForm(ReasonForm):
    reason_label = "Why is the person withdrawing?"
    reason_required_message = "Enter why the person is withdrawing from the NRM"


class DisqualifyForm(ReasonForm):
    reason_label = "Reasons for disqualification"
    reason_hint = "The public order or bad faith grounds, and the evidence for them."
    reason_required_message = "Enter the reasons for disqualification"


class TransferForm(ReasonForm):
    reason_label = "Why is the case being transferred?"
    reason_hint = "For example, the person is in immigration detention."
    reason_required_message = "Enter why the case is being transferred"

    to_authority = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Which competent authority should decide this case?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the competent authority to transfer the case to",
            "invalid_choice": "Select the competent authority to transfer the case to",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Organisation.objects.filter(kind=Organisation.Kind.COMPETENT_AUTHORITY, is_active=True).exclude(
            pk=self.case.authority_id
        )
        authorities = list(others.order_by("name"))
        field = self.fields["to_authority"]
        field.queryset = others
        field.choices = [(str(authority.pk), str(authority)) for authority in authorities]
        if len(authorities) == 1:
            field.initial = str(authorities[0].pk)

    def extra_layout(self) -> list:
        return [Field.radios("to_authority", legend_size="m")]


class DuplicateForm(ReasonForm):
    reason_label = "Why is it a duplicate?"
    reason_required_message = "Enter why this case is a duplicate"

    surviving_reference = forms.CharField(
        label="Reference of the case that continues",
        help_text="For example, NRM-2026-000123. This case closes and links to that one.",
        max_length=20,
        error_messages={"required": "Enter the reference of the case that continues"},
    )

    def extra_layout(self) -> list:
        return [Field.text("surviving_reference", label_size="m", field_width=10)]
