"""The rows of a case's pages as plain frozen data: decisions, information requests, reconsiderations and
their files, built from rows already read (with the people they name joined). The url of a move on a row is
given by the caller, set only when `casework.offers` allows it."""

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse

from casework.factors import factor_labels
from casework.models import CaseFile, Decision, InformationRequest, Reconsideration
from casework.selectors.timeline import person_name
from common.downloads import describe_size
from referrals.models import EvidenceFile


@dataclass(frozen=True)
class FileRow:
    """An uploaded file as `includes/upload_link.html` shows it (a link once scanned clean)."""

    pk: int
    original_name: str
    size_label: str
    scan_status: str
    scan_result: str
    url: str
    description: str = ""


@dataclass(frozen=True)
class DecisionRow:
    pk: int
    title: str
    state: str
    state_label: str
    is_negative: bool
    review_route: str
    decided_by_name: str
    decision_date: date
    factor_labels: tuple[str, ...]
    reasons: str
    reviewed_by_name: str
    reviewed_at: datetime | None
    review_reasons: str
    served_at: datetime | None
    reconsideration_deadline: date | None
    letter_url: str
    review_url: str = ""
    # A decision-making panel that made it (the letter names it as the decision maker).
    decision_maker_name: str = ""
    # The independent panel that reviewed it, when one did (from casework.panel_port's work of the case).
    panel_name: str = ""
    awaits_response_to_panel: bool = False
    # The authority's response to a panel's recommendation to reconsider (casework.models.PanelResponse).
    authority_response: str = ""
    authority_response_label: str = ""
    authority_response_reasons: str = ""
    authority_responded_by_name: str = ""
    authority_responded_at: datetime | None = None
    respond_url: str = ""
    # A negative decision's main reason, as the published statistics count it (blank when none was recorded).
    negative_reason_label: str = ""

    @property
    def by_panel(self) -> bool:
        return self.review_route == "panel"


@dataclass(frozen=True)
class InformationRequestRow:
    pk: int
    requested_at: datetime
    due_date: date
    state: str
    state_label: str
    is_open: bool
    is_overdue: bool
    question: str
    requested_by_name: str
    answer: str
    answered_by_name: str
    answered_at: datetime | None
    question_files: tuple[FileRow, ...]
    answer_files: tuple[FileRow, ...]
    withdraw_url: str = ""


@dataclass(frozen=True)
class ReconsiderationRow:
    pk: int
    requested_at: datetime
    state: str
    state_label: str
    decision_id: int
    decision_title: str
    requested_by_name: str
    requester_organisation_name: str
    grounds_labels: tuple[str, ...]
    details: str
    is_late: bool
    exceptional_circumstances: str
    files: tuple[FileRow, ...]
    decided_by_name: str
    decided_at: datetime | None
    decision_reasons: str
    decide_url: str = ""


@dataclass(frozen=True)
class NoteRow:
    author_name: str
    created_at: datetime
    text: str


@dataclass(frozen=True)
class DuplicateRow:
    """Another case that may be the same person's: linked, with its status, only when the user's scope holds
    it."""

    reference: str
    in_scope: bool
    status_label: str
    url: str


def case_file_row(case_file: CaseFile) -> FileRow:
    return FileRow(
        pk=case_file.pk,
        original_name=case_file.original_name,
        size_label=describe_size(case_file.size),
        scan_status=case_file.scan_status,
        scan_result=case_file.scan_result,
        url=reverse("casework:file", args=[case_file.pk]),
    )


def evidence_file_row(evidence: EvidenceFile) -> FileRow:
    return FileRow(
        pk=evidence.pk,
        original_name=evidence.original_name,
        size_label=describe_size(evidence.size),
        scan_status=evidence.scan_status,
        scan_result=evidence.scan_result,
        url=reverse("referrals:evidence_download", args=[evidence.pk]),
        description=evidence.description,
    )


