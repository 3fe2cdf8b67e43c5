"""The statistics' demo history of `seed_demo`: two years of referrals and decisions, refreshed into the fact
tables, so the analyst lands on real figures; seeded once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.models import Case, CaseEvent, Decision, Reconsideration
from insights import categories, demo
from insights.figures import Filters, table_grid
from insights.models import DecisionFact, DisqualificationFact, ReconsiderationFact, ReferralFact, Refresh
from insights.periods import custom
from insights.tables import TABLES_BY_KEY
from referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeds once for the module, inside a transaction rolled back at the end (each test in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = timezone.now()
        call_command("seed_demo", force=True, stdout=None)
        seconds = (timezone.now() - started).total_seconds()
        first = _counts()
        second_run = demo.seed()
        yield {"first": first, "second_run": second_run, "seconds": seconds}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Referral, Case, CaseEvent, Decision, Reconsideration, ReferralFact, DecisionFact)
    }


def history():
    return Referral.objects.filter(responder_reference__startswith=demo.KEY)


def two_years() -> Filters:
    today = timezone.localdate()
    return Filters(period=custom(today - timedelta(days=2 * 365), today))


def test_seeding_twice_adds_nothing_the_second_time(seeded):
    assert seeded["second_run"] == 0
    assert _counts() == seeded["first"]
    assert history().count() == demo.REFERRALS


def test_the_history_is_spread_over_eight_quarters_in_the_published_proportions(seeded):
    today = timezone.localdate()
    quarters = Counter(
        (day.year, (day.month - 1) // 3) for day in ReferralFact.objects.values_list("referred_on", flat=True)
    )
    assert len(quarters) >= 8
    assert min(day for day in ReferralFact.objects.values_list("referred_on", flat=True)) >= today - timedelta(
        days=2 * 365 + 1
    )
    nrm = history().exclude(route="duty_to_notify")
    assert 0.17 < history().filter(route="duty_to_notify").count() / demo.REFERRALS < 0.27
    assert 0.34 < nrm.filter(is_child=True).count() / nrm.count() < 0.46
    for stage in (Decision.Stage.RG, Decision.Stage.CG):
        decided = DecisionFact.objects.filter(stage=stage)
        assert 0.5 < decided.filter(outcome="positive").count() / decided.count() < 0.78, stage
    assert ReconsiderationFact.objects.filter(state=Reconsideration.State.ACCEPTED).exists()
    assert DisqualificationFact.objects.exists()
    assert Case.objects.filter(referral__in=history(), status=Case.Status.AWAITING_CG).count() > 50


def test_every_published_age_location_and_exploitation_category_occurs(seeded):
    facts = ReferralFact.objects.filter(is_duty_to_notify=False)
    assert set(facts.values_list("age_group", flat=True)) == set(categories.AGE_GROUPS)
    assert set(facts.values_list("location", flat=True)) == set(categories.LOCATIONS)
    single_types = {types[0] for types in facts.values_list("exploitation", flat=True) if len(types) == 1}
    assert single_types == set(categories.EXPLOITATION_TYPES)
    assert any(len(types) > 1 for types in facts.values_list("exploitation", flat=True))  # combinations
    assert facts.filter(exploitation=[]).exists()  # "other" only: not specified


def test_the_quarterly_tables_have_figures_in_every_quarter(seeded):
    for key in ("referrals-by-age-and-location", "reasonable-grounds-decisions", "conclusive-grounds-decisions"):
        grid = table_grid(TABLES_BY_KEY[key], two_years())
        quarters = [row for row in grid.rows if not row.is_total and row.level > 0]
        filled = [row for row in quarters if any(cell.value for cell in row.cells)]
        assert len(filled) >= 6, key
    grid = table_grid(TABLES_BY_KEY["referrals-by-age-and-location"], two_years())
    titles = {label for column in grid.columns for label in column.labels}
    assert set(categories.AGE_GROUPS.values()) <= titles
    assert set(categories.LOCATIONS.values()) <= titles


def test_the_figures_are_refreshed_and_the_analyst_lands_on_them(seeded, client):
    refresh = Refresh.objects.latest()
    assert refresh.referrals == ReferralFact.objects.count() >= demo.REFERRALS
    client.force_login(User.objects.get(email="analyst@sca.example"))
    landing = client.get(reverse("insights:statistics"))
    assert landing.status_code == 200
    assert 'data-testid="statistics-index"' in landing.content.decode()
    page = client.get(reverse("insights:table", args=["referrals-by-age-and-location"]))
    assert page.status_code == 200
    assert 'data-testid="figures-table"' in page.content.decode()
