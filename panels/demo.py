"""Demo panels for `manage.py seed_demo`: two assurance panels and one regional decision-making panel, their seats,
a Slavery Safeguarding Lead at the demo police force, and cases on each panel in every state, made through the
real services (referrals, casework, panels).

- **Demo assurance panel: England** reviews every negative conclusive grounds decision in England: to review,
  one view recorded, awaiting the chair (overdue), agreed, recommending reconsideration (awaiting the SCA's
  manager, reconsidered, maintained), one overdue with no view yet; a meeting held with attendance recorded and
  one next week with an agenda. chair@panel.example, member1@panel.example, member2@panel.example.
- **Demo assurance panel: North West and Yorkshire** reviews negative reasonable grounds decisions of its regions
  (the nation's policy would send them to a second reviewer: these cases override it, as a case may): the same
  states. chair2@panel.example, member3@panel.example and member2@panel.example, who sits on both panels.
- **South West regional panel** makes the RG and CG decisions of cases in Cornwall, Devon, Somerset, Bristol,
  Dorset, Gloucestershire and Wiltshire (quorate with five present): decisions to make (one overdue, one from the
  police force the police member comes from, who is excluded), one on next week's agenda with views, and one
  decided at the meeting held two days ago (the Slavery Safeguarding Lead was invited). chair@region.example and
  member4..member8@region.example (police, local authority, health, NGO, UK Visas and Immigration).

The assurance panels are seeded before casework's demo (its negative CG under review goes to the England panel),
the rest after it (the regional panel would otherwise decide casework's demo cases in its area). Each demo panel
case is known by its referral's responder reference (DEMO-PANEL-NN): a case already there is left as it is, so
this is safe to run again. Dates in the past (overdue reviews, a meeting held) are set afterwards with queryset
updates, as casework.demo does, since the services only accept the present. Sends no email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Nation, Organisation, User
from casework.demo import _backdated
from casework.lifecycle_driver import case_policy_overridden, drive_case_to
from casework.models import Case, Decision, PanelResponse, ReviewRoute
from casework.services import case_assign, case_make_rg_decision, decision_panel_respond
from common.calendar import add_working_days
from notifications.models import Notification
from panels.models import Agency, Meeting, Membership, Panel, PanelCase, SafeguardingLead
from panels.quorum import exclusion_for
from panels.services import (
    panel_cases_escalate_overdue,
    panel_decision_make,
    panel_meeting_record_attendance,
    panel_meeting_schedule,
    panel_review_conclude,
    panel_view_record,
)
from referrals.demo import _draft_with
from referrals.demo_answers import complete_answers
from referrals.models import Referral, Route
from referrals.services import referral_submit

ENGLAND, NORTH, SOUTH_WEST = "england", "north", "south_west"
POLICE, NGO, COUNCIL = "responder@police.example", "responder@ngo.example", "responder@council.example"
SAM, MANAGER = "caseworker@sca.example", "manager@sca.example"
SAFEGUARDING_LEAD = "spoc@police.example"  # the demo police force's Slavery Safeguarding Lead
POLICE_FORCE = "Demo Constabulary"
SEED_BASE = 60_000  # answers drawn well clear of casework.demo's seeds (40,000 onwards)

NORTH_REGIONS = ["Greater Manchester", "Merseyside", "Lancashire", "Cumbria", "West Yorkshire"]
SOUTH_WEST_REGIONS = ["Cornwall", "Devon", "Somerset", "Bristol", "Dorset", "Gloucestershire", "Wiltshire"]


@dataclass(frozen=True)
class Seat:
    email: str
    role: str
    agency: str
    home_organisation: str = ""  # the organisation they come from: they never take part in its referrals


@dataclass(frozen=True)
class DemoPanel:
    key: str
    name: str
    kind: str
    regions: tuple[str, ...]
    seats: tuple[Seat, ...]
    fields: tuple[tuple[str, object], ...] = ()


CHAIR, MEMBER = Membership.Role.CHAIR, Membership.Role.MEMBER
DEMO_PANELS = (
    DemoPanel(
        ENGLAND,
        "Demo assurance panel: England",
        Panel.Kind.ASSURANCE,
        (),
        (
            Seat("chair@panel.example", CHAIR, Agency.OTHER),
            Seat("member1@panel.example", MEMBER, Agency.POLICE),
            Seat("member2@panel.example", MEMBER, Agency.NGO),
        ),
        (("reviews_negative_cg", True), ("reviews_negative_rg", False)),
    ),
    DemoPanel(
        NORTH,
        "Demo assurance panel: North West and Yorkshire",
        Panel.Kind.ASSURANCE,
        tuple(NORTH_REGIONS),
        (
            Seat("chair2@panel.example", CHAIR, Agency.OTHER),
            Seat("member3@panel.example", MEMBER, Agency.LOCAL_AUTHORITY),
            Seat("member2@panel.example", MEMBER, Agency.NGO),
        ),
        (("reviews_negative_cg", False), ("reviews_negative_rg", True)),
    ),
    DemoPanel(
        SOUTH_WEST,
        "South West regional panel",
        Panel.Kind.DECISION_MAKING,
        tuple(SOUTH_WEST_REGIONS),
        (
            Seat("chair@region.example", CHAIR, Agency.OTHER),
            Seat("member4@region.example", MEMBER, Agency.POLICE, POLICE_FORCE),
            Seat("member5@region.example", MEMBER, Agency.LOCAL_AUTHORITY),
            Seat("member6@region.example", MEMBER, Agency.HEALTH),
            Seat("member7@region.example", MEMBER, Agency.NGO),
            Seat("member8@region.example", MEMBER, Agency.UKVI),
        ),
        (
            ("reviews_negative_cg", False),
            ("decides_rg", True),
            ("decides_cg", True),
            ("quorum_minimum_present", 5),
            ("quorum_requires_chair", True),
        ),
    ),
)

# The states a demo panel case is left in.
TO_REVIEW = "to_review"  # sent to the panel, nobody has looked yet
ONE_VIEW = "one_view"  # the first member's view recorded
AWAITING_CHAIR = "awaiting_chair"  # both members' views recorded: quorate, the chair concludes
AGREED = "agreed"  # concluded: the panel agreed, the decision was served
RECOMMENDED = "recommended"  # concluded: reconsider, awaiting the authority's manager
RECONSIDERED = "reconsidered"  # ... and the manager reconsidered (the case waits for its decision again)
MAINTAINED = "maintained"  # ... and the manager maintained the decision (served, with the justification)
TO_DECIDE = "to_decide"  # a decision-making panel's case awaiting its decision
DECIDED = "decided"  # decided by the regional panel at its meeting

# Meetings.
HELD = "held"  # the meeting two days ago, attendance recorded
NEXT = "next"  # the meeting next week, agenda set


@dataclass(frozen=True)
class DemoPanelCase:
    key: str  # the referral's responder reference
    panel: str
    state: str
    responder: str = NGO
    region: tuple[str, str] = ("Greater London", "London")  # (region, town) where the person is staying
    overdue_days: int = 0  # for an open case: due this many days ago
    meeting: str = ""


LONDON = ("Greater London", "London")
BIRMINGHAM = ("West Midlands", "Birmingham")
MANCHESTER, LEEDS, LIVERPOOL = (
    ("Greater Manchester", "Manchester"),
    ("West Yorkshire", "Leeds"),
    ("Merseyside", "Liverpool"),
)
PLYMOUTH, BRISTOL, TRURO = ("Devon", "Plymouth"), ("Bristol", "Bristol"), ("Cornwall", "Truro")
DEMO_PANEL_CASES = (
    DemoPanelCase("DEMO-PANEL-01", ENGLAND, TO_REVIEW, POLICE, LONDON, meeting=NEXT),
    DemoPanelCase("DEMO-PANEL-02", ENGLAND, ONE_VIEW, NGO, BIRMINGHAM, meeting=NEXT),
    DemoPanelCase("DEMO-PANEL-03", ENGLAND, AWAITING_CHAIR, COUNCIL, LONDON, overdue_days=3),
    DemoPanelCase("DEMO-PANEL-04", ENGLAND, TO_REVIEW, NGO, BIRMINGHAM, overdue_days=6),
    DemoPanelCase("DEMO-PANEL-05", ENGLAND, AGREED, POLICE, LONDON, meeting=HELD),
    DemoPanelCase("DEMO-PANEL-06", ENGLAND, RECOMMENDED, NGO, LONDON, meeting=HELD),
    DemoPanelCase("DEMO-PANEL-07", ENGLAND, RECONSIDERED, COUNCIL, BIRMINGHAM, meeting=HELD),
    DemoPanelCase("DEMO-PANEL-08", ENGLAND, MAINTAINED, POLICE, LONDON),
    DemoPanelCase("DEMO-PANEL-09", NORTH, TO_REVIEW, POLICE, MANCHESTER, overdue_days=2),
    DemoPanelCase("DEMO-PANEL-10", NORTH, ONE_VIEW, NGO, LEEDS),
    DemoPanelCase("DEMO-PANEL-11", NORTH, AWAITING_CHAIR, COUNCIL, LIVERPOOL),
    DemoPanelCase("DEMO-PANEL-12", NORTH, AGREED, NGO, MANCHESTER),
    DemoPanelCase("DEMO-PANEL-13", NORTH, RECOMMENDED, POLICE, LEEDS),
    DemoPanelCase("DEMO-PANEL-14", NORTH, RECONSIDERED, NGO, LIVERPOOL),
    DemoPanelCase("DEMO-PANEL-15", NORTH, MAINTAINED, COUNCIL, MANCHESTER),
    DemoPanelCase("DEMO-PANEL-16", SOUTH_WEST, TO_DECIDE, NGO, PLYMOUTH),
    DemoPanelCase("DEMO-PANEL-17", SOUTH_WEST, TO_DECIDE, COUNCIL, BRISTOL, overdue_days=4),
    DemoPanelCase("DEMO-PANEL-18", SOUTH_WEST, TO_DECIDE, POLICE, TRURO),  # the police member takes no part
    DemoPanelCase("DEMO-PANEL-19", SOUTH_WEST, ONE_VIEW, NGO, BRISTOL, meeting=NEXT),
    DemoPanelCase("DEMO-PANEL-20", SOUTH_WEST, DECIDED, COUNCIL, PLYMOUTH, meeting=HELD),
)

VIEW_REASONS = {
    PanelCase.Recommendation.AGREE: (
        "The decision weighs the account against the indicators in the referral and follows the statutory "
        "guidance; the credibility concerns it relies on are set out and evidenced."
    ),
    PanelCase.Recommendation.RECOMMEND_RECONSIDERATION: (
        "The decision does not consider the psychological indicators the first responder recorded, nor the "
        "effect of trauma on the consistency of the account."
    ),
    PanelCase.Recommendation.POSITIVE: (
        "The account is detailed and consistent, and the first responder's indicators support it: the panel "
        "suspects but cannot prove that the person is a victim of modern slavery."
    ),
}
CONCLUSION_REASONS = {
    PanelCase.Recommendation.AGREE: "The panel agrees: the decision is reasoned, balanced and follows the guidance.",
    PanelCase.Recommendation.RECOMMEND_RECONSIDERATION: (
        "The panel recommends reconsideration: the decision does not weigh the psychological indicators or the "
        "effect of trauma on the account, which the guidance requires."
    ),
}
MAINTAIN_REASONS = (
    "The indicators were weighed in the decision (paragraphs 4 to 6); the inconsistencies it relies on are not "
    "explained by trauma in the medical evidence."
)
RECONSIDER_REASONS = "The caseworker will weigh the indicators the panel names and ask the first responder for more."
DECISION_REASONS = (
    "Having heard the members present, the panel finds reasonable grounds to believe the person is a victim of "
    "modern slavery: the account is consistent with the indicators recorded."
)


def _demo_users() -> dict[str, User]:
    emails = {seat.email for spec in DEMO_PANELS for seat in spec.seats}
    emails |= {POLICE, NGO, COUNCIL, SAM, MANAGER, SAFEGUARDING_LEAD}
    return {user.email: user for user in User.objects.filter(email__in=emails).select_related("organisation")}


def seed_assurance_panels() -> None:
    """The assurance panels alone, before casework's demo: its negative CG under review then goes to a panel, as
    England's policy says. (The regional panel comes after: it would decide casework's demo cases in its area.)"""
    users = _demo_users()
    for spec in DEMO_PANELS:
        if spec.kind == Panel.Kind.ASSURANCE:
            _seed_panel(spec, users)


def seed() -> int:
    """The demo panels and their seats (brought back to the declaration each run), then the demo panel cases
    that are not there yet. Returns how many cases were added."""
    users = _demo_users()
    panels = {spec.key: _seed_panel(spec, users) for spec in DEMO_PANELS}
    lead = _seed_safeguarding_lead(users)
    missing = [
        spec
        for spec in DEMO_PANEL_CASES
        if not Referral.objects.filter(
            organisation=users[spec.responder].organisation, responder_reference=spec.key
        ).exists()
    ]
    if missing:
        _add(missing, panels, users, lead)
    return len(missing)


def _seed_panel(spec: DemoPanel, users: dict[str, User]) -> Panel:
    panel, _ = Panel.objects.update_or_create(
        name=spec.name,
        defaults={
            "kind": spec.kind,
            "nation": Nation.ENGLAND,
            "regions": list(spec.regions),
            "active_from": timezone.localdate() - timedelta(days=365),
            "active_to": None,
            **dict(spec.fields),
        },
    )
    for seat in spec.seats:
        home = Organisation.objects.filter(name=seat.home_organisation).first() if seat.home_organisation else None
        Membership.objects.update_or_create(
            panel=panel,
            user=users[seat.email],
            defaults={
                "role": seat.role,
                "agency": seat.agency,
                "home_organisation": home,
                "term_start": timezone.localdate() - timedelta(days=365),
                "term_end": None,
            },
        )
    return panel


def _seed_safeguarding_lead(users: dict[str, User]) -> SafeguardingLead:
    user = users[SAFEGUARDING_LEAD]
    lead, _ = SafeguardingLead.objects.get_or_create(organisation=user.organisation, user=user)
    return lead


@transaction.atomic
def _add(specs: list[DemoPanelCase], panels: dict[str, Panel], users: dict[str, User], lead) -> None:
    started = timezone.now()
    panel_cases = {
        spec.key: _sent_to_panel(spec, number, panels[spec.panel], users) for number, spec in _numbered(specs)
    }
    seats = {
        key: {m.user.email: m for m in Membership.objects.filter(panel=panel).select_related("user")}
        for key, panel in panels.items()
    }
    chairs = {key: next(m for m in seats[key].values() if m.role == CHAIR) for key in panels}
    # The meeting two days ago: scheduled (the services take only the present), moved back, attendance recorded.
    for key, panel in panels.items():
        held = [spec for spec in specs if spec.panel == key and spec.meeting == HELD]
        if held:
            meeting = _schedule(
                panel,
                chairs[key],
                [panel_cases[s.key] for s in held],
                days=-2,
                leads=[lead] if key == SOUTH_WEST else [],
            )
            panel_meeting_record_attendance(
                meeting_id=meeting.pk, actor=chairs[key].user, membership_ids=[m.pk for m in seats[key].values()]
            )
    for spec in specs:
        _work(spec, panel_cases[spec.key], seats[spec.panel], chairs[spec.panel], users)
    for key, panel in panels.items():
        upcoming = [spec for spec in specs if spec.panel == key and spec.meeting == NEXT]
        if upcoming:
            _schedule(panel, chairs[key], [panel_cases[s.key] for s in upcoming], days=7, leads=[])
    _dates(specs, panel_cases)
    panel_cases_escalate_overdue()  # the overdue ones are escalated once, as the daily job would
    # Demo data sends no email (as the other demo data): the notifications show in the service only.
    Notification.objects.filter(created_at__gte=started, email_state=Notification.EmailState.PENDING).update(
        email_state=Notification.EmailState.SENT, email_sent_at=timezone.now()
    )


def _numbered(specs: list[DemoPanelCase]):
    for spec in specs:
        yield next(index for index, other in enumerate(DEMO_PANEL_CASES) if other.key == spec.key), spec


def _answers(spec: DemoPanelCase, number: int, organisation_name: str) -> dict:
    """Complete answers of an adult in England who is staying where the spec says."""
    region, town = spec.region
    for attempt in range(200):
        answers = complete_answers(
            Route.ADULT, organisation_name=organisation_name, seed=SEED_BASE + number * 200 + attempt
        )
        if answers["nation"] == Nation.ENGLAND:
            return answers | {"responder_reference": spec.key, "current_region": region, "current_town": town}
    raise RuntimeError(f"No demo answers fit {spec.key}")


def _sent_to_panel(spec: DemoPanelCase, number: int, panel: Panel, users: dict[str, User]) -> PanelCase:
    """The referral sent, its case opened and worked until the panel has it: a negative CG proposed (England's
    assurance panel), a negative RG proposed with this case's policy sending it to a panel (the northern panel),
    or the case simply opened in the regional panel's area (the regional panel decides its RG)."""
    responder, caseworker, manager = users[spec.responder], users[SAM], users[MANAGER]
    answers = _answers(spec, number, responder.organisation.name)
    referral = referral_submit(draft_id=_draft_with(responder, answers).pk, actor=responder)
    case = Case.objects.get(referral=referral)
    if spec.panel == ENGLAND:
        case = _backdated(case, days=45)
        drive_case_to(case, Case.Status.CG_NEGATIVE_REVIEW, caseworker=caseworker, manager=manager)
    elif spec.panel == NORTH:
        case = _backdated(case, days=25)
        case_assign(case_id=case.pk, actor=manager, assignee=caseworker)
        overrides = {"review_negative_rg": True, "negative_rg_review_route": ReviewRoute.PANEL.value}
        with case_policy_overridden(case, actor=manager, **overrides):
            case_make_rg_decision(
                case_id=case.pk,
                actor=caseworker,
                outcome="negative",
                factors=[],
                reasons="The account lacks the detail needed to find reasonable grounds; the indicators are few.",
                negative_reason=Decision.NegativeReason.INSUFFICIENT_INFORMATION,
                decision_date=timezone.localdate(),
            )
    else:
        case = _backdated(case, days=25)
    panel_case = PanelCase.objects.filter(case=case, state=PanelCase.State.OPEN).select_related("panel").get()
    if panel_case.panel_id != panel.pk:
        raise RuntimeError(f"{spec.key} went to {panel_case.panel}, not {panel}")
    return panel_case


