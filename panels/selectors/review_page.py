"""The review page: only what review needs, each kind of row read once."""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import User
from casework.factors import factor_labels
from casework.models import CaseEvent, CaseFile, CaseNote, Decision
from casework.selectors.case_rows import FileRow, InformationRequestRow, evidence_file_row, information_request_row
from casework.selectors.timeline import Lookups, TimelineEntry, status_colour, timeline_entry
from panels.models import Membership, Panel, PanelCase, View
from panels.quorum import QUORUM_ROWS, Quorum, exclusion_for, quorum_for
from panels.scope import memberships_of, panel_case_for
from panels.selectors.common import INTERNAL_EVENTS, role_label
from panels.selectors.reviews import status_of, work_label
from referrals.check import answer_summary
from referrals.models import EvidenceFile
from referrals.questions import QUESTIONNAIRE


@dataclass(frozen=True)
class ProposedDecision:
    pk: int
    title: str
    state_label: str
    decided_by_role: str
    decision_date: date
    factor_labels: tuple[str, ...]
    reasons: str
    negative_reason_label: str
    authority_response_label: str
    authority_response_reasons: str
    authority_responded_by_role: str
    authority_responded_at: datetime | None


@dataclass(frozen=True)
class ViewRow:
    member_name: str
    agency_label: str
    is_chair: bool
    is_mine: bool
    opinion_label: str
    reasons: str
    recorded_at: datetime


@dataclass(frozen=True)
class ReviewPage:
    panel_case: PanelCase
    membership: Membership
    is_chair: bool
    work_label: str
    status_label: str
    status_colour: str
    case_status_colour: str
    decision: ProposedDecision | None
    views: tuple[ViewRow, ...]
    my_view: View | None
    others_hidden: int
    quorum: Quorum
    exclusion: str
    participants: tuple[str, ...]
    summary: tuple[dict, ...]
    evidence_files: tuple[FileRow, ...]
    information_requests: tuple[InformationRequestRow, ...]
    timeline: tuple[TimelineEntry, ...]


def panel_case_of(*, user: User, pk: int) -> PanelCase:
    """A panel case of one of the user's panels, with what the pages around it read joined (and what its quorum
    reads prefetched); else 404."""
    panel_case = panel_case_for(user, pk)
    return (
        PanelCase.objects.select_related(
            "panel",
            "case__referral__organisation",
            "meeting",
            "decision__decided_by__organisation",
            "decision__authority_responded_by__organisation",
            "concluded_by",
        )
        .prefetch_related(*QUORUM_ROWS)
        .filter(pk=panel_case.pk)
        .get()
    )


def seat_of(*, user: User, panel: Panel) -> Membership:
    """The user's active seat on `panel` (404 when they have none: the panel is not theirs)."""
    for membership in memberships_of(user):
        if membership.panel_id == panel.pk:
            return membership
    raise Http404


def proposed_decision(decision: Decision | None) -> ProposedDecision | None:
    if decision is None:
        return None
    responded_by = decision.authority_responded_by if decision.authority_responded_by_id else None
    return ProposedDecision(
        pk=decision.pk,
        title=decision.title,
        state_label=decision.get_state_display(),
        decided_by_role=decision.decision_maker_name or role_label(decision.decided_by),
        decision_date=decision.decision_date,
        factor_labels=tuple(factor_labels(decision.factors)),
        reasons=decision.reasons,
        negative_reason_label=decision.get_negative_reason_display() if decision.negative_reason else "",
        authority_response_label=decision.get_authority_response_display() if decision.authority_response else "",
        authority_response_reasons=decision.authority_response_reasons,
        authority_responded_by_role=role_label(responded_by) if responded_by else "",
        authority_responded_at=decision.authority_responded_at,
    )


def _view_rows(panel_case: PanelCase, membership: Membership, *, all_views: bool) -> tuple[tuple[ViewRow, ...], int]:
    views = list(panel_case.views.all())  # prefetched with their members (panel_case_of)
    shown = [view for view in views if all_views or view.membership_id == membership.pk]
    rows = tuple(
        ViewRow(
            member_name=view.membership.user.full_name or view.membership.user.email,
            agency_label=view.membership.get_agency_display(),
            is_chair=view.membership.is_chair,
            is_mine=view.membership_id == membership.pk,
            opinion_label=view.get_opinion_display(),
            reasons=view.reasons,
            recorded_at=view.recorded_at,
        )
        for view in shown
    )
    return rows, len(views) - len(shown)


