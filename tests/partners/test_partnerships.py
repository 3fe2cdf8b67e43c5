"""Partnerships (issue 14, part F): the coordinator's figures for the partnership's area (insights' tables and
small-number suppression, never a person), the time from referral to decisions, the local pathway they keep
(with history) and its showing to member organisations' first responders at the start of a referral."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from insights.models import DecisionFact, ReferralFact, SuppressionPolicy
from partners.models import Partnership, PathwayContact
from partners.selectors.partnerships import PATHWAY_VERSION_KEY
from referrals.models.reference import LocalAuthority, PoliceForce
from tests.factories import FirstResponderOrganisationFactory, UserFactory

COUNCIL = "Birmingham City Council"
FORCE = "West Midlands Police"
ELSEWHERE_COUNCIL = "Leeds City Council"


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def member_organisation(db):
    return FirstResponderOrganisationFactory(name="Anytown Police")


@pytest.fixture
def coordinator(db, member_organisation):
    return UserFactory(role=Role.PARTNERSHIP_COORDINATOR, organisation=member_organisation)


@pytest.fixture
def partnership(db, coordinator, member_organisation):
    partnership = Partnership.objects.create(name="West Midlands Anti-Slavery Partnership")
    partnership.local_authorities.set([LocalAuthority.objects.get(name=COUNCIL)])
    partnership.police_forces.set([PoliceForce.objects.get(name=FORCE)])
    partnership.member_organisations.set([member_organisation])
    partnership.coordinators.set([coordinator])
    return partnership


def year() -> int:
    return timezone.localdate().year


_ids = iter(range(1, 100_000))


def fact(*, month=1, council="", force="", dtn=False, age="adult", exploitation=("labour",), organisation_id=1):
    return ReferralFact.objects.create(
        referral_id=next(_ids),
        referred_on=date(year(), month, 10),
        is_duty_to_notify=dtn,
        route="duty_to_notify" if dtn else age,
        nation="england",
        authority_id=None if dtn else 1,
        age_group=age,
        exploitation=list(exploitation),
        responder_kind="police",
        organisation_id=organisation_id,
        local_authority=council,
        police_force=force,
    )


def decision(referral: ReferralFact, *, stage="rg", days=30, month=6):
    return DecisionFact.objects.create(
        decision_id=next(_ids),
        referral_id=referral.referral_id,
        stage=stage,
        outcome="positive",
        decided_on=date(year(), month, 15),
        nation="england",
        authority_id=1,
        age_group=referral.age_group,
        days_from_referral=days,
    )


def figures_of(response) -> dict:
    return {figure.key: figure.grid for figure in response.context["figures"]}


def total_of(grid) -> str:
    total_row = grid.rows[-1]
    assert total_row.labels[0] == "Total"
    return total_row.cells[-1].shown


# --- who may see what ------------------------------------------------------------------------------------------


def test_a_coordinator_with_one_partnership_is_taken_to_its_figures(client, coordinator, partnership):
    client.force_login(coordinator)
    response = client.get(reverse("partnerships:home"))
    assert response.status_code == 302
    assert response.url == reverse("partnerships:figures", kwargs={"pk": partnership.pk})


def test_a_coordinator_of_no_partnership_is_told_so(client, db, member_organisation):
    lonely = UserFactory(role=Role.PARTNERSHIP_COORDINATOR, organisation=member_organisation)
    client.force_login(lonely)
    response = client.get(reverse("partnerships:home"))
    assert response.status_code == 200
    assert b'data-testid="no-partnership"' in response.content


def test_another_partnership_and_its_contacts_are_not_found(client, coordinator, partnership):
    other = Partnership.objects.create(name="Yorkshire Partnership")
    contact = PathwayContact.objects.create(partnership=other, kind="ssl", name="Someone", phone="1")
    client.force_login(coordinator)
    for url in (
        reverse("partnerships:figures", kwargs={"pk": other.pk}),
        reverse("partnerships:pathway", kwargs={"pk": other.pk}),
        reverse("partnerships:contact_edit", kwargs={"pk": other.pk, "contact_id": contact.pk}),
        reverse("partnerships:contact_edit", kwargs={"pk": partnership.pk, "contact_id": contact.pk}),
        reverse("partnerships:contact_remove", kwargs={"pk": partnership.pk, "contact_id": contact.pk}),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("partnerships:contact_remove", kwargs={"pk": partnership.pk, "contact_id": contact.pk})
        ).status_code
        == 404
    )
    assert PathwayContact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("role", [Role.FIRST_RESPONDER, Role.ANALYST, Role.CASEWORKER])
def test_other_roles_do_not_find_the_partnership_pages(client, partnership, role):
    user = UserFactory(role=role)
    partnership.coordinators.add(user)  # even if wrongly added in admin: the role decides
    client.force_login(user)
    assert client.get(reverse("partnerships:home")).status_code == 404
    assert client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk})).status_code == 404


# --- figures ---------------------------------------------------------------------------------------------------


def test_the_area_counts_referrals_recording_its_councils_or_forces_and_nothing_else(client, coordinator, partnership):
    for _ in range(6):
        fact(council=COUNCIL)
    for _ in range(5):
        fact(force=FORCE, month=2)
    for _ in range(7):
        fact(council=ELSEWHERE_COUNCIL, force="West Yorkshire Police")
    client.force_login(coordinator)
    response = client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk}), {"year": year()})
    assert response.status_code == 200
    grids = figures_of(response)
    by_month = grids["referrals-by-age-and-location-by-month"]
    assert total_of(by_month) == "11"
    months = {row.labels[0]: row.cells[-1].shown for row in by_month.rows if not row.is_total}
    assert months == {f"January {year()}": "6", f"February {year()}": "5"}
    assert total_of(grids["referrals-by-exploitation-type"]) == "11"


def test_counts_below_insights_threshold_are_suppressed_and_the_true_total_shown(client, coordinator, partnership):
    SuppressionPolicy.objects.create(threshold=5, on_screen=False)
    for _ in range(8):
        fact(council=COUNCIL, exploitation=("labour",))
    for _ in range(2):
        fact(council=COUNCIL, exploitation=("sexual",))
    client.force_login(coordinator)
    response = client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk}))
    grid = figures_of(response)["referrals-by-exploitation-type"]
    shown = {row.labels[0]: row.cells[-1].shown for row in grid.rows if not row.is_total}
    # The 2 is hidden, and the 8 beside it too (else 10 - 8 gives it away): insights' own rule.
    assert shown == {"Sexual": "[c]", "Labour": "[c]"}
    assert total_of(grid) == "10"
    assert b"Counts from 1 to 4 are shown as [c]" in response.content
    assert b"[c]" in response.content


def test_duty_to_notify_reports_are_counted_apart_from_referrals(client, coordinator, partnership):
    SuppressionPolicy.objects.create(threshold=1)
    fact(council=COUNCIL)
    fact(council=COUNCIL, dtn=True)
    fact(council=COUNCIL, dtn=True)
    client.force_login(coordinator)
    grids = figures_of(client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk})))
    assert total_of(grids["referrals-by-age-and-location-by-month"]) == "1"
    assert total_of(grids["duty-to-notify-by-quarter-by-month"]) == "2"
    assert total_of(grids["duty-to-notify-by-exploitation-type"]) == "2"


def test_the_referring_organisations_are_named(client, coordinator, partnership, member_organisation):
    SuppressionPolicy.objects.create(threshold=1)
    fact(council=COUNCIL, organisation_id=member_organisation.pk)
    client.force_login(coordinator)
    response = client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk}))
    grid = figures_of(response)["referrals-by-first-responder"]
    assert "Anytown Police" in [label for row in grid.rows for label in row.labels]


def test_the_time_from_referral_to_decisions_is_of_the_areas_referrals(client, coordinator, partnership):
    SuppressionPolicy.objects.create(threshold=5)
    for days in (10, 20, 30, 40, 50):
        decision(fact(council=COUNCIL), days=days)
    for days in (100, 200, 300, 400, 500):  # CG decisions of the area, each 100 days on
        decision(fact(force=FORCE), stage="cg", days=days)
    for _ in range(5):
        decision(fact(council=ELSEWHERE_COUNCIL), days=999)
    client.force_login(coordinator)
    grid = figures_of(client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk})))["decision-times"]
    total = grid.rows[-1]
    titles = [column.title for column in grid.columns]
    cells = dict(zip(titles, total.cells, strict=True))
    assert cells["Reasonable grounds decisions"].shown == "5"
    assert cells["RG mean days from referral"].shown == "30"
    assert cells["RG median days from referral"].shown == "30"
    assert cells["Conclusive grounds decisions"].shown == "5"
    assert cells["CG mean days from referral"].shown == "300"


def test_a_few_decisions_hide_their_days_too(client, coordinator, partnership):
    SuppressionPolicy.objects.create(threshold=5)
    decision(fact(council=COUNCIL), days=12)
    client.force_login(coordinator)
    grid = figures_of(client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk})))["decision-times"]
    quarter_row = next(row for row in grid.rows if len(row.values) == 2)
    assert quarter_row.cells[0].shown == "[c]"
    assert quarter_row.cells[1].shown == "[c]"


def test_the_figures_page_makes_the_same_queries_however_many_rows(
    client, coordinator, partnership, django_assert_max_num_queries
):
    for n in range(3):
        decision(fact(council=COUNCIL, month=1 + n))
    client.force_login(coordinator)
    url = reverse("partnerships:figures", kwargs={"pk": partnership.pk})
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(40):
        decision(fact(council=COUNCIL, month=1 + n % 12, exploitation=(("labour",), ("sexual",))[n % 2]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_year_not_offered_is_an_error_with_the_summary(client, coordinator, partnership):
    client.force_login(coordinator)
    response = client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk}), {"year": "1999"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Select a year from the list" in response.content
    assert "figures" not in response.context or not response.context["figures"]


def test_a_partnership_without_an_area_says_so(client, coordinator, partnership):
    partnership.local_authorities.clear()
    partnership.police_forces.clear()
    client.force_login(coordinator)
    response = client.get(reverse("partnerships:figures", kwargs={"pk": partnership.pk}))
    assert b"has not been set yet" in response.content
    assert response.context["figures"] == []


# --- the local pathway -----------------------------------------------------------------------------------------


def test_the_coordinator_keeps_the_pathway_and_each_change_is_in_its_history(client, coordinator, partnership):
    client.force_login(coordinator)
    pathway_url = reverse("partnerships:pathway", kwargs={"pk": partnership.pk})
    response = client.post(pathway_url, {"introduction": "  Call children's services first.  "})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.pathway_introduction == "Call children's services first."
    assert partnership.history.first().history_user == coordinator

    new_url = reverse("partnerships:contact_new", kwargs={"pk": partnership.pk})
    response = client.post(new_url, {"kind": "ssl", "name": "Anika Patel", "email": "ssl@council.example"})
    assert response.status_code == 302
    contact = PathwayContact.objects.get(partnership=partnership)
    assert (contact.name, contact.updated_by) == ("Anika Patel", coordinator)

    edit_url = reverse("partnerships:contact_edit", kwargs={"pk": partnership.pk, "contact_id": contact.pk})
    assert client.get(edit_url).status_code == 200
    client.post(edit_url, {"kind": "ssl", "name": "Anika Patel", "phone": "0121 496 0000"})
    contact.refresh_from_db()
    assert contact.phone == "0121 496 0000"

    remove_url = reverse("partnerships:contact_remove", kwargs={"pk": partnership.pk, "contact_id": contact.pk})
    assert b"Remove Anika Patel" in client.get(remove_url).content
    assert client.post(remove_url).status_code == 302
    assert not PathwayContact.objects.filter(pk=contact.pk).exists()
    kinds = list(
        PathwayContact.history.filter(id=contact.pk)
        .order_by("history_date")
        .values_list("history_type", "history_user")
    )
    assert kinds == [("+", coordinator.pk), ("~", coordinator.pk), ("-", coordinator.pk)]
    page = client.get(pathway_url)
    assert len(page.context["history"]) >= 3


def test_a_contact_with_no_way_to_reach_them_is_refused_with_the_error_summary(client, coordinator, partnership):
    client.force_login(coordinator)
    response = client.post(reverse("partnerships:contact_new", kwargs={"pk": partnership.pk}), {"name": "Team"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Select the type of contact" in content
    assert 'href="#id_kind_1"' in content
    response = client.post(
        reverse("partnerships:contact_new", kwargs={"pk": partnership.pk}), {"kind": "contact", "name": "Team"}
    )
    assert "Enter a telephone number or an email address" in response.content.decode()
    assert not PathwayContact.objects.exists()


def pathway_world(partnership, coordinator):
    partnership.pathway_introduction = "Call children's services first."
    partnership.save()
    PathwayContact.objects.create(
        partnership=partnership, kind="ssl", name="Anika Patel", phone="0121 496 0000", email="ssl@council.example"
    )


def test_member_organisations_first_responders_see_the_pathway_when_they_start_a_referral(
    client, coordinator, partnership, member_organisation
):
    pathway_world(partnership, coordinator)
    responder = UserFactory(role=Role.FIRST_RESPONDER, organisation=member_organisation)
    client.force_login(responder)
    content = client.get(reverse("referrals:list")).content.decode()
    assert 'data-testid="local-pathway"' in content
    assert "Local pathway: West Midlands Anti-Slavery Partnership" in content
    assert "Anika Patel" in content
    assert "mailto:ssl@council.example" in content
    response = client.post(reverse("referrals:start"))
    task_list = client.get(response.url).content.decode()
    assert "Call children&#x27;s services first." in task_list


def test_other_organisations_and_unverified_members_do_not_see_the_pathway(
    client, coordinator, partnership, member_organisation
):
    pathway_world(partnership, coordinator)
    outsider = UserFactory(role=Role.FIRST_RESPONDER)
    client.force_login(outsider)
    assert b'data-testid="local-pathway"' not in client.get(reverse("referrals:list")).content
    unverified = UserFactory(role=Role.FIRST_RESPONDER, organisation=member_organisation, organisation_verified=False)
    client.force_login(unverified)
    assert b'data-testid="local-pathway"' not in client.get(reverse("referrals:list")).content


def test_the_pathway_is_read_from_the_cache_and_a_change_shows_at_once(
    client, coordinator, partnership, member_organisation, django_assert_num_queries
):
    from partners.selectors.partnerships import pathway_for_organisation

    pathway_world(partnership, coordinator)
    assert pathway_for_organisation(member_organisation.pk)[0]["contacts"][0]["name"] == "Anika Patel"
    with django_assert_num_queries(0):
        pathway_for_organisation(member_organisation.pk)
    client.force_login(coordinator)
    client.post(
        reverse("partnerships:contact_new", kwargs={"pk": partnership.pk}),
        {"kind": "contact", "name": "Duty line", "phone": "0121 496 0999"},
    )
    assert cache.get(PATHWAY_VERSION_KEY)
    names = [c["name"] for c in pathway_for_organisation(member_organisation.pk)[0]["contacts"]]
    assert names == ["Duty line", "Anika Patel"]  # local contacts first (kind "contact" sorts before "ssl")
    partnership.member_organisations.clear()
    assert pathway_for_organisation(member_organisation.pk) == []


# --- admin -----------------------------------------------------------------------------------------------------


def test_the_service_admin_sets_a_partnerships_area_members_and_coordinators(client, partnership):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    response = client.get(reverse("admin:partners_partnership_change", args=[partnership.pk]))
    assert response.status_code == 200
    assert b"local_authorities" in response.content
    assert b"coordinators" in response.content
    assert client.get(reverse("admin:partners_partnership_changelist")).status_code == 200


# --- demo ------------------------------------------------------------------------------------------------------


def test_the_demo_partnership_is_seeded_once_with_its_coordinator_and_pathway(client, db):
    from accounts import demo as accounts_demo
    from partners import partnership_demo

    accounts_demo.seed()
    assert partnership_demo.seed() == partnership_demo.seed() == partnership_demo.DEMO_PARTNERSHIP
    partnership = Partnership.objects.get()
    assert [user.email for user in partnership.coordinators.all()] == [partnership_demo.DEMO_COORDINATOR]
    assert partnership.pathway_contacts.count() == len(partnership_demo.DEMO_CONTACTS)
    assert sorted(partnership.local_authorities.values_list("name", flat=True)) == list(
        partnership_demo.DEMO_LOCAL_AUTHORITIES
    )
    assert partnership.member_organisations.filter(name="Demo Constabulary").exists()
    client.force_login(User.objects.get(email="responder@police.example"))
    assert b"Anika Patel" in client.get(reverse("referrals:list")).content