def _schedule(panel: Panel, chair: Membership, agenda: list[PanelCase], *, days: int, leads) -> Meeting:
    """A meeting at 10am `days` from today (in the past: scheduled for now, then moved back)."""
    local = timezone.localtime()
    meeting = panel_meeting_schedule(
        panel_id=panel.pk,
        actor=chair.user,
        starts_at=local + timedelta(minutes=1) if days < 0 else _at_ten(days),
        format=Meeting.Format.VIDEO if panel.is_assurance else Meeting.Format.IN_PERSON,
        where="" if panel.is_assurance else "Room 2, Exeter Civic Centre",
        panel_case_ids=[panel_case.pk for panel_case in agenda],
        lead_ids=[lead.pk for lead in leads],
    )
    if days < 0:
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=_at_ten(days), scheduled_at=_at_ten(days - 7))
        meeting.refresh_from_db()
    return meeting


def _at_ten(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(10)))


def _work(spec: DemoPanelCase, panel_case: PanelCase, seats: dict[str, Membership], chair: Membership, users) -> None:
    """The members' views, the chair's conclusion and the authority's response the spec's state needs."""
    members = [m for m in seats.values() if m.role == MEMBER and not _excluded(m, panel_case)]
    if panel_case.panel.is_assurance:
        agree, reconsider = PanelCase.Recommendation.AGREE, PanelCase.Recommendation.RECOMMEND_RECONSIDERATION
        concluding = spec.state in (AGREED, RECOMMENDED, RECONSIDERED, MAINTAINED)
        opinions = {
            ONE_VIEW: [agree],
            AWAITING_CHAIR: [agree, reconsider],
            AGREED: [agree, agree],
        }.get(spec.state, [reconsider, agree] if concluding else [])
        for member, opinion in zip(members, opinions, strict=False):
            panel_view_record(
                panel_case_id=panel_case.pk, actor=member.user, opinion=opinion, reasons=VIEW_REASONS[opinion]
            )
        if concluding:
            recommendation = agree if spec.state == AGREED else reconsider
            panel_review_conclude(
                panel_case_id=panel_case.pk,
                actor=chair.user,
                recommendation=recommendation,
                reasons=CONCLUSION_REASONS[recommendation],
            )
        if spec.state in (RECONSIDERED, MAINTAINED):
            response = PanelResponse.RECONSIDER if spec.state == RECONSIDERED else PanelResponse.MAINTAIN
            decision_panel_respond(
                decision_id=panel_case.decision_id,
                actor=users[MANAGER],
                response=response,
                reasons=RECONSIDER_REASONS if response == PanelResponse.RECONSIDER else MAINTAIN_REASONS,
            )
        return
    positive = PanelCase.Recommendation.POSITIVE
    views = {ONE_VIEW: 1, DECIDED: 3}.get(spec.state, 0)
    for member in members[:views]:
        panel_view_record(
            panel_case_id=panel_case.pk, actor=member.user, opinion=positive, reasons=VIEW_REASONS[positive]
        )
    if spec.state == DECIDED:
        panel_decision_make(
            panel_case_id=panel_case.pk,
            actor=chair.user,
            outcome=positive,
            reasons=DECISION_REASONS,
            decision_date=timezone.localdate() - timedelta(days=2),
        )


def _excluded(membership: Membership, panel_case: PanelCase) -> bool:
    return bool(exclusion_for(membership, panel_case))


def _dates(specs: list[DemoPanelCase], panel_cases: dict[str, PanelCase]) -> None:
    """Demo only: overdue cases were sent long enough ago to be past their due date; concluded ones were sent two
    to three weeks before they concluded, so the dashboard's "working days each review added" has something to
    show. (The services date everything now.)"""
    now = timezone.now()
    for offset, spec in enumerate(specs):
        panel_case = PanelCase.objects.get(pk=panel_cases[spec.key].pk)
        if panel_case.is_open and spec.overdue_days:
            due = timezone.localdate() - timedelta(days=spec.overdue_days)
            routed = now - timedelta(days=spec.overdue_days + 15)
            PanelCase.objects.filter(pk=panel_case.pk).update(routed_at=routed, due_date=due)
        elif panel_case.state == PanelCase.State.CONCLUDED:
            routed = now - timedelta(days=14 + offset % 8)
            due = add_working_days(timezone.localtime(routed).date(), 10)
            PanelCase.objects.filter(pk=panel_case.pk).update(routed_at=routed, due_date=due)
