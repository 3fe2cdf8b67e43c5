"""Who sees which panel work: the one statement of a panel person's scope (their active seats), used by the
selectors, the services and casework's port alike. Anything outside it is a 404."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from casework import rules
from casework.models import Case
from panels.models import Meeting, Membership, Panel, PanelCase


def _active_seats() -> Q:
    today = timezone.localdate()
    return Q(term_start__lte=today) & (Q(term_end__isnull=True) | Q(term_end__gte=today))


def memberships_of(user: User) -> QuerySet[Membership]:
    """The seats `user` holds now; none for anyone who is not an active panel chair or member."""
    if not rules.is_panel_member(user):
        return Membership.objects.none()
    return Membership.objects.filter(_active_seats(), user=user).select_related("panel")


def membership_on(user: User, panel_id: int) -> Membership | None:
    return memberships_of(user).filter(panel_id=panel_id).first()


def is_chair_of(user: User, panel: Panel | int) -> bool:
    panel_id = panel if isinstance(panel, int) else panel.pk
    return memberships_of(user).filter(panel_id=panel_id, role=Membership.Role.CHAIR).exists()


def chairs_of(panel_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(
        _active_seats(), panel_id=panel_id, role=Membership.Role.CHAIR, user__is_active=True
    ).select_related("user")


def seats_of(panel_id: int) -> QuerySet[Membership]:
    """Everyone sitting on the panel now, the chair first."""
    return (
        Membership.objects.filter(_active_seats(), panel_id=panel_id, user__is_active=True)
        .select_related("user")
        .order_by("role", "pk")
    )


def panel_cases_visible_to(user: User) -> QuerySet[PanelCase]:
    """The cases sent to the panels `user` sits on now, and no others."""
    return PanelCase.objects.filter(panel_id__in=memberships_of(user).values("panel_id"))


def panel_case_for(user: User, pk: int) -> PanelCase:
    """One case sent to one of `user`'s panels, or 404."""
    panel_case = (
        panel_cases_visible_to(user)
        .select_related("panel", "case", "case__referral", "decision", "meeting")
        .filter(pk=pk)
        .first()
    )
    if panel_case is None:
        raise Http404("No such panel case")
    return panel_case


def panel_cases_of_authority(user: User) -> QuerySet[PanelCase]:
    """For an authority's manager: the panel work on their authority's cases (the dashboard, the records)."""
    if not (user.is_authenticated and user.role == Role.MANAGER and rules.is_authority_member(user)):
        return PanelCase.objects.none()
    # The authority of each panel case's case, looked up row by row (an index lookup each): a join lets the
    # planner walk a million cases to find the few thousand sent to panels (430 ms at 1,000,000 cases).
    authority = Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("authority_id")[:1])
    return PanelCase.objects.alias(case_authority=authority).filter(case_authority=user.organisation_id)


def invitations_of(user: User) -> QuerySet[Meeting]:
    """The meetings `user` is invited to as an active Slavery Safeguarding Lead of their own organisation: when,
    where and which panel, never its agenda."""
    if not (user.is_authenticated and user.is_active and user.organisation_id):
        return Meeting.objects.none()
    return Meeting.objects.filter(
        invited_leads__user=user,
        invited_leads__organisation_id=user.organisation_id,
        invited_leads__is_active=True,
    ).select_related("panel")


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(panel_id__in=memberships_of(user).values("panel_id")).select_related("panel")


def meeting_for(user: User, pk: int) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting
