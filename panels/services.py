"""Every write of the panels app (design.md, convention 1). A panel's conclusion reaches the case only through
casework's services (`decision_review_conclude`, `case_make_panel_decision`), which lock the case: these services
call them first and lock their own rows after, so that everything about one case waits on the case's one lock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from casework.errors import AlreadyDone, IllegalTransition, InvalidInput, NotPermitted, StaleCase
from casework.lifecycle import ReviewOutcome
from casework.models import OverdueEscalation, Policy, ReviewRoute
from casework.services import case_make_panel_decision, decision_review_conclude
from casework.services.base import manager_recipients, tell
from notifications.models import Notification
from notifications.services import notify
from panels.models import ConflictOfInterest, Meeting, Membership, PanelCase, SafeguardingLead, View
from panels.quorum import QUORUM_ROWS, exclusion_for, quorum_for
from panels.scope import chairs_of, membership_on, seats_of

STALE_MESSAGE = (
    "Someone else changed this while you were working on it. Nothing was saved: check it as it is now, then try "
    "again (what you typed is still below)."
)


class NotQuorate(InvalidInput):
    """The panel may not conclude yet; the message says exactly what is missing."""


_REVIEW_OPINIONS = (PanelCase.Recommendation.AGREE, PanelCase.Recommendation.RECOMMEND_RECONSIDERATION)
_DECISION_OPINIONS = (PanelCase.Recommendation.POSITIVE, PanelCase.Recommendation.NEGATIVE)


def _opinions_for(panel_case: PanelCase) -> tuple[str, ...]:
    return _REVIEW_OPINIONS if panel_case.is_review else _DECISION_OPINIONS


def _locked_panel_case(panel_case_id: int, *, expected_version: int | None = None) -> PanelCase:
    panel_case = (
        PanelCase.objects.select_for_update(of=("self",))
        .select_related("panel", "case", "case__referral", "decision")
        .filter(pk=panel_case_id)
        .first()
    )
    if panel_case is None:
        raise IllegalTransition("This case was not sent to a panel")
    if expected_version is not None and panel_case.version != expected_version:
        raise StaleCase(STALE_MESSAGE)
    return panel_case


def _require_open(panel_case: PanelCase) -> None:
    if panel_case.state == PanelCase.State.CONCLUDED:
        raise IllegalTransition(f"The panel has already concluded on {panel_case.case.reference}")
    if panel_case.state == PanelCase.State.WITHDRAWN:
        raise IllegalTransition(f"{panel_case.case.reference} was withdrawn from the panel when the case closed")


def _seat(actor: User, panel_case: PanelCase) -> Membership:
    membership = membership_on(actor, panel_case.panel_id)
    if membership is None:
        raise NotPermitted("Only members of the panel this case was sent to can do this")
    return membership


def _chair_seat(actor: User, panel_id: int, *, doing: str) -> Membership:
    membership = membership_on(actor, panel_id)
    if membership is None or not membership.is_chair:
        raise NotPermitted(f"Only the panel's chair can {doing}")
    return membership


def _reasons(reasons: str, message: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput(message, field="reasons")
    return reasons


def panel_cases_refresh_quorate(panel_case_ids: Iterable[int]) -> None:
    """Keeps each open panel case's `quorate` flag (the chair's lists sort on it) after what changes who takes
    part: a view, a conflict, the agenda, attendance, a new case."""
    open_cases = (
        PanelCase.objects.filter(pk__in=list(panel_case_ids), state=PanelCase.State.OPEN)
        .select_related("panel", "case__referral", "decision", "meeting")
        .prefetch_related(*QUORUM_ROWS)
    )
    for panel_case in open_cases:
        met = quorum_for(panel_case, chair=chairs_of(panel_case.panel_id).first()).met
        if met != panel_case.quorate:
            PanelCase.objects.filter(pk=panel_case.pk).update(quorate=met)


# A member's work ----------------------------------------------------------------------------------------------


@transaction.atomic
def panel_view_record(
    *, panel_case_id: int, actor: User, opinion: str, reasons: str, expected_version: int | None = None
) -> View:
    """Records or changes a member's view, until the chair concludes. `expected_version`: the version of the
    member's own view when they opened the form (None for a first view)."""
    panel_case = _locked_panel_case(panel_case_id)
    _require_open(panel_case)
    membership = _seat(actor, panel_case)
    excluded = exclusion_for(membership, panel_case)
    if excluded:
        raise NotPermitted(excluded)
    if opinion not in _opinions_for(panel_case):
        words = "agree or recommend reconsideration" if panel_case.is_review else "a positive or negative decision"
        raise InvalidInput(f"Select whether you {words}", field="opinion")
    reasons = _reasons(reasons, "Enter the reasons for your view")
    view = View.objects.select_for_update().filter(panel_case=panel_case, membership=membership).first()
    if view is None:
        if expected_version is not None:
            raise StaleCase(STALE_MESSAGE)
        view = View.objects.create(panel_case=panel_case, membership=membership, opinion=opinion, reasons=reasons)
        panel_cases_refresh_quorate([panel_case.pk])
        return view
    if expected_version is not None and view.version != expected_version:
        # The view is the member's own: only they changed it since the form was opened (a double post, or
        # another tab), never someone else.
        raise AlreadyDone(f"You have already recorded your view on {panel_case.case.reference}")
    view.opinion, view.reasons, view.recorded_at = opinion, reasons, timezone.now()
    view.version += 1
    view.save()
    return view