def _timeline(panel_case: PanelCase) -> tuple[TimelineEntry, ...]:
    case = panel_case.case
    events = list(
        case.events.exclude(kind__in=INTERNAL_EVENTS)
        .select_related("actor__organisation")
        .order_by("-created_at", "-pk")
    )
    lookups = Lookups(
        events,
        notes=list(case.notes.exclude(kind=CaseNote.Kind.NOTE)),
        decisions=list(case.decisions.all()),
        information_requests=list(case.information_requests.all()),
        reconsiderations=list(case.reconsiderations.all()),
        cases={},
    )
    return tuple(_for_the_panel(timeline_entry(event, lookups), event, panel_case) for event in events)


def _for_the_panel(entry: TimelineEntry, event, panel_case: PanelCase) -> TimelineEntry:
    """The authority's timeline as the panel reads it: actors by role, links only to the decision this page
    shows, and no instruction meant for the caseworker (who arranges support)."""
    shown = f"#decision-{panel_case.decision_id}" if panel_case.decision_id else None
    link = entry.link if entry.link is not None and entry.link.href == shown else None
    lines = () if event.kind == CaseEvent.Kind.SUPPORT_STARTED else entry.lines
    return replace(entry, actor=role_label(event.actor), link=link, lines=lines)


def _information_requests(panel_case: PanelCase) -> tuple[InformationRequestRow, ...]:
    case = panel_case.case
    files: dict[tuple[int, bool], list[CaseFile]] = defaultdict(list)
    for case_file in case.files.filter(information_request__isnull=False).only(
        "pk", "case_id", "original_name", "size", "information_request_id", "is_answer", "scan_status", "scan_result"
    ):
        files[(case_file.information_request_id, case_file.is_answer)].append(case_file)
    rows = []
    for information_request in case.information_requests.order_by("-requested_at", "-pk"):
        row = information_request_row(information_request, files, withdraw_url="")
        rows.append(
            replace(
                row,
                requested_by_name="",
                answered_by_name="",
                question_files=tuple(_case_file_url(panel_case, file) for file in row.question_files),
                answer_files=tuple(_case_file_url(panel_case, file) for file in row.answer_files),
            )
        )
    return tuple(rows)


def _case_file_url(panel_case: PanelCase, row: FileRow) -> FileRow:
    return replace(row, url=reverse("panels:case_file", args=[panel_case.pk, row.pk]))


def _evidence(panel_case: PanelCase) -> tuple[FileRow, ...]:
    return tuple(
        replace(evidence_file_row(evidence), url=reverse("panels:evidence", args=[panel_case.pk, evidence.pk]))
        for evidence in _evidence_files(panel_case)
    )


def _evidence_files(panel_case: PanelCase) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.filter(draft_id=panel_case.case.referral.draft_id).only(
        "pk", "original_name", "description", "size", "draft_id", "uploaded_at", "scan_status", "scan_result"
    )


def review_page_for(*, user: User, panel_case: PanelCase) -> ReviewPage:
    """The review page of `panel_case` (read through `panel_case_of`) as `user` sees it: the chair sees every
    member's view; a member sees their own, and the others' once the panel has concluded."""
    membership = seat_of(user=user, panel=panel_case.panel)
    is_chair = membership.is_chair
    views, hidden = _view_rows(panel_case, membership, all_views=is_chair or not panel_case.is_open)
    my_view = next((view for view in panel_case.views.all() if view.membership_id == membership.pk), None)
    label, colour = status_of(panel_case)
    if panel_case.is_open:
        label, colour = "Open", "blue"
    participants = tuple(
        f"{seat.user.full_name or seat.user.email} ({seat.get_role_display().lower()}, {seat.get_agency_display()})"
        for seat in panel_case.participants.select_related("user")
    )
    return ReviewPage(
        panel_case=panel_case,
        membership=membership,
        is_chair=is_chair,
        work_label=work_label(panel_case),
        status_label=label,
        status_colour=colour,
        case_status_colour=status_colour(panel_case.case.status),
        decision=proposed_decision(panel_case.decision),
        views=views,
        my_view=my_view,
        others_hidden=hidden,
        quorum=quorum_for(panel_case, chair=membership if is_chair else None),
        exclusion=exclusion_for(membership, panel_case),
        participants=participants,
        summary=tuple(answer_summary(QUESTIONNAIRE, panel_case.case.referral.answers or {})),
        evidence_files=_evidence(panel_case),
        information_requests=_information_requests(panel_case),
        timeline=_timeline(panel_case),
    )


def evidence_file_of(*, panel_case: PanelCase, file_id: int) -> EvidenceFile:
    """The referral's evidence file, if it belongs to the panel case's referral; else 404."""
    return get_object_or_404(EvidenceFile.objects.filter(draft_id=panel_case.case.referral.draft_id), pk=file_id)


def case_file_of(*, panel_case: PanelCase, file_id: int) -> CaseFile:
    """A file of an information request (the question's or the answer's) of the panel case's case; else 404."""
    return get_object_or_404(panel_case.case.files.filter(information_request__isnull=False), pk=file_id)
