"""Every read the panel people's pages need, already scoped to the user through `panels.scope`: a panel case,
meeting or file outside the user's panels is a 404, never a 403.

The review list reads one page of rows with everything its columns show joined or annotated (one query per
list, whatever the number of rows); the review page reads each kind of row once. A panel sees only what review
needs: the referral by section, its evidence, the information requests and their answers, the case timeline
without the authority's internal working (notes, who was assigned), and the decision under review with the
decision maker's role, never their name."""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.factors import factor_labels
from casework.models import CaseEvent, CaseFile, CaseNote, Decision
from casework.selectors.case_rows import FileRow, InformationRequestRow, evidence_file_row, information_request_row
from casework.selectors.timeline import Lookups, TimelineEntry, status_colour, timeline_entry
from panels.models import ConflictOfInterest, Meeting, Membership, Panel, PanelCase, SafeguardingLead, View
from panels.quorum import Quorum, exclusion_for, quorum_for
from panels.scope import is_chair_of, meetings_visible_to, memberships_of, panel_case_for, panel_cases_visible_to
from referrals.check import answer_summary
from referrals.models import EvidenceFile
from referrals.questions import QUESTIONNAIRE

# The authority's own working, which a panel does not need to review the decision (and which names its staff).
INTERNAL_EVENTS = frozenset({CaseEvent.Kind.ASSIGNED, CaseEvent.Kind.RELEASED, CaseEvent.Kind.NOTE_ADDED})
CLOSED_STATES = (PanelCase.State.CONCLUDED, PanelCase.State.WITHDRAWN)
# What `panels.quorum.quorum_for` reads of a panel case, prefetched for a list of them.
QUORUM_ROWS = (
    Prefetch("views", queryset=View.objects.select_related("membership__user")),
    "conflicts",
    Prefetch("meeting__attendees", queryset=Membership.objects.select_related("user")),
)


def role_label(user: User | None) -> str:
    """Who someone is to a panel: their role and organisation ("Caseworker, Single Competent Authority")."""
    if user is None:
        return "The system"
    organisation = getattr(user, "organisation", None)
    return f"{user.get_role_display()}, {organisation.name}" if organisation else user.get_role_display()


# The review list -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    empty: str


TABS = (
    Tab("to_review", "To review", "There is nothing waiting for you to review."),
    Tab("awaiting_chair", "Awaiting chair", "There is nothing waiting for a chair to conclude."),
    Tab("concluded", "Concluded", "Nothing sent to your panels has been concluded yet."),
)
TAB_BY_SLUG = {tab.slug: tab for tab in TABS}


def tab_named(slug: str | None) -> Tab:
    return TAB_BY_SLUG.get(slug or "", TABS[0])


@dataclass(frozen=True)
class ReviewRow:
    pk: int
    reference: str
    panel_name: str
    work_label: str
    due_date: date
    is_overdue: bool
    status_label: str
    status_colour: str

    @property
    def url(self) -> str:
        return reverse("panels:case", args=[self.pk])


def _annotated(user: User) -> QuerySet[PanelCase]:
    """The user's panel cases, each with the user's seat on its panel (role), whether the user recorded a view,
    and whether they are excluded: a conflict on record, a seat from the referring organisation, or the decision
    under review is theirs."""
    seat = Membership.objects.filter(panel=OuterRef("panel"), user=user)
    return (
        panel_cases_visible_to(user)
        .select_related("panel", "case__referral", "decision", "meeting")
        .annotate(
            my_role=Subquery(seat.values("role")[:1]),
            my_view=Exists(View.objects.filter(panel_case=OuterRef("pk"), membership__user=user)),
            excluded=ExpressionWrapper(
                Exists(ConflictOfInterest.objects.filter(panel_case=OuterRef("pk"), membership__user=user))
                | Exists(
                    Membership.objects.filter(
                        panel=OuterRef("panel"), user=user, home_organisation=OuterRef("case__referral__organisation")
                    )
                )
                | Q(decision__decided_by=user)
                | Q(case__referral__organisation_id=user.organisation_id or 0),
                output_field=BooleanField(),
            ),
        )
    )


def _open_by_tab(user: User) -> dict[str, list[PanelCase]]:
    """The user's open panel cases by tab. A member's case is to review until they record a view (or are
    excluded); a chair's is to review until the panel is quorate, then awaits the chair. Soonest due first."""
    cases = list(
        _annotated(user).filter(state=PanelCase.State.OPEN).prefetch_related(*QUORUM_ROWS).order_by("due_date", "pk")
    )
    seats = {membership.panel_id: membership for membership in memberships_of(user)} if cases else {}
    tabs: dict[str, list[PanelCase]] = {"to_review": [], "awaiting_chair": []}
    for panel_case in cases:
        if panel_case.my_role == Membership.Role.CHAIR:
            panel_case.quorate = quorum_for(panel_case, chair=seats.get(panel_case.panel_id)).met
            waiting_for_chair = panel_case.quorate
        else:
            waiting_for_chair = panel_case.my_view or panel_case.excluded
        tabs["awaiting_chair" if waiting_for_chair else "to_review"].append(panel_case)
    return tabs


@dataclass(frozen=True)
class ReviewList:
    tab: Tab
    counts: dict[str, int]
    cases: list[PanelCase] | QuerySet[PanelCase]


def review_list_for(*, user: User, tab: Tab) -> ReviewList:
    """The cases of `tab` (concluded: a query to paginate, latest first) and how many each tab holds."""
    open_tabs = _open_by_tab(user)
    concluded = _annotated(user).filter(state__in=CLOSED_STATES).order_by("-concluded_at", "-due_date", "-pk")
    counts = {slug: len(cases) for slug, cases in open_tabs.items()}
    counts["concluded"] = panel_cases_visible_to(user).filter(state__in=CLOSED_STATES).count()
    return ReviewList(tab=tab, counts=counts, cases=concluded if tab.slug == "concluded" else open_tabs[tab.slug])


def _status(panel_case: PanelCase) -> tuple[str, str]:
    if panel_case.state == PanelCase.State.WITHDRAWN:
        return "Withdrawn", "grey"
    if panel_case.state == PanelCase.State.CONCLUDED:
        colour = "green" if panel_case.recommendation in ("agree", "positive") else "orange"
        return panel_case.get_recommendation_display() or "Concluded", colour
    if getattr(panel_case, "my_role", None) == Membership.Role.CHAIR:
        return ("Ready to conclude", "blue") if getattr(panel_case, "quorate", False) else ("Not quorate yet", "yellow")
    if getattr(panel_case, "excluded", False):
        return "You are excluded", "grey"
    if getattr(panel_case, "my_view", False):
        return "Your view is recorded", "turquoise"
    return "Waiting for your view", "blue"


def work_label(panel_case: PanelCase) -> str:
    stage = Decision.Stage(panel_case.stage).label.lower()
    return f"Review of a negative {stage} decision" if panel_case.is_review else f"{stage.capitalize()} decision"


def review_row(panel_case: PanelCase) -> ReviewRow:
    label, colour = _status(panel_case)
    return ReviewRow(
        pk=panel_case.pk,
        reference=panel_case.case.reference,
        panel_name=panel_case.panel.name,
        work_label=work_label(panel_case),
        due_date=panel_case.due_date,
        is_overdue=panel_case.is_overdue,
        status_label=label,
        status_colour=colour,
    )


# The review page --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedDecision:
    pk: int
    title: str
    state_label: str
    decided_by_role: str
    decision_date: date
    factor_labels: tuple[str, ...]
    reasons: str
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
    """A panel case of one of the user's panels, with what the pages around it read joined; else 404."""
    panel_case = panel_case_for(user, pk)
    return (
        PanelCase.objects.select_related(
            "panel", "case__referral__organisation", "meeting", "decision__decided_by__organisation", "concluded_by"
        )
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
        authority_response_label=decision.get_authority_response_display() if decision.authority_response else "",
        authority_response_reasons=decision.authority_response_reasons,
        authority_responded_by_role=role_label(responded_by) if responded_by else "",
        authority_responded_at=decision.authority_responded_at,
    )


def _view_rows(panel_case: PanelCase, membership: Membership, *, all_views: bool) -> tuple[tuple[ViewRow, ...], int]:
    views = list(panel_case.views.select_related("membership__user"))
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
    return tuple(replace(timeline_entry(event, lookups), actor=role_label(event.actor)) for event in events)


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
    my_view = panel_case.views.filter(membership=membership).first()
    label, colour = _status(panel_case)
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


def open_panel_case_for(*, user: User, reference: str) -> PanelCase:
    """The user's open panel case of that reference, else the latest one; 404 when none is in the user's scope."""
    cases = panel_cases_visible_to(user).filter(case__reference=reference)
    panel_case = cases.filter(state=PanelCase.State.OPEN).order_by("due_date", "pk").first()
    if panel_case is None:
        panel_case = cases.order_by("-routed_at", "-pk").first()
    if panel_case is None:
        raise Http404
    return panel_case


# Meetings ---------------------------------------------------------------------------------------------------------


def chaired_panels(*, user: User) -> list[Panel]:
    """The panels the user chairs now."""
    return [membership.panel for membership in memberships_of(user) if membership.is_chair]


def meetings_of(*, user: User) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming soonest first, past latest first) meetings of the user's panels, with their agendas."""
    meetings = meetings_visible_to(user).select_related("panel").prefetch_related("agenda__case")
    now = timezone.now()
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at", "pk"))
    past = list(meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:50])
    return upcoming, past


def meeting_of(*, user: User, pk: int) -> Meeting:
    """A meeting of one of the user's panels; else 404."""
    meetings = meetings_visible_to(user).select_related("panel", "scheduled_by")
    return get_object_or_404(meetings, pk=pk)


def open_panel_cases_of(panel: Panel) -> QuerySet[PanelCase]:
    """What a meeting of `panel` may have on its agenda: the panel's open cases, soonest due first."""
    return panel.cases.filter(state=PanelCase.State.OPEN).select_related("case").order_by("due_date", "pk")


def meeting_page_for(*, user: User, meeting: Meeting) -> dict:
    agenda = list(meeting.agenda.select_related("case").order_by("due_date", "pk"))
    attendees = list(meeting.attendees.select_related("user"))
    leads = list(meeting.invited_leads.select_related("user", "organisation"))
    return {
        "agenda": agenda,
        "attendees": attendees,
        "leads": leads,
        "is_chair": is_chair_of(user, meeting.panel),
        "is_past": meeting.starts_at < timezone.now(),
        "members": list(meeting.panel.memberships.select_related("user")),
    }


def active_members_of(panel: Panel) -> QuerySet[Membership]:
    today = timezone.localdate()
    return (
        panel.memberships.filter(term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .select_related("user")
    )


def safeguarding_leads_for(panel: Panel) -> QuerySet[SafeguardingLead]:
    """The Slavery Safeguarding Leads a chair may invite to a meeting of `panel` (only a decision-making panel's
    meetings have them)."""
    if panel.is_assurance:
        return SafeguardingLead.objects.none()
    return SafeguardingLead.objects.filter(is_active=True).select_related("user", "organisation")


def agenda_choices_for(meeting: Meeting) -> QuerySet[PanelCase]:
    """What the chair may put on `meeting`'s agenda: the panel's open cases (those on it already included)."""
    return open_panel_cases_of(meeting.panel)