@transaction.atomic
def panel_conflict_declare(*, panel_case_id: int, actor: User, details: str) -> ConflictOfInterest:
    """A member declares a conflict of interest: from then on they take no part in this case (a view they had
    recorded no longer counts)."""
    panel_case = _locked_panel_case(panel_case_id)
    _require_open(panel_case)
    membership = _seat(actor, panel_case)
    details = (details or "").strip()
    if not details:
        raise InvalidInput("Enter what the conflict of interest is", field="details")
    if panel_case.conflicts.filter(membership=membership).exists():
        raise IllegalTransition("You already take no part in this case")
    conflict = ConflictOfInterest.objects.create(
        panel_case=panel_case, membership=membership, ground=ConflictOfInterest.Ground.DECLARED, details=details
    )
    panel_cases_refresh_quorate([panel_case.pk])
    return conflict


# Meetings -----------------------------------------------------------------------------------------------------


def _agenda_cases(panel_id: int, panel_case_ids: Iterable[int]) -> list[PanelCase]:
    ids = {int(pk) for pk in panel_case_ids}
    cases = list(PanelCase.objects.select_for_update().filter(pk__in=ids, panel_id=panel_id, state="open"))
    if len(cases) != len(ids):
        raise InvalidInput("Select open cases of this panel only", field="panel_cases")
    return cases


@transaction.atomic
def panel_meeting_schedule(
    *,
    panel_id: int,
    actor: User,
    starts_at: datetime,
    format: str,
    where: str = "",
    panel_case_ids: Iterable[int] = (),
    lead_ids: Iterable[int] = (),
) -> Meeting:
    """The chair schedules a meeting and puts cases on its agenda; the members, and any Slavery Safeguarding
    Leads invited, are told (the email names no case)."""
    _chair_seat(actor, panel_id, doing="schedule its meetings")
    if not isinstance(starts_at, datetime):
        raise InvalidInput("Enter the date and time of the meeting", field="starts_at")
    if timezone.localtime(starts_at).date() < timezone.localdate():
        raise InvalidInput("The meeting's date must be today or in the future", field="starts_at")
    if format not in Meeting.Format.values:
        raise InvalidInput("Select how the meeting is held", field="format")
    where = (where or "").strip()
    if format == Meeting.Format.IN_PERSON and not where:
        raise InvalidInput("Enter where the meeting is held", field="where")
    cases = _agenda_cases(panel_id, panel_case_ids)
    leads = list(SafeguardingLead.objects.filter(pk__in=list(lead_ids), is_active=True).select_related("user"))
    if len(leads) != len(set(lead_ids)):
        raise InvalidInput("Select Slavery Safeguarding Leads from the list", field="leads")
    meeting = Meeting.objects.create(
        panel_id=panel_id, starts_at=starts_at, format=format, where=where, scheduled_by=actor
    )
    meeting.invited_leads.set(leads)
    PanelCase.objects.filter(pk__in=[c.pk for c in cases]).update(meeting=meeting, version=F("version") + 1)
    told = {actor.pk}
    for user, kind in [(m.user, Notification.Kind.PANEL_MEETING_SCHEDULED) for m in seats_of(panel_id)] + [
        (lead.user, Notification.Kind.PANEL_MEETING_INVITATION) for lead in leads
    ]:
        if user.pk not in told:
            told.add(user.pk)
            notify(recipient=user, kind=kind, subject=meeting, reference="")
    return meeting