def decision_row(
    decision: Decision, *, review_url: str = "", respond_url: str = "", panel_name: str = ""
) -> DecisionRow:
    """A decision as its card shows it (decided_by, reviewed_by, authority_responded_by and letter already
    joined). `panel_name`: the independent panel that reviewed it, if one did."""
    letter = getattr(decision, "letter", None)
    responded = decision.authority_responded_by_id is not None
    return DecisionRow(
        pk=decision.pk,
        title=decision.title,
        state=decision.state,
        state_label=decision.get_state_display(),
        is_negative=decision.is_negative,
        review_route=decision.review_route,
        decided_by_name=person_name(decision.decided_by),
        decision_date=decision.decision_date,
        factor_labels=tuple(factor_labels(decision.factors)),
        reasons=decision.reasons,
        reviewed_by_name=person_name(decision.reviewed_by) if decision.reviewed_by_id else "",
        reviewed_at=decision.reviewed_at,
        review_reasons=decision.review_reasons,
        served_at=decision.served_at,
        reconsideration_deadline=decision.reconsideration_deadline,
        letter_url=reverse("casework:letter", args=[letter.pk]) if letter is not None else "",
        review_url=review_url,
        decision_maker_name=decision.decision_maker_name,
        panel_name=panel_name,
        awaits_response_to_panel=decision.awaits_response_to_panel,
        authority_response=decision.authority_response,
        authority_response_label=decision.get_authority_response_display() if decision.authority_response else "",
        authority_response_reasons=decision.authority_response_reasons,
        authority_responded_by_name=person_name(decision.authority_responded_by) if responded else "",
        authority_responded_at=decision.authority_responded_at,
        respond_url=respond_url,
        negative_reason_label=decision.get_negative_reason_display() if decision.negative_reason else "",
    )


# The decisions a case page joins the people of (decision_row names them).
DECISION_PEOPLE = ("decided_by", "reviewed_by", "authority_responded_by", "letter")

# What the rows show of a person (person_name).
PERSON_NAME = ("full_name", "email")


def panel_names_by_decision(work) -> dict[int, str]:
    """{decision id: the name of the panel it was sent to}, from one case's panel work (casework.panel_port)."""
    names: dict[int, str] = {}
    for item in work:
        if item.decision_id is not None:
            names.setdefault(item.decision_id, item.panel_name)
    return names


def reconsideration_row(
    reconsideration: Reconsideration, files: list[CaseFile], *, decide_url: str = ""
) -> ReconsiderationRow:
    """A reconsideration request as the case page and the manager's decision page show it (requested_by,
    requester_organisation, decided_by and decision already joined)."""
    return ReconsiderationRow(
        pk=reconsideration.pk,
        requested_at=reconsideration.requested_at,
        state=reconsideration.state,
        state_label=reconsideration.get_state_display(),
        decision_id=reconsideration.decision_id,
        decision_title=reconsideration.decision.title,
        requested_by_name=person_name(reconsideration.requested_by),
        requester_organisation_name=str(reconsideration.requester_organisation),
        grounds_labels=tuple(reconsideration.grounds_labels),
        details=reconsideration.details,
        is_late=reconsideration.is_late,
        exceptional_circumstances=reconsideration.exceptional_circumstances,
        files=tuple(case_file_row(case_file) for case_file in files),
        decided_by_name=person_name(reconsideration.decided_by) if reconsideration.decided_by_id else "",
        decided_at=reconsideration.decided_at,
        decision_reasons=reconsideration.decision_reasons,
        decide_url=decide_url,
    )


def information_request_row(
    information_request: InformationRequest, files_by_request: dict, *, withdraw_url: str
) -> InformationRequestRow:
    rows = {
        is_answer: tuple(
            case_file_row(case_file) for case_file in files_by_request.get((information_request.pk, is_answer), [])
        )
        for is_answer in (False, True)
    }
    answered = information_request.answered_by_id is not None
    return InformationRequestRow(
        pk=information_request.pk,
        requested_at=information_request.requested_at,
        due_date=information_request.due_date,
        state=information_request.state,
        state_label=information_request.get_state_display(),
        is_open=information_request.is_open,
        is_overdue=information_request.is_overdue,
        question=information_request.question,
        requested_by_name=person_name(information_request.requested_by),
        answer=information_request.answer,
        answered_by_name=person_name(information_request.answered_by) if answered else "",
        answered_at=information_request.answered_at,
        question_files=rows[False],
        answer_files=rows[True],
        withdraw_url=withdraw_url,
    )
