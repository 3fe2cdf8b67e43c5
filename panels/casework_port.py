"""panels' side of casework.panel_port: routing a case to a panel inside casework's transaction, and the facts of
panel work casework's rules and pages ask for (docs/adr/0012)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from casework.lifecycle.states import FINISHED
from casework.models import Case, Decision, Policy
from casework.panel_port import PanelWork
from casework.services.base import referral_answer, tell
from common.calendar import add_working_days
from common.history import history_forget, history_replace
from notifications.models import Notification
from panels.models import ConflictOfInterest, Membership, Panel, PanelCase, SafeguardingLead, View
from panels.quorum import automatic_exclusion
from panels.scope import memberships_of, seats_of
from panels.services import panel_cases_refresh_quorate

_AWAITING = {Case.Status.AWAITING_RG: Decision.Stage.RG, Case.Status.AWAITING_CG: Decision.Stage.CG}


def active_panels(*, today=None) -> QuerySet[Panel]:
    today = today or timezone.localdate()
    return Panel.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=today), active_from__lte=today)


def _covering(panels: QuerySet[Panel], case: Case) -> QuerySet[Panel]:
    """The panels of the case's nation whose area holds it: the whole nation, or the region where the person is
    staying, or (a child's) local authority, as the referral names them."""
    covers = Q(regions=[], local_authorities=[])
    region = referral_answer(case, "current_region")
    if region:
        covers |= Q(regions__contains=[region])
    authority = referral_answer(case, "la_name")
    if authority:
        covers |= Q(local_authorities__contains=[authority])
    return panels.filter(covers, nation=case.nation)


def _least_loaded(panels: QuerySet[Panel]) -> Panel | None:
    return (
        panels.annotate(open_cases=Count("cases", filter=Q(cases__state=PanelCase.State.OPEN)))
        .order_by("open_cases", "pk")
        .first()
    )


def _due_date(panel: Panel, case: Case):
    days = panel.review_working_days or Policy.for_case(case).panel_review_working_days
    return add_working_days(timezone.localdate(), days)


def _send(panel: Panel, case: Case, *, kind: str, stage: str, decision: Decision | None) -> PanelCase:
    panel_case = PanelCase.objects.create(
        panel=panel, case=case, kind=kind, stage=stage, decision=decision, due_date=_due_date(panel, case)
    )
    seats = list(seats_of(panel.pk))
    for membership in seats:
        ground = automatic_exclusion(membership, panel_case)
        if ground:
            ConflictOfInterest.objects.create(panel_case=panel_case, membership=membership, ground=ground)
    tell([m.user for m in seats], kind=Notification.Kind.PANEL_CASE_ROUTED, case=case)
    panel_cases_refresh_quorate([panel_case.pk])
    return panel_case


def _status_label(panel_case: PanelCase) -> str:
    if panel_case.state == PanelCase.State.WITHDRAWN:
        return "Withdrawn: the case closed"
    if panel_case.state == PanelCase.State.CONCLUDED:
        verb = "Reviewed" if panel_case.is_review else "Decided"
        return f"{verb} on {date_format(timezone.localtime(panel_case.concluded_at).date(), 'j F Y')}"
    if panel_case.meeting_id is not None:
        when = date_format(timezone.localtime(panel_case.meeting.starts_at).date(), "j F Y")
        return f"On the agenda of the panel's meeting on {when}"
    views = getattr(panel_case, "view_count", None)
    if views:
        return f"With the panel: {views} {'view' if views == 1 else 'views'} recorded"
    return "With the panel"


def panel_work(panel_case: PanelCase) -> PanelWork:
    recommendation = panel_case.get_recommendation_display() if panel_case.recommendation else ""
    return PanelWork(
        case_id=panel_case.case_id,
        decision_id=panel_case.decision_id,
        panel_name=panel_case.panel.name,
        kind=panel_case.kind,
        stage=panel_case.stage,
        due_date=panel_case.due_date,
        status_label=_status_label(panel_case),
        is_open=panel_case.is_open,
        is_overdue=panel_case.is_overdue,
        recommendation_label=recommendation,
        recommendation_reasons=panel_case.reasons,
    )


# What panel_work reads of a panel case and the rows joined to it.
_WORK_COLUMNS = (
    "case",
    "decision",
    "kind",
    "stage",
    "due_date",
    "state",
    "concluded_at",
    "recommendation",
    "reasons",
    "panel__name",
    "meeting__starts_at",
)


class PanelsForCasework:
    """Installed as casework.panel_port's implementation by PanelsConfig.ready()."""

    def review_routed(self, *, decision: Decision, case: Case) -> PanelWork | None:
        takes = {Decision.Stage.RG: "reviews_negative_rg", Decision.Stage.CG: "reviews_negative_cg"}[decision.stage]
        candidates = _covering(active_panels().filter(kind=Panel.Kind.ASSURANCE, **{takes: True}), case)
        panel = _least_loaded(candidates)
        if panel is None:
            return None
        panel_case = _send(panel, case, kind=PanelCase.Kind.REVIEW, stage=decision.stage, decision=decision)
        return panel_work(panel_case)

    def case_moved(self, *, case: Case, from_status: str, to_status: str) -> None:
        if to_status in FINISHED:
            PanelCase.objects.filter(case=case, state=PanelCase.State.OPEN).update(
                state=PanelCase.State.WITHDRAWN, version=F("version") + 1
            )
            return
        stage = _AWAITING.get(to_status)
        if stage is None or not Policy.for_case(case).decision_making_panels:
            return
        if PanelCase.objects.filter(
            case=case, kind=PanelCase.Kind.DECISION, stage=stage, state=PanelCase.State.OPEN
        ).exists():
            return
        decides = {Decision.Stage.RG: "decides_rg", Decision.Stage.CG: "decides_cg"}[stage]
        candidates = active_panels().filter(kind=Panel.Kind.DECISION_MAKING, **{decides: True})
        if not case.is_child:
            candidates = candidates.filter(children_only=False)
        panel = _least_loaded(_covering(candidates, case))
        if panel is None:
            return
        _send(panel, case, kind=PanelCase.Kind.DECISION, stage=stage, decision=None)
        if stage == Decision.Stage.RG:
            leads = SafeguardingLead.objects.filter(
                organisation_id=case.referral.organisation_id, is_active=True, user__is_active=True
            ).select_related("user")
            tell([lead.user for lead in leads], kind=Notification.Kind.SAFEGUARDING_LEAD_TOLD, case=case)

    def work_for(self, *, case_ids: Iterable[int]) -> dict[int, list[PanelWork]]:
        work: dict[int, list[PanelWork]] = {}
        rows = (
            PanelCase.objects.filter(case_id__in=list(case_ids))
            .select_related("panel", "meeting")
            .only(*_WORK_COLUMNS)
            .annotate(view_count=Count("views"))
            .order_by("-routed_at", "-pk")
        )
        for panel_case in rows:
            work.setdefault(panel_case.case_id, []).append(panel_work(panel_case))
        return work

    def may_conclude(self, *, user: User, decision: Decision) -> bool:
        return PanelCase.objects.filter(
            decision=decision,
            kind=PanelCase.Kind.REVIEW,
            state=PanelCase.State.OPEN,
            panel_id__in=memberships_of(user).filter(role=Membership.Role.CHAIR).values("panel_id"),
        ).exists()

    def deciding_panel(self, *, case: Case, stage: str) -> str:
        return (
            PanelCase.objects.filter(case=case, kind=PanelCase.Kind.DECISION, stage=stage, state=PanelCase.State.OPEN)
            .values_list("panel__name", flat=True)
            .first()
            or ""
        )

    def may_decide(self, *, user: User, case: Case, stage: str) -> bool:
        return PanelCase.objects.filter(
            case=case,
            kind=PanelCase.Kind.DECISION,
            stage=stage,
            state=PanelCase.State.OPEN,
            panel_id__in=memberships_of(user).filter(role=Membership.Role.CHAIR).values("panel_id"),
        ).exists()

    def forget(self, *, case_id: int, delete: bool) -> None:
        rows = (
            View.objects.filter(panel_case__case_id=case_id),
            ConflictOfInterest.objects.filter(panel_case__case_id=case_id),
            PanelCase.objects.filter(case_id=case_id),
        )
        if delete:
            for panel_case in rows[2]:
                panel_case.participants.clear()
            for queryset in rows:
                pks = list(queryset.values_list("pk", flat=True))
                queryset.delete()
                history_forget(queryset.model, pks)
            return
        rows[0].update(reasons="")
        rows[1].update(details="")
        rows[2].update(reasons="")
        for queryset in rows:
            history_replace(queryset.model, queryset.values_list("pk", flat=True), reason=FORGOTTEN_REASON)


FORGOTTEN_REASON = "Personal details removed under the retention policy"
