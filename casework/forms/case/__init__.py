"""Forms of the caseworker's and manager's case pages."""

from casework.forms.case.actions import (
    AssignForm,
    ConfirmForm,
    DisqualifyForm,
    DuplicateForm,
    InformationRequestForm,
    NoteForm,
    ResumeForm,
    SuspendForm,
    TransferForm,
    WithdrawForm,
)
from casework.forms.case.base import CaseForm, files_again_hint
from casework.forms.case.decisions import (
    DecisionForm,
    PanelResponseForm,
    ReconsiderationDecisionForm,
    ReconsiderationRequestForm,
    ReviewForm,
)

__all__ = [
    "AssignForm",
    "CaseForm",
    "ConfirmForm",
    "DecisionForm",
    "DisqualifyForm",
    "DuplicateForm",
    "InformationRequestForm",
    "NoteForm",
    "PanelResponseForm",
    "ReconsiderationDecisionForm",
    "ReconsiderationRequestForm",
    "ResumeForm",
    "ReviewForm",
    "SuspendForm",
    "TransferForm",
    "WithdrawForm",
    "files_again_hint",
]
