"""Meetings of the user's panels: the list, one meeting, what its agenda and attendance may hold."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from panels.models import Meeting, Membership, Panel, PanelCase, SafeguardingLead
from panels.scope import is_chair_of, meetings_visible_to, memberships_of


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
