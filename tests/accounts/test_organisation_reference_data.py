"""Organisations carry their short name and nation: the live service's first responder organisations get them
from a data migration, the demo organisations from the seed, and the admin list shows both."""

import pytest
from django.urls import reverse

from accounts import demo
from accounts.models import Nation, Organisation
from accounts.reference_data import read_list
from accounts.roles import Role
from tests.factories import UserFactory
from tests.security.world import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "short_name", "nation"),
    [
        ("Police Scotland", "", Nation.SCOTLAND),
        ("Police Service of Northern Ireland", "PSNI", Nation.NORTHERN_IRELAND),
        ("Gwent Police", "", Nation.WALES),
        ("Kent Police", "", Nation.ENGLAND),
        ("Metropolitan Police Service", "MPS", Nation.ENGLAND),
        ("Glasgow City Council", "", Nation.SCOTLAND),
        ("Wrexham County Borough Council", "", Nation.WALES),
        ("Belfast City Council", "", Nation.NORTHERN_IRELAND),
        ("Leeds City Council", "", Nation.ENGLAND),
        ("BAWSO", "BAWSO", Nation.WALES),
        ("National Crime Agency NCA", "NCA", ""),
        ("Gangmasters and Labour Abuse Authority GLAA", "GLAA", ""),
        ("British Transport Police", "BTP", ""),
        ("Home Office - UK Border Force UKBF", "UKBF", ""),
    ],
)
def test_the_listed_organisations_carry_their_short_name_and_nation(name, short_name, nation):
    organisation = Organisation.objects.get(name=name)
    assert (organisation.short_name, organisation.nation) == (short_name, nation)


def test_every_listed_police_force_and_council_has_a_nation_but_the_uk_wide_forces():
    listed = Organisation.objects.filter(name__in=read_list("first_responder_organisations.txt"))
    without = listed.filter(nation="", kind__in=[Organisation.Kind.POLICE, Organisation.Kind.LOCAL_AUTHORITY])
    assert set(without.values_list("name", flat=True)) == {"British Transport Police", "National Police Air Service"}
    counts = {nation: listed.filter(nation=nation).count() for nation in Nation.values}
    assert counts[Nation.SCOTLAND] >= 33
    assert counts[Nation.WALES] >= 27
    assert counts[Nation.NORTHERN_IRELAND] >= 15
    assert counts[Nation.ENGLAND] > 350


def test_the_demo_organisations_carry_short_names_and_nations():
    demo.seed()
    for name, short_name, _, nation, _ in demo.DEMO_ORGANISATIONS:
        organisation = Organisation.objects.get(name=name)
        assert organisation.short_name == short_name != ""
        assert organisation.nation == nation
        if organisation.kind != Organisation.Kind.COMPETENT_AUTHORITY:
            assert organisation.nation  # the competent authorities decide for the whole UK


def test_the_admin_list_shows_short_names_and_nations(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = True
    sign_in(client, UserFactory(role=Role.ADMIN))
    page = client.get(reverse("admin:accounts_organisation_changelist"), {"q": "Northern Ireland"}).content.decode()
    assert "Police Service of Northern Ireland" in page
    assert "PSNI" in page
    assert "column-short_name" in page
    assert "column-nation" in page
    filtered = client.get(reverse("admin:accounts_organisation_changelist"), {"nation__exact": "wales"})
    assert "Gwent Police" in filtered.content.decode()
    assert "Kent Police" not in filtered.content.decode()
