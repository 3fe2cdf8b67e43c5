"""The world the insights browser tests (test_insights.py) start from: an analyst, a manager of the Immigration
Enforcement Competent Authority, and referrals, cases and decisions across the four quarters of last year (and a
few from today), written as the services write them (`case_in_state`, `DutyToNotifyReferralFactory`), then the
statistics' fact tables refreshed as the periodic job would (`insights.refresh.facts_refresh`).

What the world holds is counted here from the seeding plan itself (`Expected`), never through insights' code, so
the pages and the files they give are checked against an independent count.

Last year (Y = today's year - 1), in each quarter, on the 15th of its middle month:
- SCA, England: an adult woman in recovery (a positive RG), an adult man confirmed a victim (positive RG and CG);
- SCA, Wales: a girl with a negative RG served and a man awaiting his RG; in the first quarter another girl and
  another man awaiting theirs (so that last year's figures for Wales are five each: none is suppressed in files);
- IECA, England: an adult woman awaiting her CG (a positive RG);
- Duty to Notify reports of men from Viet Nam in England: five in the first quarter (the one combination of the
  research extract's identifying columns common enough to be kept whole), one in each other quarter.
Today: SCA referrals awaiting their RG, with a positive RG and with a negative RG served today; an IECA referral
with a positive RG today; one Duty to Notify report.

Last year's decisions are served five days (RG) and thirty days (CG) after the referral, so every one falls in the
referral's year (the latest on 14 December); today's are served as the services served them, now.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Nation, Organisation, User
from accounts.roles import Role
from casework.models import Case, Decision
from casework.services import single_competent_authority
from insights.refresh import facts_refresh
from referrals.models import Draft, Referral
from tests.casework.factories import DutyToNotifyReferralFactory, case_in_state
from tests.factories import FirstResponderOrganisationFactory, UserFactory
from tests.fixtures.project_data import ensure_project_data

LONDON = ZoneInfo("Europe/London")
IECA_NAME = "Immigration Enforcement Competent Authority"
RG_AFTER_DAYS = 5
CG_AFTER_DAYS = 30
NRM_NATIONALITY = "Albanian"
DTN_NATIONALITY = "Vietnamese"


WITH_RG = frozenset(
    {Case.Status.RECOVERY, Case.Status.CONFIRMED_VICTIM, Case.Status.RG_NEGATIVE_SERVED, Case.Status.AWAITING_CG}
)
WITH_CG = frozenset({Case.Status.CONFIRMED_VICTIM})


@dataclass
class Planned:
    """One referral of the plan: what it is and where it goes."""

    referred_on: date
    status: str
    authority: str  # "sca" or "ieca"
    nation: str
    gender: str
    child: bool
    exploitation: tuple[str, ...] = ("labour",)


@dataclass
class Expected:
    """Counts of the plan, made here by hand from the plan's own rows."""

    planned: list[Planned]
    duty_to_notify: list[date]

    def referrals(self, *, year: int, nation: str = "", authority: str = "") -> list[Planned]:
        return [
            p
            for p in self.planned
            if p.referred_on.year == year
            and (not nation or p.nation == nation)
            and (not authority or p.authority == authority)
        ]

    def by_gender(self, rows: list[Planned]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in rows:
            counts[p.gender] = counts.get(p.gender, 0) + 1
        return counts

    def rg_decisions(self, *, year: int, authority: str = "", positive: bool | None = None) -> int:
        rows = [p for p in self.referrals(year=year, authority=authority) if p.status in WITH_RG]
        if positive is not None:
            rows = [p for p in rows if (p.status != Case.Status.RG_NEGATIVE_SERVED) == positive]
        return len(rows)

    def cg_decisions(self, *, year: int, authority: str = "") -> int:
        return len([p for p in self.referrals(year=year, authority=authority) if p.status in WITH_CG])

    def awaiting_cg_now(self, *, authority: str = "") -> int:
        """Cases with a positive RG and no CG yet (in recovery or awaiting the CG)."""
        waiting = {Case.Status.RECOVERY, Case.Status.AWAITING_CG}
        return len([p for p in self.planned if p.status in waiting and (not authority or p.authority == authority)])

    def extract_rows(self, *, year: int, threshold: int = 5) -> int:
        """The research extract's rows for a year under its disclosure control, worked out here: a row whose
        month, nation, age group, gender and nationality occur together fewer than `threshold` times has its
        nationality recoded to "Other"; a row still rare after that is left out."""
        rows = [
            (p.referred_on.month, p.nation, "child" if p.child else "adult", p.gender, NRM_NATIONALITY)
            for p in self.planned
            if p.referred_on.year == year
        ] + [
            (day.month, Nation.ENGLAND, "adult", "male", DTN_NATIONALITY)
            for day in self.duty_to_notify
            if day.year == year
        ]
        counts = Counter(rows)
        recoded = [row if counts[row] >= threshold else (*row[:4], "Other") for row in rows]
        counts = Counter(recoded)
        return len([row for row in recoded if counts[row] >= threshold])

    def duty_to_notify_in(self, year: int) -> int:
        return len([day for day in self.duty_to_notify if day.year == year])


@dataclass
class InsightsWorld:
    analyst: User
    manager: User  # of the IECA
    sca: Organisation
    ieca: Organisation
    last_year: int
    expected: Expected
    references: list[str] = field(default_factory=list)


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def _date_referral(referral: Referral, submitted_at: datetime) -> None:
    """The referral sent at `submitted_at`, its draft started 40 minutes before (as the service would have it)."""
    Referral.objects.filter(pk=referral.pk).update(submitted_at=submitted_at)
    Draft.objects.filter(pk=referral.draft_id).update(
        created_at=submitted_at - timedelta(minutes=40), submitted_at=submitted_at
    )


def _plan(today: date) -> tuple[list[Planned], list[date]]:
    year = today.year - 1
    planned: list[Planned] = []
    dtn: list[date] = []
    for quarter in range(1, 5):
        day = date(year, 3 * quarter - 1, 15)
        planned += [
            Planned(day, Case.Status.RECOVERY, "sca", Nation.ENGLAND, "female", False, ("sexual",)),
            Planned(day, Case.Status.CONFIRMED_VICTIM, "sca", Nation.ENGLAND, "male", False, ("labour",)),
            Planned(day, Case.Status.RG_NEGATIVE_SERVED, "sca", Nation.WALES, "female", True, ("sexual", "criminal")),
            Planned(day, Case.Status.AWAITING_CG, "ieca", Nation.ENGLAND, "female", False, ("domestic",)),
        ]
        planned.append(Planned(day, Case.Status.AWAITING_RG, "sca", Nation.WALES, "male", False, ("criminal",)))
        if quarter == 1:
            planned += [
                Planned(day, Case.Status.AWAITING_RG, "sca", Nation.WALES, "female", True, ("criminal",)),
                Planned(day, Case.Status.AWAITING_RG, "sca", Nation.WALES, "male", False, ("labour",)),
            ]
        dtn += [day] * (5 if quarter == 1 else 1)
    planned += [
        Planned(today, Case.Status.AWAITING_RG, "sca", Nation.ENGLAND, "male", False, ("labour",)),
        Planned(today, Case.Status.RECOVERY, "sca", Nation.SCOTLAND, "female", False, ("sexual",)),
        Planned(today, Case.Status.RG_NEGATIVE_SERVED, "sca", Nation.ENGLAND, "female", False, ("labour",)),
        Planned(today, Case.Status.RECOVERY, "ieca", Nation.ENGLAND, "male", False, ("labour",)),
    ]
    dtn.append(today)
    return planned, dtn


def insights_world() -> InsightsWorld:
    """Seeds the plan through the casework services and refreshes the statistics."""
    ensure_project_data()
    today = timezone.localdate()
    sca = single_competent_authority()
    ieca = Organisation.objects.get(kind=Organisation.Kind.COMPETENT_AUTHORITY, name=IECA_NAME)
    staff = {
        "sca": (
            UserFactory(role=Role.CASEWORKER, organisation=sca),
            UserFactory(role=Role.MANAGER, organisation=sca),
        ),
        "ieca": (
            UserFactory(role=Role.CASEWORKER, organisation=ieca),
            UserFactory(role=Role.MANAGER, organisation=ieca),
        ),
    }
    responder = UserFactory(role=Role.FIRST_RESPONDER, organisation=FirstResponderOrganisationFactory())
    planned, dtn = _plan(today)
    references = []
    for p in planned:
        caseworker, manager = staff[p.authority]
        authority = sca if p.authority == "sca" else ieca
        submitted_at = _at(p.referred_on) if p.referred_on != today else timezone.now() - timedelta(minutes=5)
        opened_days_ago = (today - p.referred_on).days
        case = case_in_state(
            p.status,
            opened_days_ago=opened_days_ago,
            child=p.child,
            caseworker=caseworker,
            manager=manager,
            authority=authority,
            nation=p.nation,
            gender=p.gender,
            child_at_exploitation="yes" if p.child else "no",
            exploitation_types=list(p.exploitation),
            exploited_in="uk",
            nationalities=[NRM_NATIONALITY],
            draft__organisation=responder.organisation,
            draft__created_by=responder,
        )
        # The referral's own time of day, and its decisions served a fixed number of days after it.
        referral = case.referral
        _date_referral(referral, submitted_at)
        Case.objects.filter(pk=case.pk).update(opened_at=submitted_at)
        references.append(referral.reference)
        if p.referred_on == today:
            continue
        decisions = Decision.objects.filter(case=case, state=Decision.State.SERVED)
        for decision in decisions:
            after = RG_AFTER_DAYS if decision.stage == Decision.Stage.RG else CG_AFTER_DAYS
            served_at = _at(p.referred_on + timedelta(days=after), hour=15)
            Decision.objects.filter(pk=decision.pk).update(served_at=served_at)
            if decision.stage == Decision.Stage.RG and decision.outcome == Decision.Outcome.POSITIVE:
                Case.objects.filter(pk=case.pk).update(rg_decided_at=served_at)
    for day in dtn:
        submitted_at = _at(day) if day != today else timezone.now() - timedelta(minutes=5)
        report = DutyToNotifyReferralFactory(
            submitted_at=submitted_at,
            draft__organisation=responder.organisation,
            draft__created_by=responder,
            nation=Nation.ENGLAND,
            gender="male",
            child_at_exploitation="no",
            exploitation_types=["labour"],
            nationalities=[DTN_NATIONALITY],
        )
        _date_referral(report, submitted_at)
        references.append(report.reference)
    assert facts_refresh() is not None, "the statistics refresh did not run"
    return InsightsWorld(
        analyst=UserFactory(role=Role.ANALYST, organisation=sca),
        manager=staff["ieca"][1],
        sca=sca,
        ieca=ieca,
        last_year=today.year - 1,
        expected=Expected(planned, dtn),
        references=references,
    )