def _locked_meeting(meeting_id: int, expected_version: int | None) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise IllegalTransition("No such meeting")
    if expected_version is not None and meeting.version != expected_version:
        raise StaleCase(STALE_MESSAGE)
    return meeting


@transaction.atomic
def panel_meeting_set_agenda(
    *, meeting_id: int, actor: User, panel_case_ids: Iterable[int], expected_version: int | None = None
) -> Meeting:
    """The chair changes which open cases the meeting will consider."""
    meeting = _locked_meeting(meeting_id, expected_version)
    _chair_seat(actor, meeting.panel_id, doing="change a meeting's agenda")
    cases = _agenda_cases(meeting.panel_id, panel_case_ids)
    touched = {c.pk for c in cases} | set(
        meeting.agenda.filter(state=PanelCase.State.OPEN).values_list("pk", flat=True)
    )
    meeting.agenda.filter(state=PanelCase.State.OPEN).exclude(pk__in=[c.pk for c in cases]).update(
        meeting=None, version=F("version") + 1
    )
    PanelCase.objects.filter(pk__in=[c.pk for c in cases]).exclude(meeting=meeting).update(
        meeting=meeting, version=F("version") + 1
    )
    meeting.version += 1
    meeting.save(update_fields=["version"])
    panel_cases_refresh_quorate(touched)
    return meeting


@transaction.atomic
def panel_meeting_record_attendance(
    *, meeting_id: int, actor: User, membership_ids: Iterable[int], expected_version: int | None = None
) -> Meeting:
    """The chair records who attended, once the meeting's day has come; those present take part in the cases on
    its agenda (panels.quorum)."""
    meeting = _locked_meeting(meeting_id, expected_version)
    chair = _chair_seat(actor, meeting.panel_id, doing="record who attended")
    if timezone.localtime(meeting.starts_at).date() > timezone.localdate():
        raise IllegalTransition("You can record who attended once the meeting has taken place")
    ids = {int(pk) for pk in membership_ids} | {chair.pk}
    attendees = list(seats_of(meeting.panel_id).filter(pk__in=ids))
    if len(attendees) != len(ids):
        raise InvalidInput("Select members of this panel only", field="attendees")
    meeting.attendees.set(attendees)
    meeting.attendance_recorded_at = timezone.now()
    meeting.version += 1
    meeting.save()
    panel_cases_refresh_quorate(meeting.agenda.values_list("pk", flat=True))
    return meeting


# The chair's conclusion ---------------------------------------------------------------------------------------


def _conclusion_checks(panel_case_id: int, actor: User, *, doing: str) -> tuple[PanelCase, Membership]:
    """What the chair may not conclude without, checked before casework locks the case."""
    panel_case = PanelCase.objects.select_related("panel", "case", "case__referral", "decision").get(pk=panel_case_id)
    _require_open(panel_case)
    chair = _chair_seat(actor, panel_case.panel_id, doing=doing)
    if panel_case.decision_id is not None and panel_case.decision.decided_by_id == actor.pk:
        raise NotPermitted("The chair can never be the original decision maker: another chair must conclude")
    excluded = exclusion_for(chair, panel_case)
    if excluded:
        raise NotPermitted(excluded)
    quorum = quorum_for(panel_case, chair=chair)
    if not quorum.met:
        raise NotQuorate(quorum.summary, field="recommendation")
    return panel_case, chair


def _concluded(
    panel_case_id: int, actor: User, *, recommendation: str, reasons: str, expected_version: int | None, decision=None
) -> PanelCase:
    """Marks the panel's work concluded, after casework has taken the decision (and holds the case's lock)."""
    panel_case = _locked_panel_case(panel_case_id, expected_version=expected_version)
    _require_open(panel_case)
    chair = membership_on(actor, panel_case.panel_id)
    people = quorum_for(panel_case, chair=chair).taking_part
    panel_case.state = PanelCase.State.CONCLUDED
    panel_case.recommendation = recommendation
    panel_case.reasons = reasons
    panel_case.concluded_by = actor
    panel_case.concluded_at = timezone.now()
    if decision is not None:
        panel_case.decision = decision
    panel_case.version += 1
    panel_case.save()
    panel_case.participants.set(people)
    return panel_case


