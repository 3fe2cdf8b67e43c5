"""The authority manager's operational dashboard: today's figures of their authority from the live casework tables,
checked against counts the tests work out from the rows they seed; another authority's work never counted; each
figure linking to the queue filtered to match; a fixed number of queries; nobody but a manager sees it."""

import re
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.deadlines import refresh_next_deadline, start_of_day
from casework.forms.queue import QueueFilterForm
from casework.models import Case, Decision, Reconsideration, ReviewRoute
from casework.queue import TABS_BY_SLUG
from casework.services import single_competent_authority
from common.calendar import add_working_days
from insights.operations import AGE_BANDS, STAGES, operations_dashboard
from insights.scope import manager_viewer
from panels.models import PanelCase
from tests.casework.factories import AwaitingRgCaseFactory, DutyToNotifyReferralFactory, SubmittedReferralFactory
from tests.factories import AuthorityFactory, UserFactory
from tests.panels.factories import PanelFactory

OPEN = {
    Case.Status.AWAITING_RG: "awaiting-rg",
    Case.Status.RG_NEGATIVE_REVIEW: "under-review",
    Case.Status.CG_NEGATIVE_REVIEW: "under-review",
    Case.Status.RECOVERY: "recovery",
    Case.Status.AWAITING_CG: "awaiting-cg",
}


@pytest.fixture(autouse=True)
def _at_the_worlds_moment(world):
    """The page is read at the moment the world was built, the clock running on from there: the figures count days
    and past-due work from `world.now`, and a run may build the world before midnight and read the page after."""
    with time_machine.travel(world.now, tick=True):
        yield


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings, db):
    """Every test here reads the database (each in a savepoint of the module's world); staff sign in without
    an authenticator app."""
    settings.NRM_REQUIRE_STAFF_MFA = False


# Reading the page -----------------------------------------------------------------------------------------------


class _TestIds(HTMLParser):
    """The text and the links inside each element with a data-testid."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.text: dict[str, str] = {}
        self.links: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        testid = attributes.get("data-testid")
        if tag not in self.VOID:
            self.open.append((tag, testid))
        if testid:
            self.text.setdefault(testid, "")
            self.links.setdefault(testid, [])
        if tag == "a" and attributes.get("href"):
            for _, each in self.open:
                if each:
                    self.links[each].append(attributes["href"])

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for _, testid in self.open:
            if testid:
                self.text[testid] += data


def read_page(html: str) -> _TestIds:
    parser = _TestIds()
    parser.feed(html)
    return parser


def words(text: str) -> str:
    return " ".join(text.split())


def value_of(page: _TestIds, name: str) -> str:
    """The big number of figure `name`: the figure's text starts with its label, then the value."""
    return words(page.text[f"figure-{name}"])


