"""The panel dashboard: each chair's panels, each manager's authority's panel work, figures aggregated in SQL with
a number of queries that does not grow with the panel cases."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from casework.models import Decision, PanelResponse
from common.calendar import add_working_days
from panels.dashboard import PERIODS, panel_dashboard_for, period_named
from panels.models import Panel, PanelCase
from tests.casework.factories import AwaitingRgCaseFactory
from tests.factories import AuthorityFactory, UserFactory
from tests.panels.factories import (
    ChairFactory,
    DecisionMakingPanelFactory,
    MembershipFactory,
    PanelCaseFactory,
    PanelFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ALL_TIME = period_named("all")
AGREE = PanelCase.Recommendation.AGREE
RECONSIDER = PanelCase.Recommendation.RECOMMEND_RECONSIDERATION


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=LONDON)


def open_review(panel: Panel, *, due_in_days: int, case=None) -> PanelCase:
    return PanelCaseFactory(
        panel=panel, case=case or AwaitingRgCaseFactory(), due_date=timezone.localdate() + timedelta(days=due_in_days)
    )


def concluded_review(
    panel: Panel,
    *,
    recommendation: str = AGREE,
    response: str = "",
    routed: date | None = None,
    concluded: date | None = None,
    case=None,
) -> PanelCase:
    """A review concluded by the panel, of a negative CG decision the authority answered with `response`."""
    case = case or AwaitingRgCaseFactory()
    concluded = concluded or timezone.localdate() - timedelta(days=1)
    routed = routed or concluded - timedelta(days=14)
    decision = Decision.objects.create(
        case=case,
        stage=Decision.Stage.CG,
        outcome=Decision.Outcome.NEGATIVE,
        reasons="The account is not supported by the evidence.",
        decision_date=routed,
        decided_by=UserFactory(role=Role.CASEWORKER, organisation=case.authority),
        state=Decision.State.SERVED if recommendation == AGREE else Decision.State.RECONSIDERATION_RECOMMENDED,
        authority_response=response,
    )
    return PanelCaseFactory(
        panel=panel,
        case=case,
        decision=decision,
        state=PanelCase.State.CONCLUDED,
        recommendation=recommendation,
        reasons="The panel's reasons.",
        routed_at=at_noon(routed),
        due_date=routed + timedelta(days=14),
        concluded_at=at_noon(concluded),
    )


@pytest.fixture
def panel():
    return PanelFactory(name="Alpha assurance panel")


@pytest.fixture
def chair(panel):
    return ChairFactory(panel=panel).user


def figures_of(board, panel):
    return next(figures for figures in board.panels if figures.panel == panel)


def test_a_chair_sees_pending_due_soon_overdue_and_concluded_reviews_of_their_panel(panel, chair):
    today = timezone.localdate()
    soon = (add_working_days(today, 3) - today).days
    open_review(panel, due_in_days=0)  # due today: due soon
    open_review(panel, due_in_days=soon)  # the last day of "due soon"
    open_review(panel, due_in_days=soon + 1)
    open_review(panel, due_in_days=-1)  # overdue
    open_review(panel, due_in_days=-20)
    concluded_review(panel)
    PanelCaseFactory(panel=panel, state=PanelCase.State.WITHDRAWN)

    board = panel_dashboard_for(user=chair)

    assert board.audience == "chair"
    figures = figures_of(board, panel)
    assert (figures.pending, figures.due_soon, figures.overdue, figures.concluded) == (5, 2, 2, 1)


def test_a_chair_sees_only_the_panels_they_chair(panel, chair):
    other = PanelFactory(name="Beta assurance panel")
    open_review(other, due_in_days=5)
    MembershipFactory(panel=other, user=chair)  # a member, not the chair, of the other panel

    board = panel_dashboard_for(user=chair)

    assert [figures.panel for figures in board.panels] == [panel]
    assert board.panels[0].pending == 0


def test_a_chair_whose_term_has_ended_sees_no_dashboard(panel):
    seat = ChairFactory(panel=panel, term_end=timezone.localdate() - timedelta(days=1))

    assert panel_dashboard_for(user=seat.user) is None


def test_the_agreement_rate_counts_the_assurance_reviews_concluded(panel, chair):
    for _ in range(3):
        concluded_review(panel, recommendation=AGREE)
    concluded_review(panel, recommendation=RECONSIDER)

    figures = figures_of(panel_dashboard_for(user=chair), panel)

    assert (figures.agreed, figures.reviews_concluded) == (3, 4)
    assert figures.agreement_rate == 0.75
    assert figures.agreement_words == "75% (3 of 4 reviews)"


def test_the_accepted_share_is_of_the_recommendations_the_authority_answered(panel, chair):
    concluded_review(panel, recommendation=RECONSIDER, response=PanelResponse.RECONSIDER)
    concluded_review(panel, recommendation=RECONSIDER, response=PanelResponse.MAINTAIN)
    concluded_review(panel, recommendation=RECONSIDER, response=PanelResponse.MAINTAIN)
    concluded_review(panel, recommendation=RECONSIDER)  # not answered yet
    concluded_review(panel, recommendation=AGREE)

    figures = figures_of(panel_dashboard_for(user=chair), panel)

    assert (figures.recommended, figures.answered, figures.accepted, figures.awaiting_response) == (4, 3, 1, 1)
    assert figures.acceptance_words == "33% (1 of 3 answered); 1 awaiting the authority's response"


def test_the_working_days_each_review_added_come_from_the_working_day_calendar(panel, chair):
    # Friday 6 November 2026 to Tuesday 10 November: Monday and Tuesday, 2 working days.
    concluded_review(panel, routed=date(2026, 11, 6), concluded=date(2026, 11, 10))
    concluded_review(panel, routed=date(2026, 11, 6), concluded=date(2026, 11, 10))
    # Wednesday 24 December 2025 to Monday 29 December: Christmas, Boxing Day and the weekend are not working
    # days: only the 29th is.
    concluded_review(panel, routed=date(2025, 12, 24), concluded=date(2025, 12, 29))
    # Monday 2 November to Monday 16 November: 10 working days.
    concluded_review(panel, routed=date(2026, 11, 2), concluded=date(2026, 11, 16))

    figures = figures_of(panel_dashboard_for(user=chair, period=ALL_TIME), panel)

    assert dict(figures.working_days) == {2: 2, 1: 1, 10: 1}
    assert figures.working_days_mean == pytest.approx(15 / 4)
    assert figures.working_days_median == 2
    assert figures.working_days_words == "3.8 on average, median 2 (4 concluded)"


def test_the_period_chosen_limits_the_concluded_figures_but_not_the_open_ones(panel, chair):
    today = timezone.localdate()
    concluded_review(panel, concluded=today - timedelta(days=10))
    concluded_review(panel, concluded=today - timedelta(days=100), recommendation=RECONSIDER)
    open_review(panel, due_in_days=-200)

    last_30_days = figures_of(panel_dashboard_for(user=chair, period=period_named("30")), panel)
    all_time = figures_of(panel_dashboard_for(user=chair, period=ALL_TIME), panel)

    assert (last_30_days.concluded, last_30_days.recommended, last_30_days.overdue) == (1, 0, 1)
    assert (all_time.concluded, all_time.recommended, all_time.overdue) == (2, 1, 1)
    assert period_named("not a period") == period_named("365")


def test_a_manager_sees_the_panel_work_on_their_authoritys_cases_only(panel):
    ours = AwaitingRgCaseFactory()
    manager = UserFactory(role=Role.MANAGER, organisation=ours.authority)
    elsewhere = AuthorityFactory(name="Another competent authority")
    theirs = AwaitingRgCaseFactory(authority=elsewhere)
    regional = DecisionMakingPanelFactory(name="South West regional panel", regions=["Cornwall"])
    open_review(panel, due_in_days=3, case=ours)
    open_review(panel, due_in_days=3, case=theirs)
    concluded_review(panel, recommendation=RECONSIDER, response=PanelResponse.RECONSIDER)
    PanelCaseFactory(
        panel=PanelFactory(name="A panel with none of our cases"), case=AwaitingRgCaseFactory(authority=elsewhere)
    )
    PanelCaseFactory(panel=regional, kind=PanelCase.Kind.DECISION, stage=Decision.Stage.RG)

    board = panel_dashboard_for(user=manager)

    assert board.audience == "manager"
    assert [figures.name for figures in board.panels] == ["Alpha assurance panel", "South West regional panel"]
    figures = figures_of(board, panel)
    assert (figures.pending, figures.concluded, figures.accepted) == (1, 1, 1)
    assert board.total.pending == 2
    assert panel_dashboard_for(user=UserFactory(role=Role.MANAGER, organisation=elsewhere)).total.pending == 2


@pytest.mark.parametrize(
    "role", [Role.CASEWORKER, Role.FIRST_RESPONDER, Role.SUPPORT_PROVIDER, Role.ANALYST, Role.PANEL_MEMBER]
)
def test_the_dashboard_is_not_found_for_anyone_but_chairs_and_managers(client, panel, role):
    user = UserFactory(role=role)
    if role == Role.PANEL_MEMBER:
        user = MembershipFactory(panel=panel).user  # sits on a panel, chairs none

    client.force_login(user)

    assert client.get(reverse("panels:dashboard")).status_code == 404


def test_a_chair_of_no_panel_gets_404(client):
    client.force_login(UserFactory(role=Role.PANEL_CHAIR))

    assert client.get(reverse("panels:dashboard")).status_code == 404


def test_the_page_shows_each_panels_figures_with_the_period_chosen(client, panel, chair):
    open_review(panel, due_in_days=-1)
    concluded_review(panel, recommendation=RECONSIDER, response=PanelResponse.MAINTAIN)
    client.force_login(chair)

    response = client.get(reverse("panels:dashboard"), {"period": "30"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Alpha assurance panel" in page
    assert '<option value="30" selected>' in page
    assert "0% (0 of 1 answered)" in page
    assert "Working days each review added" in page
    assert f'href="{reverse("panels:dashboard")}"' in page  # the header's "Panels" link


def test_a_manager_with_no_panel_work_is_told_so(client):
    manager = UserFactory(role=Role.MANAGER)
    client.force_login(manager)

    response = client.get(reverse("panels:dashboard"))

    assert response.status_code == 200
    assert "has been sent to an independent panel" in response.content.decode()


def test_the_period_form_offers_every_period(client, panel, chair):
    client.force_login(chair)

    page = client.get(reverse("panels:dashboard")).content.decode()

    for period in PERIODS:
        assert f'value="{period.slug}"' in page


@pytest.mark.parametrize("who", ["chair", "manager"])
def test_the_dashboard_makes_as_many_queries_for_many_panel_cases_as_for_few(client, panel, chair, who):
    authority_case = AwaitingRgCaseFactory()
    manager = UserFactory(role=Role.MANAGER, organisation=authority_case.authority)
    second = PanelFactory(name="Beta assurance panel")
    ChairFactory(panel=second, user=chair)
    client.force_login(chair if who == "chair" else manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("panels:dashboard"), {"period": "all"}).status_code == 200
        return len(context)

    queries()  # the session's first request writes once what later ones only read
    open_review(panel, due_in_days=1)
    concluded_review(second, recommendation=RECONSIDER, response=PanelResponse.RECONSIDER)
    few = queries()
    for number in range(6):
        open_review(second, due_in_days=number - 3)
        concluded_review(
            panel,
            recommendation=(AGREE, RECONSIDER)[number % 2],
            response=PanelResponse.MAINTAIN if number % 3 else "",
            routed=date(2026, 10, 1 + number),
            concluded=date(2026, 10, 12 + number),
        )
    many = queries()

    assert few == many