@transaction.atomic
def panel_review_conclude(
    *, panel_case_id: int, actor: User, recommendation: str, reasons: str, expected_version: int | None = None
) -> PanelCase:
    """An assurance panel's conclusion, by its chair once quorate: agree (casework serves the decision) or
    recommend reconsideration (casework waits for a manager's response). The recommendation is stored here; the
    authority's response is casework's."""
    panel_case, _ = _conclusion_checks(panel_case_id, actor, doing="conclude the panel's review")
    if not panel_case.is_review:
        raise IllegalTransition("This panel makes the decision: record it instead")
    if recommendation not in _REVIEW_OPINIONS:
        raise InvalidInput("Select whether the panel agrees or recommends reconsideration", field="recommendation")
    reasons = _reasons(reasons, "Enter the panel's reasons")
    decision_review_conclude(
        decision_id=panel_case.decision_id,
        actor=actor,
        outcome=ReviewOutcome(recommendation),
        reasons=reasons,
        route=ReviewRoute.PANEL,
    )
    return _concluded(
        panel_case_id, actor, recommendation=recommendation, reasons=reasons, expected_version=expected_version
    )


@transaction.atomic
def panel_decision_make(
    *,
    panel_case_id: int,
    actor: User,
    outcome: str,
    reasons: str,
    decision_date: date,
    factors: Iterable[str] = (),
    negative_reason: str = "",
    expected_version: int | None = None,
) -> PanelCase:
    """A decision-making panel's decision, recorded by its chair once quorate; casework serves it as it serves
    an authority's, and the letter names the panel. `negative_reason`: a negative decision's main reason
    (casework.models.Decision.NegativeReason)."""
    panel_case, _ = _conclusion_checks(panel_case_id, actor, doing="record the panel's decision")
    if panel_case.is_review:
        raise IllegalTransition("This panel reviews a decision: conclude the review instead")
    if outcome not in _DECISION_OPINIONS:
        raise InvalidInput("Select whether the decision is positive or negative", field="outcome")
    decision = case_make_panel_decision(
        case_id=panel_case.case_id,
        actor=actor,
        stage=panel_case.stage,
        outcome=outcome,
        factors=list(factors),
        reasons=reasons,
        decision_date=decision_date,
        decision_maker_name=panel_case.panel.name,
        negative_reason=negative_reason,
    )
    return _concluded(
        panel_case_id,
        actor,
        recommendation=outcome,
        reasons=decision.reasons,
        expected_version=expected_version,
        decision=decision,
    )


# The periodic job ---------------------------------------------------------------------------------------------


def panel_cases_escalate_overdue(*, today: date | None = None) -> int:
    """Tells the chair (and, by the nation's policy, the authority's managers) once of each open panel case past
    its due date. Safe to run twice, and beside another run: each row is claimed under a lock."""
    today = today or timezone.localdate()
    told = 0
    overdue = PanelCase.objects.filter(state=PanelCase.State.OPEN, due_date__lt=today, overdue_notified_at=None)
    for pk in overdue.values_list("pk", flat=True).order_by("due_date", "pk"):
        with transaction.atomic():
            panel_case = (
                PanelCase.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "case__referral")
                .filter(pk=pk, state=PanelCase.State.OPEN, overdue_notified_at=None)
                .first()
            )
            if panel_case is None:
                continue
            recipients = [m.user for m in chairs_of(panel_case.panel_id)]
            if Policy.for_case(panel_case.case).overdue_review_escalation == OverdueEscalation.MANAGERS:
                recipients += manager_recipients(panel_case.case)
            tell(recipients, kind=Notification.Kind.PANEL_REVIEW_OVERDUE, case=panel_case.case)
            panel_case.overdue_notified_at = timezone.now()
            panel_case.save(update_fields=["overdue_notified_at"])
            told += 1
    return told