def queue_link(href: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(href)
    return parts.path, {name: values[0] for name, values in parse_qs(parts.query).items()}


# Seeding --------------------------------------------------------------------------------------------------------


@dataclass
class Seeded:
    case: Case
    status: str
    opened_at: datetime
    authority_id: int


def open_case(authority, status, *, days_ago: float, now: datetime, **fields) -> Seeded:
    """A case of `authority` opened `days_ago` days before `now`, written straight to `status` with `fields`."""
    opened_at = now - timedelta(days=days_ago)
    referral = SubmittedReferralFactory(submitted_at=opened_at)
    case = AwaitingRgCaseFactory(referral=referral, authority=authority, status=status, opened_at=opened_at, **fields)
    refresh_next_deadline(case)  # as the services keep it: the queue's overdue filter reads it
    case.save(update_fields=["next_deadline_at", "next_deadline_kind"])
    return Seeded(case, status, opened_at, authority.pk)


def serve(case, stage, *, served_at, created_at=None, review_route="", outcome="positive", decided_by) -> Decision:
    return Decision.objects.create(
        case=case,
        stage=stage,
        outcome=outcome,
        reasons="Reasons a test wrote.",
        decision_date=timezone.localdate(served_at),
        decided_by=decided_by,
        state=Decision.State.SERVED,
        served_at=served_at,
        created_at=created_at or served_at,
        review_route=review_route,
    )


def uk_date(moment: datetime) -> date:
    return timezone.localdate(moment)


@dataclass
class World:
    now: datetime
    sca: object
    other: object
    manager: object
    other_manager: object
    cases: list[Seeded]
    decisions: list[Decision]
    reconsiderations: list[Reconsideration]
    panel_cases: list[PanelCase]
    caseworkers: list
    dtn: list


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Built once for the module inside a transaction rolled back after its last test; each test runs in a
    savepoint inside it, so what a test adds is gone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    now = timezone.now()
    sca = single_competent_authority()
    other = AuthorityFactory(name="Other competent authority", short_name="OCA")
    manager = UserFactory(role=Role.MANAGER, organisation=sca, full_name="Morgan Manager")
    other_manager = UserFactory(role=Role.MANAGER, organisation=other)
    busy = UserFactory(role=Role.CASEWORKER, organisation=sca, full_name="Casey Busy")
    quiet = UserFactory(role=Role.CASEWORKER, organisation=sca, full_name="Quinn Quiet")
    gone = UserFactory(role=Role.CASEWORKER, organisation=sca, full_name="Gale Gone", is_active=False)
    elsewhere = UserFactory(role=Role.CASEWORKER, organisation=other, full_name="Elliot Elsewhere")
    past, future = now - timedelta(days=1), now + timedelta(days=2)

    cases = []
    for authority in (sca, other):
        mine = authority == sca
        cases += [
            open_case(authority, Case.Status.AWAITING_RG, days_ago=1, now=now, rg_due_at=future),
            open_case(authority, Case.Status.AWAITING_RG, days_ago=10, now=now, rg_due_at=past),
            open_case(
                authority,
                Case.Status.AWAITING_RG,
                days_ago=40,
                now=now,
                rg_due_at=past,
                assignee=busy if mine else elsewhere,
            ),
            open_case(authority, Case.Status.AWAITING_RG, days_ago=400, now=now, rg_due_at=past),
            open_case(authority, Case.Status.RG_NEGATIVE_REVIEW, days_ago=20, now=now),
            open_case(authority, Case.Status.CG_NEGATIVE_REVIEW, days_ago=100, now=now),
            open_case(authority, Case.Status.RECOVERY, days_ago=50, now=now, assignee=busy if mine else elsewhere),
            open_case(authority, Case.Status.RECOVERY, days_ago=200, now=now, assignee=quiet if mine else None),
            open_case(authority, Case.Status.AWAITING_CG, days_ago=10, now=now, information_due_at=past),
            open_case(authority, Case.Status.AWAITING_CG, days_ago=30, now=now, information_due_at=future),
            open_case(authority, Case.Status.AWAITING_CG, days_ago=100, now=now, assignee=busy if mine else None),
            open_case(authority, Case.Status.AWAITING_CG, days_ago=250, now=now, assignee=gone if mine else None),
            open_case(authority, Case.Status.AWAITING_CG, days_ago=500, now=now, assignee=manager if mine else None),
        ]
        if mine:  # the SCA has more, so that the two authorities' figures differ
            cases.append(open_case(authority, Case.Status.AWAITING_RG, days_ago=3, now=now, rg_due_at=past))
        # Not open: never in the backlog, nor in anyone's caseload.
        cases += [
            open_case(authority, Case.Status.CONFIRMED_VICTIM, days_ago=60, now=now, assignee=quiet if mine else None),
            open_case(authority, Case.Status.SUSPENDED, days_ago=60, now=now, rg_due_at=past),
            open_case(authority, Case.Status.CLOSED, days_ago=300, now=now, information_due_at=past),
        ]

    decisions = []
    for authority, decider in ((sca, busy), (other, elsewhere)):
        for days_ago, late_by, served_hour_shift in ((20, -3, 0), (30, 3, 0), (60, 0, 6), (100, -2, 0), (200, 1, 0)):
            submitted = now - timedelta(days=days_ago)
            seeded = open_case(authority, Case.Status.RECOVERY, days_ago=days_ago, now=now)
            due = add_working_days(timezone.localtime(submitted), 5)
            Case.objects.filter(pk=seeded.case.pk).update(rg_due_at=due)
            served = due + timedelta(days=late_by, hours=served_hour_shift)
            decisions.append(serve(seeded.case, Decision.Stage.RG, served_at=served, decided_by=decider))
            cases.append(seeded)
        for days_ago, took in ((200, 150), (300, 120), (500, 100)):
            seeded = open_case(authority, Case.Status.CONFIRMED_VICTIM, days_ago=days_ago, now=now)
            decisions.append(
                serve(
                    seeded.case, Decision.Stage.CG, served_at=now - timedelta(days=days_ago - took), decided_by=decider
                )
            )
            cases.append(seeded)
        # Reviewed negative decisions: proposed, then served days later.
        for days_ago, review_days, route in (
            (40, 12, ReviewRoute.PANEL),
            (80, 3, ReviewRoute.SECOND_REVIEWER),
            (90, 20, ReviewRoute.PANEL),
            (420, 50, ReviewRoute.PANEL),
        ):
            seeded = open_case(authority, Case.Status.CG_NEGATIVE_SERVED, days_ago=days_ago + 100, now=now)
            served = now - timedelta(days=days_ago)
            decisions.append(
                serve(
                    seeded.case,
                    Decision.Stage.CG,
                    outcome="negative",
                    served_at=served,
                    created_at=served - timedelta(days=review_days, hours=5),
                    review_route=route,
                    decided_by=decider,
                )
            )
            cases.append(seeded)

    # Second reviews waiting: a negative RG decision proposed 6 days ago on an SCA case under review, at midday (the
    # page counts calendar days: "6 days and an hour ago" is 7 of them a little after midnight).
    proposed = start_of_day(uk_date(now) - timedelta(days=6)) + timedelta(hours=12)
    under_review = next(
        s.case for s in cases if s.status == Case.Status.RG_NEGATIVE_REVIEW and s.authority_id == sca.pk
    )
    Decision.objects.create(
        case=under_review,
        stage=Decision.Stage.RG,
        outcome="negative",
        reasons="Reasons a test wrote.",
        decision_date=uk_date(proposed),
        decided_by=busy,
        state=Decision.State.UNDER_REVIEW,
        review_route=ReviewRoute.SECOND_REVIEWER,
        created_at=proposed,
    )

    reconsiderations = []
    for authority, requester in ((sca, busy), (other, elsewhere)):
        negatives = [d for d in decisions if d.outcome == "negative" and d.case.authority_id == authority.pk]
        for decision, state, decided_days_ago in zip(
            negatives,
            [
                Reconsideration.State.ACCEPTED,
                Reconsideration.State.DECLINED,
                Reconsideration.State.ACCEPTED,
                Reconsideration.State.ACCEPTED,
            ],
            [10, 20, 30, 400],
            strict=True,
        ):
            reconsiderations.append(
                Reconsideration.objects.create(
                    case=decision.case,
                    decision=decision,
                    requested_by=requester,
                    requester_organisation=authority,
                    grounds=[Reconsideration.Ground.NEW_EVIDENCE],
                    details="Details a test wrote.",
                    state=state,
                    decided_by=requester,
                    decided_at=now - timedelta(days=decided_days_ago),
                )
            )
        reconsiderations.append(
            Reconsideration.objects.create(
                case=negatives[0].case,
                decision=negatives[0],
                requested_by=requester,
                requester_organisation=authority,
                grounds=[Reconsideration.Ground.NEW_EVIDENCE],
                details="Details a test wrote.",
            )
        )

    panel = PanelFactory(nation=Nation.SCOTLAND)  # covers none of these (English) cases' routing
    panel_cases = []
    today = timezone.localdate(now)
    for authority in (sca, other):
        reviewed = [d for d in decisions if d.review_route == ReviewRoute.PANEL and d.case.authority_id == authority.pk]
        for decision, recommendation, concluded_days_ago in zip(
            reviewed,
            [
                PanelCase.Recommendation.AGREE,
                PanelCase.Recommendation.RECOMMEND_RECONSIDERATION,
                PanelCase.Recommendation.AGREE,
            ],
            [40, 90, 420],
            strict=True,
        ):
            panel_cases.append(
                PanelCase.objects.create(
                    panel=panel,
                    case=decision.case,
                    kind=PanelCase.Kind.REVIEW,
                    stage=Decision.Stage.CG,
                    decision=decision,
                    due_date=today - timedelta(days=concluded_days_ago),
                    state=PanelCase.State.CONCLUDED,
                    recommendation=recommendation,
                    concluded_at=now - timedelta(days=concluded_days_ago),
                )
            )
        under = next(
            s.case for s in cases if s.status == Case.Status.CG_NEGATIVE_REVIEW and s.authority_id == authority.pk
        )
        panel_cases.append(
            PanelCase.objects.create(
                panel=panel,
                case=under,
                kind=PanelCase.Kind.REVIEW,
                stage=Decision.Stage.CG,
                due_date=today - timedelta(days=2),
            )
        )
        extra = open_case(authority, Case.Status.RG_NEGATIVE_REVIEW, days_ago=5, now=now)
        cases.append(extra)
        panel_cases.append(
            PanelCase.objects.create(
                panel=panel,
                case=extra.case,
                kind=PanelCase.Kind.REVIEW,
                stage=Decision.Stage.RG,
                due_date=today + timedelta(days=3),
            )
        )

    # Duty to Notify: no authority. England and Wales reports, this month, last month, this year, last year.
    month_start = today.replace(day=1)
    last_month_middle = (month_start - timedelta(days=1)).replace(day=15)
    dtn = []
    for nation in (Nation.ENGLAND, Nation.WALES):
        for moment in (
            now - timedelta(minutes=5),
            timezone.make_aware(datetime.combine(last_month_middle, datetime.min.time())) + timedelta(hours=12),
            now - timedelta(days=200),
            now - timedelta(days=400),
        ):
            dtn.append(DutyToNotifyReferralFactory(submitted_at=moment, nation=nation))
    return World(
        now,
        sca,
        other,
        manager,
        other_manager,
        cases,
        decisions,
        reconsiderations,
        panel_cases,
        [busy, quiet, gone],
        dtn,
    )


# What the tests expect, worked out from the seeded rows --------------------------------------------------------


def band_of(age: timedelta) -> str:
    days = age / timedelta(days=1)
    for slug, limit in (("under-4-weeks", 28), ("1-to-3-months", 91), ("3-to-6-months", 183), ("6-to-12-months", 365)):
        if days < limit:
            return slug
    return "over-a-year"


def open_of(world: World, authority) -> list[Seeded]:
    return [s for s in world.cases if s.authority_id == authority.pk and s.status in OPEN]


def decisions_of(world: World, authority) -> list[Decision]:
    return [d for d in world.decisions if d.case.authority_id == authority.pk]


def days_shown(days: list[int]) -> str:
    value = round(statistics.median(days), 1)
    return f"{value:g} day{'' if value == 1 else 's'}"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def dashboard_page(client, user) -> _TestIds:
    client.force_login(user)
    response = client.get(reverse("insights:operations"))
    assert response.status_code == 200
    return read_page(response.content.decode())


# The figures ----------------------------------------------------------------------------------------------------


def test_the_backlog_counts_the_authoritys_open_cases_by_age_and_stage(client, world):
    page = dashboard_page(client, world.manager)
    expected = {}
    for seeded in open_of(world, world.sca):
        key = (band_of(world.now - seeded.opened_at), OPEN[seeded.status])
        expected[key] = expected.get(key, 0) + 1
    for band in AGE_BANDS:
        for stage in STAGES:
            shown = words(page.text[f"backlog-{band.slug}-{stage.slug}"]).split(" ")[0]
            assert shown == str(expected.get((band.slug, stage.slug), 0)), (band.slug, stage.slug)
    for stage in STAGES:
        total = sum(count for (_, slug), count in expected.items() if slug == stage.slug)
        assert words(page.text[f"backlog-total-{stage.slug}"]).split(" ")[0] == str(total)
    assert words(page.text["backlog-total-all"]) == str(len(open_of(world, world.sca)))
    # Every band and stage holds cases in the seeded world: the table is tested everywhere, not only in zeros.
    assert {band for band, _ in expected} == {band.slug for band in AGE_BANDS}
    assert {stage for _, stage in expected} == {stage.slug for stage in STAGES}


def test_another_authoritys_manager_sees_only_their_own_cases(client, world):
    page = dashboard_page(client, world.other_manager)
    assert words(page.text["backlog-total-all"]) == str(len(open_of(world, world.other)))
    assert len(open_of(world, world.other)) != len(open_of(world, world.sca))
    rg_overdue = [
        s for s in open_of(world, world.other) if s.status == Case.Status.AWAITING_RG and s.case.rg_due_at < world.now
    ]
    assert value_of(page, "rg-overdue").startswith(f"Reasonable grounds decisions past due {len(rg_overdue)} ")


def test_reasonable_grounds_within_five_working_days_counts_the_served_date_against_the_due_date(client, world):
    page = dashboard_page(client, world.manager)
    since = world.now - timedelta(days=90)
    recent = [d for d in decisions_of(world, world.sca) if d.stage == Decision.Stage.RG and d.served_at >= since]
    due = dict(Case.objects.filter(pk__in=[d.case_id for d in recent]).values_list("pk", "rg_due_at"))
    in_time = [d for d in recent if uk_date(d.served_at) <= uk_date(due[d.case_id])]
    assert 0 < len(in_time) < len(recent)
    figure = value_of(page, "rg-within-target")
    assert f" {percent(len(in_time), len(recent))} " in f" {figure} "
    assert f"{len(in_time)} of {len(recent)} served in the last 90 days" in figure


def test_a_decision_served_later_on_its_due_day_is_within_the_target(world):
    """The target is a number of working days: served on the due date is on time whatever the hour."""
    yesterday = timezone.localdate(world.now) - timedelta(days=1)
    due = timezone.make_aware(datetime.combine(yesterday, datetime.min.time())) + timedelta(hours=9)
    on_the_day = open_case(world.sca, Case.Status.RECOVERY, days_ago=8, now=world.now, rg_due_at=due)
    next_day = open_case(world.sca, Case.Status.RECOVERY, days_ago=8, now=world.now, rg_due_at=due)
    before = operations_dashboard(manager_viewer(world.manager)).figures["rg-within-target"]
    serve(on_the_day.case, Decision.Stage.RG, served_at=due + timedelta(hours=13), decided_by=world.manager)
    serve(next_day.case, Decision.Stage.RG, served_at=due + timedelta(hours=15, minutes=30), decided_by=world.manager)
    after = operations_dashboard(manager_viewer(world.manager)).figures["rg-within-target"]
    assert (after.part, after.whole) == (before.part + 1, before.whole + 2)


def test_median_days_to_rg_and_cg_are_from_the_referral_over_the_last_12_months(client, world):
    page = dashboard_page(client, world.manager)
    year_ago = world.now - timedelta(days=365)
    for stage, name in ((Decision.Stage.RG, "median-days-to-rg"), (Decision.Stage.CG, "median-days-to-cg")):
        served = [d for d in decisions_of(world, world.sca) if d.stage == stage and d.served_at >= year_ago]
        days = [(uk_date(d.served_at) - uk_date(d.case.referral.submitted_at)).days for d in served]
        figure = value_of(page, name)
        assert days_shown(days) in figure, (name, figure)
        assert f"Of the {len(served)} " in figure


def test_overdue_work_counts_rg_information_and_reviews_past_due(client, world):
    page = dashboard_page(client, world.manager)
    mine = open_of(world, world.sca)
    rg = [s for s in mine if s.status == Case.Status.AWAITING_RG and s.case.rg_due_at < world.now]
    information = [s for s in mine if s.case.information_due_at and s.case.information_due_at < world.now]
    today = timezone.localdate(world.now)
    panel = [
        p
        for p in world.panel_cases
        if p.case.authority_id == world.sca.pk and p.state == PanelCase.State.OPEN and p.due_date < today
    ]
    assert (len(rg), len(information), len(panel)) == (4, 1, 1)
    assert value_of(page, "rg-overdue").startswith(f"Reasonable grounds decisions past due {len(rg)} Overdue")
    assert value_of(page, "information-overdue").startswith(f"Information requests past due {len(information)} Overdue")
    assert value_of(page, "panel-reviews-overdue").startswith(f"Panel reviews past due {len(panel)} Overdue")
    second = value_of(page, "second-reviews-waiting")
    assert second.startswith("Second reviews waiting 1 ")
    assert "The oldest has waited 6 days." in second


def test_cases_per_caseworker_divides_the_open_cases_they_hold_by_the_active_caseworkers(client, world):
    page = dashboard_page(client, world.manager)
    active = [user for user in world.caseworkers if user.is_active]
    held = [s for s in open_of(world, world.sca) if s.case.assignee_id in {user.pk for user in active}]
    figure = value_of(page, "cases-per-caseworker")
    assert figure.startswith(f"Open cases per caseworker {len(held) / len(active):g} ")
    assert f"{len(held)} open cases assigned to {len(active)} active caseworkers" in figure
    unassigned = [s for s in open_of(world, world.sca) if s.case.assignee_id is None]
    assert value_of(page, "unassigned").startswith(f"Open cases with no caseworker {len(unassigned)} ")
    # Staff by name with their open cases (not the closed or confirmed ones); nobody inactive or of elsewhere.
    caseloads = words(page.text["caseloads"])
    for user in [*active, world.manager]:
        count = sum(1 for s in open_of(world, world.sca) if s.case.assignee_id == user.pk)
        assert re.search(rf"{re.escape(user.full_name)} \w+ {count}\b", caseloads), user.full_name
    assert "Gale Gone" not in caseloads
    assert "Elliot Elsewhere" not in caseloads


def test_reconsideration_panel_agreement_and_review_time_cover_the_last_12_months(client, world):
    page = dashboard_page(client, world.manager)
    year_ago = world.now - timedelta(days=365)
    decided = [
        r
        for r in world.reconsiderations
        if r.case.authority_id == world.sca.pk and r.decided_at and r.decided_at >= year_ago
    ]
    accepted = [r for r in decided if r.state == Reconsideration.State.ACCEPTED]
    assert value_of(page, "reconsideration-acceptance").startswith(
        f"Requests for reconsideration accepted {percent(len(accepted), len(decided))} "
    )
    assert "1 waiting for a manager's answer" in value_of(page, "reconsideration-acceptance")
    concluded = [
        p
        for p in world.panel_cases
        if p.case.authority_id == world.sca.pk and p.concluded_at and p.concluded_at >= year_ago
    ]
    agreed = [p for p in concluded if p.recommendation == PanelCase.Recommendation.AGREE]
    assert value_of(page, "panel-agreement").startswith(
        f"Panel reviews that agreed with the negative decision {percent(len(agreed), len(concluded))} "
    )
    reviewed = [d for d in decisions_of(world, world.sca) if d.review_route and d.served_at >= year_ago]
    days = [(uk_date(d.served_at) - uk_date(d.created_at)).days for d in reviewed]
    figure = value_of(page, "days-added-by-review")
    assert days_shown(days) in figure
    assert f"for the {len(reviewed)} reviewed decisions" in figure


def dtn_expected(world: World, nations) -> dict[str, int]:
    today = timezone.localdate(world.now)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    counts = {"dtn-this-month": 0, "dtn-last-month": 0, "dtn-this-year": 0}
    for report in world.dtn:
        if report.nation not in nations:
            continue
        day = uk_date(report.submitted_at)
        counts["dtn-this-month"] += (day.year, day.month) == (today.year, today.month)
        counts["dtn-last-month"] += (day.year, day.month) == (last_month.year, last_month.month)
        counts["dtn-this-year"] += day.year == today.year
    return counts


def test_duty_to_notify_volumes_are_the_whole_services_for_an_authority_of_the_whole_uk(client, world):
    page = dashboard_page(client, world.manager)
    for name, count in dtn_expected(world, {Nation.ENGLAND, Nation.WALES}).items():
        assert value_of(page, name).split()[-1] == str(count), (name, value_of(page, name))
    assert "across the whole service" in words(page.text["dtn-scope"])


def test_duty_to_notify_volumes_are_the_nations_for_an_authority_of_one_nation(client, world):
    welsh = AuthorityFactory(name="Welsh competent authority", short_name="WCA", nation=Nation.WALES)
    page = dashboard_page(client, UserFactory(role=Role.MANAGER, organisation=welsh))
    for name, count in dtn_expected(world, {Nation.WALES}).items():
        assert value_of(page, name).split()[-1] == str(count), (name, value_of(page, name))
    assert "Reports made in Wales" in words(page.text["dtn-scope"])
    assert words(page.text["backlog-total-all"]) == "0"


# Links to the queue ---------------------------------------------------------------------------------------------

EXPECTED_LINKS = {
    "rg-within-target": {"tab": "awaiting_rg", "overdue": "on"},
    "median-days-to-rg": {"tab": "awaiting_rg", "sort": "oldest"},
    "median-days-to-cg": {"tab": "awaiting_cg", "sort": "oldest"},
    "rg-overdue": {"tab": "awaiting_rg", "overdue": "on"},
    "information-overdue": {"tab": "information_requested", "overdue": "on"},
    "panel-reviews-overdue": {"tab": "under_review"},
    "second-reviews-waiting": {"tab": "under_review"},
    "unassigned": {"tab": "unassigned"},
    "reconsideration-acceptance": {"tab": "reconsiderations"},
    "panel-agreement": {"tab": "under_review"},
    "days-added-by-review": {"tab": "under_review", "sort": "oldest"},
}


def test_each_figure_links_to_the_queue_filtered_to_match(client, world):
    page = dashboard_page(client, world.manager)
    for name, expected in EXPECTED_LINKS.items():
        (href,) = page.links[f"figure-{name}"]
        path, query = queue_link(href)
        assert path == reverse("casework:queue"), name
        assert query == expected, name
        # Only the queue's own tabs and filters, with values its filter form accepts.
        assert query["tab"] in TABS_BY_SLUG
        form = QueueFilterForm({key: value for key, value in query.items() if key != "tab"})
        assert form.is_valid(), (name, form.errors)
    (team,) = page.links["figure-cases-per-caseworker"]
    assert team == reverse("casework:team")
    assert not any(page.links[f"figure-{name}"] for name in ("dtn-this-month", "dtn-last-month", "dtn-this-year"))


def test_each_backlog_cell_links_to_its_stage_in_the_queue(client, world):
    page = dashboard_page(client, world.manager)
    stage_filters = {
        "awaiting-rg": {"tab": "awaiting_rg"},
        "under-review": {"tab": "under_review"},
        "recovery": {"tab": "awaiting_cg", "status": "recovery"},
        "awaiting-cg": {"tab": "awaiting_cg", "status": "awaiting_cg"},
    }
    for stage, expected in stage_filters.items():
        (total,) = page.links[f"backlog-total-{stage}"]
        assert queue_link(total) == (reverse("casework:queue"), expected)
        for band in AGE_BANDS:
            for href in page.links[f"backlog-{band.slug}-{stage}"]:
                path, query = queue_link(href)
                sort = "newest" if band.slug == "under-4-weeks" else "oldest"
                assert (path, query) == (reverse("casework:queue"), {**expected, "sort": sort})
                assert QueueFilterForm({k: v for k, v in query.items() if k != "tab"}).is_valid()


def test_the_overdue_rg_link_lists_the_overdue_cases_awaiting_rg(client, world):
    page = dashboard_page(client, world.manager)
    (href,) = page.links["figure-rg-overdue"]
    listing = client.get(href).content.decode()
    for seeded in world.cases:
        overdue_rg = (
            seeded.authority_id == world.sca.pk
            and seeded.status == Case.Status.AWAITING_RG
            and seeded.case.rg_due_at < world.now
        )
        assert (seeded.case.reference in listing) == overdue_rg, seeded.case.reference


# Privacy, queries, access ---------------------------------------------------------------------------------------


def test_the_dashboard_shows_no_case_or_referral_reference(client, world):
    client.force_login(world.manager)
    html = client.get(reverse("insights:operations")).content.decode()
    assert 'data-testid="operations"' in html
    for seeded in world.cases:
        assert seeded.case.reference not in html
    for report in world.dtn:
        assert report.reference not in html


def test_the_dashboard_makes_the_same_number_of_queries_however_many_cases(client, world):
    client.force_login(world.manager)
    url = reverse("insights:operations")
    client.get(url)  # the session and the user are read once like on every page
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for days_ago in (2, 35, 120, 240, 600):
        seeded = open_case(world.sca, Case.Status.AWAITING_RG, days_ago=days_ago, now=world.now, rg_due_at=world.now)
        serve(seeded.case, Decision.Stage.RG, served_at=world.now - timedelta(days=1), decided_by=world.manager)
        UserFactory(role=Role.CASEWORKER, organisation=world.sca)
        DutyToNotifyReferralFactory()
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before), "\n".join(query["sql"][:200] for query in after.captured_queries)
    # The session, the user, the middleware's and the header's (about a dozen, on every page), and the figures.
    assert len(before) <= 20, "\n".join(query["sql"][:200] for query in before.captured_queries)


