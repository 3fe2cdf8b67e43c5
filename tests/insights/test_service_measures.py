"""The service standard's measures for the service owner: completion rate and time to complete by route, user
satisfaction and digital take-up, over the period chosen, checked against counts the tests work out from the
drafts, referrals and feedback they seed; analysts only; a fixed number of queries."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from insights.service_measures import PERIODS, ROUTE_LABELS, duration_words, period_named, service_measures
from referrals.models import Draft, Referral, ReferralFeedback, Route
from tests.casework.factories import SubmittedDraftFactory, SubmittedReferralFactory
from tests.factories import FirstResponderOrganisationFactory, UserFactory
from tests.insights.test_operations import read_page, words

CHILD = {"under_18": "yes"}
CHILD_NOT_SURE = {"under_18": "not_sure"}
ADULT = {"under_18": "no", "consent": "yes"}
DUTY_TO_NOTIFY = {"under_18": "no", "consent": "no"}
ADULT_NOT_YET_KNOWN = {"under_18": "no"}


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@dataclass
class Seeded:
    draft: Draft
    route: str  # the route the test expects it counted under
    referral: Referral | None = None


@dataclass
class World:
    now: datetime
    drafts: list[Seeded]
    feedback: list[ReferralFeedback]


def draft(now, *, days_ago: float, answers: dict, route: str, sent_after: timedelta | None = None, organisation):
    """A draft started `days_ago` days before `now`, sent `sent_after` later (a referral of `route`) or not."""
    created = now - timedelta(days=days_ago)
    row = SubmittedDraftFactory(organisation=organisation, answers=answers, submitted_at=None)
    referral = None
    if sent_after is not None:
        referral = SubmittedReferralFactory(
            draft=row,
            route=route,
            is_child=route == Route.CHILD,
            submitted_at=created + sent_after,
            organisation=organisation,
            submitted_by=row.created_by,
        )
        row.submitted_at = referral.submitted_at
        row.save(update_fields=["submitted_at"])
    Draft.objects.filter(pk=row.pk).update(created_at=created)  # auto_now_add: moved into the past afterwards
    row.refresh_from_db()
    return Seeded(row, route, referral)


@pytest.fixture
def world(db) -> World:
    now = timezone.now()
    org = FirstResponderOrganisationFactory()
    hours = lambda n: timedelta(hours=n)  # noqa: E731
    seeded = [
        # Children: three started this month, two sent (one of them with no answers kept: its referral decides).
        draft(now, days_ago=10, answers=CHILD, route=Route.CHILD, sent_after=hours(1), organisation=org),
        draft(now, days_ago=12, answers={}, route=Route.CHILD, sent_after=hours(30), organisation=org),
        draft(now, days_ago=5, answers=CHILD_NOT_SURE, route=Route.CHILD, organisation=org),
        # Adults: four started, one sent.
        draft(now, days_ago=20, answers=ADULT, route=Route.ADULT, sent_after=timedelta(days=3), organisation=org),
        draft(now, days_ago=3, answers=ADULT, route=Route.ADULT, organisation=org),
        draft(now, days_ago=2, answers=ADULT, route=Route.ADULT, organisation=org),
        draft(now, days_ago=1, answers=ADULT, route=Route.ADULT, organisation=org),
        # Duty to Notify: three started, two sent.
        draft(
            now, days_ago=8, answers=DUTY_TO_NOTIFY, route=Route.DUTY_TO_NOTIFY, sent_after=hours(0.5), organisation=org
        ),
        draft(
            now, days_ago=9, answers=DUTY_TO_NOTIFY, route=Route.DUTY_TO_NOTIFY, sent_after=hours(2), organisation=org
        ),
        draft(now, days_ago=4, answers=DUTY_TO_NOTIFY, route=Route.DUTY_TO_NOTIFY, organisation=org),
        # No route yet: the age not answered, or an adult's consent not answered.
        draft(now, days_ago=6, answers={}, route="unknown", organisation=org),
        draft(now, days_ago=7, answers=ADULT_NOT_YET_KNOWN, route="unknown", organisation=org),
        # Started before the last 30 days but sent within them: a referral of the period, not a draft of it.
        draft(now, days_ago=40, answers=ADULT, route=Route.ADULT, sent_after=timedelta(days=25), organisation=org),
        # The last 90 days.
        draft(now, days_ago=60, answers=CHILD, route=Route.CHILD, sent_after=hours(4), organisation=org),
        draft(now, days_ago=70, answers=ADULT, route=Route.ADULT, organisation=org),
        # The last 12 months, and before.
        draft(now, days_ago=200, answers=ADULT, route=Route.ADULT, sent_after=hours(6), organisation=org),
        draft(now, days_ago=400, answers=ADULT, route=Route.ADULT, sent_after=hours(6), organisation=org),
    ]
    feedback = []
    sent = [s.referral for s in seeded if s.referral]
    for referral, satisfaction, days_ago in zip(
        sent,
        [5, 5, 4, 3, 1, 2, 4, 5, 2],
        [1, 2, 3, 4, 5, 40, 80, 200, 400],
        strict=True,
    ):
        row = ReferralFeedback.objects.create(referral=referral, satisfaction=satisfaction, improvements="Free text")
        ReferralFeedback.objects.filter(pk=row.pk).update(created_at=now - timedelta(days=days_ago))
        row.refresh_from_db()
        feedback.append(row)
    return World(now, seeded, feedback)


def expected(world: World, days: int) -> dict:
    """Every measure of the last `days` days, from the seeded rows."""
    since = world.now - timedelta(days=days)
    routes = {}
    for route in ROUTE_LABELS:
        started = [s for s in world.drafts if s.route == route and s.draft.created_at >= since]
        referrals = [
            s.referral for s in world.drafts if s.referral and s.route == route and s.referral.submitted_at >= since
        ]
        times = [r.submitted_at - Draft.objects.get(pk=r.draft_id).created_at for r in referrals]
        routes[route] = {
            "started": len(started),
            "sent": sum(1 for s in started if s.referral),
            "referrals": len(referrals),
            "median": statistics.median(times) if times else None,
        }
    answers = [f.satisfaction for f in world.feedback if f.created_at >= since]
    return {"routes": routes, "answers": answers}


def page_of(client, path: str) -> tuple[str, object]:
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return html, read_page(html)


@pytest.mark.parametrize("period", PERIODS, ids=[period.slug for period in PERIODS])
def test_completion_and_time_to_complete_are_counted_by_route(world, period):
    measures = service_measures(period)
    want = expected(world, period.days)
    for route in measures.routes:
        counts = want["routes"][route.route]
        assert (route.started, route.sent, route.referrals) == (counts["started"], counts["sent"], counts["referrals"])
        if counts["median"] is None:
            assert route.median_time is None
        else:
            assert abs(route.median_time - counts["median"]) < timedelta(seconds=1)
    assert measures.started == sum(counts["started"] for counts in want["routes"].values())
    assert measures.sent == sum(counts["sent"] for counts in want["routes"].values())


def test_a_drafts_route_follows_its_answers_until_it_is_sent(world):
    measures = service_measures(period_named("30-days"))
    by_route = {route.route: route for route in measures.routes}
    assert (by_route[Route.CHILD].started, by_route[Route.CHILD].sent) == (3, 2)
    assert (by_route[Route.ADULT].started, by_route[Route.ADULT].sent) == (4, 1)
    assert (by_route[Route.DUTY_TO_NOTIFY].started, by_route[Route.DUTY_TO_NOTIFY].sent) == (3, 2)
    assert (by_route["unknown"].started, by_route["unknown"].sent) == (2, 0)


def test_the_page_shows_the_measures_of_the_period_chosen(client, world):
    html, page = page_of(client, reverse("insights:service_performance") + "?period=90-days")
    assert 'data-testid="service-performance"' in html
    want = expected(world, 90)
    started = sum(counts["started"] for counts in want["routes"].values())
    sent = sum(counts["sent"] for counts in want["routes"].values())
    completion = words(page.text["figure-completion-rate"])
    assert completion.startswith(f"Completion rate {round(100 * sent / started)}% ")
    assert f"{sent} of {started} drafts started were sent" in completion
    for route, counts in want["routes"].items():
        row = f"route-{route}"
        assert words(page.text[row]).startswith(ROUTE_LABELS[route])
        assert words(page.text["routes"]).count(ROUTE_LABELS[route]) == 1
        cells = read_row(html, row)
        assert cells["started"] == str(counts["started"])
        assert cells["sent"] == str(counts["sent"])
        if counts["started"]:
            assert cells["completion"] == f"{round(100 * counts['sent'] / counts['started'])}%"
        if route != "unknown":
            assert cells["referrals"] == str(counts["referrals"])
            assert cells["median-time"] == (duration_words(counts["median"]) if counts["median"] else "None sent")
    assert words(page.text["period-current"]) == "Last 90 days"


def read_row(html: str, testid: str) -> dict[str, str]:
    """The cells (by their data-testid) of the table row `testid`."""
    start = html.rindex("<tr", 0, html.index(f'data-testid="{testid}"'))
    row = read_page(html[start : html.index("</tr>", start) + 5])
    return {key: words(text) for key, text in row.text.items()}


def test_user_satisfaction_is_the_share_satisfied_or_very_satisfied(client, world):
    html, page = page_of(client, reverse("insights:service_performance"))
    answers = expected(world, 30)["answers"]
    satisfied = sum(1 for answer in answers if answer >= 4)
    figure = words(page.text["figure-satisfaction"])
    assert figure.startswith(f"User satisfaction {round(100 * satisfied / len(answers))}% ")
    assert f"{satisfied} of {len(answers)} answers" in figure
    for choice in ReferralFeedback.Satisfaction:
        cells = read_row(html, f"satisfaction-{choice.value}")
        assert cells["count"] == str(answers.count(choice.value))
    assert "Free text" not in html  # the feedback's own words are never shown


def test_digital_take_up_is_the_share_of_referrals_made_online_here(client, world):
    html, page = page_of(client, reverse("insights:service_performance") + "?period=12-months")
    referrals = [s for s in world.drafts if s.referral and s.referral.submitted_at >= world.now - timedelta(days=365)]
    figure = words(page.text["figure-digital-take-up"])
    assert figure.startswith("Digital take-up 100% ")
    assert f"{len(referrals)} of {len(referrals)} referrals made online" in figure
    assert "No other channel reaches this service today" in html


def test_an_unknown_period_is_the_last_30_days(client, world):
    _, page = page_of(client, reverse("insights:service_performance") + "?period=forever")
    assert words(page.text["period-current"]) == "Last 30 days"
    for period in PERIODS[1:]:
        assert page.links[f"period-{period.slug}"] == [f"?period={period.slug}"]


def test_with_nothing_to_measure_the_page_says_so(client, db):
    _, page = page_of(client, reverse("insights:service_performance"))
    assert words(page.text["figure-completion-rate"]).startswith("Completion rate No data")
    assert words(page.text["figure-satisfaction"]).startswith("User satisfaction No data")
    assert words(page.text["figure-digital-take-up"]).startswith("Digital take-up No data")


def test_the_measures_take_three_queries_however_many_referrals(client, world, django_assert_num_queries):
    with django_assert_num_queries(3):
        service_measures(period_named("12-months"))
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    url = reverse("insights:service_performance")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    org = FirstResponderOrganisationFactory()
    for days_ago in (1, 2, 3):
        seeded = draft(
            world.now,
            days_ago=days_ago,
            answers=CHILD,
            route=Route.CHILD,
            sent_after=timedelta(hours=1),
            organisation=org,
        )
        ReferralFeedback.objects.create(referral=seeded.referral, satisfaction=5)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.CASEWORKER, Role.FIRST_RESPONDER, Role.PANEL_CHAIR, Role.SUPPORT_PROVIDER, Role.ADMIN]
)
def test_the_service_measures_are_not_found_for_anyone_but_an_analyst(client, db, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("insights:service_performance")).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get(reverse("insights:service_performance"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