def test_the_figures_take_six_queries(world, django_assert_num_queries):
    """One aggregate each over the open cases, the decisions, the reconsiderations, the panel reviews and the Duty
    to Notify reports, and one for the caseloads."""
    viewer = manager_viewer(world.manager)  # reads the manager's organisation
    with django_assert_num_queries(6):
        operations_dashboard(viewer)


@pytest.mark.parametrize(
    "role",
    [Role.CASEWORKER, Role.ANALYST, Role.FIRST_RESPONDER, Role.PANEL_CHAIR, Role.SUPPORT_PROVIDER, Role.ADMIN],
)
def test_the_dashboard_is_not_found_for_anyone_but_a_manager(client, db, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("insights:operations")).status_code == 404


def test_a_manager_of_an_organisation_that_is_not_an_authority_gets_a_404(client, db):
    from tests.factories import FirstResponderOrganisationFactory

    client.force_login(UserFactory(role=Role.MANAGER, organisation=FirstResponderOrganisationFactory()))
    assert client.get(reverse("insights:operations")).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get(reverse("insights:operations"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Navigation -----------------------------------------------------------------------------------------------------


def navigation_of(client, user, path: str) -> list[tuple[str, bool]]:
    client.force_login(user)
    response = client.get(path)
    return [(item["label"], item["active"]) for item in response.context["navigation"]]


def test_managers_find_statistics_and_performance_in_the_header(client, world):
    items = navigation_of(client, world.manager, reverse("insights:operations"))
    labels = [label for label, _ in items]
    assert labels[:5] == ["Team cases", "Case queue", "Panels", "Statistics", "Performance"]
    # Performance lives under /statistics/: only the one page the manager is on is marked current.
    assert [label for label, active in items if active] == ["Performance"]
    page = client.get(reverse("insights:operations")).content.decode()
    assert f'href="{reverse("insights:statistics")}"' in page
    assert f'href="{reverse("insights:operations")}"' in page


def test_analysts_find_statistics_and_service_performance_in_the_header(client, db):
    analyst = UserFactory(role=Role.ANALYST)
    items = navigation_of(client, analyst, reverse("insights:service_performance"))
    assert [label for label, _ in items][:2] == ["Statistics", "Service performance"]
    assert [label for label, active in items if active] == ["Service performance"]
