from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import Role
from accounts.selectors import first_responder_organisations
from referrals.models import Country, LocalAuthority, Nationality, PoliceForce, UkRegion, UkTown
from referrals.models.reference import names_cache_key
from referrals.reference_lists import LISTS, is_reference_value, reference_choices, reference_names
from tests.factories import AuthorityFactory, FirstResponderOrganisationFactory, UserFactory

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "referrals" / "reference"

# key: (model, file, rows expected). uk_towns.txt has 1,622 lines but repeats 13 names (Newport three times), and a
# name is unique: 1,608 towns.
REFERENCE_LISTS = {
    "countries": (Country, "countries.txt", 197),
    "nationalities": (Nationality, "nationalities.txt", 222),
    "uk_towns": (UkTown, "uk_towns.txt", 1608),
    "uk_regions": (UkRegion, "uk_regions.txt", 98),
    "local_authorities": (LocalAuthority, "local_authorities.txt", 458),
    "police_forces": (PoliceForce, "police_forces.txt", 47),
}


def file_names(file_name: str) -> set[str]:
    lines = (REFERENCE_DIR / file_name).read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip()}


@pytest.fixture
def superuser_client(client, db, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))
    return client


def test_every_reference_list_has_its_model():
    assert {key: LISTS[key] for key in REFERENCE_LISTS} == {key: model for key, (model, *_) in REFERENCE_LISTS.items()}
    assert "organisations" in LISTS


@pytest.mark.parametrize("list_key", REFERENCE_LISTS)
def test_the_lists_are_loaded_with_the_names_of_the_files(db, list_key):
    model, file_name, count = REFERENCE_LISTS[list_key]
    assert model.objects.count() == count
    assert set(model.objects.values_list("name", flat=True)) == file_names(file_name)
    # Councils abolished in a reorganisation are kept but not offered (tests/referrals/test_ended_local_authorities).
    ended = model.objects.exclude(ended_on=None).count() if model is LocalAuthority else 0
    assert len(reference_names(list_key)) == count - ended
    # The initial load is in the history too.
    assert model.history.filter(history_type="+").count() == count


def test_names_are_kept_as_in_the_files_only_trimmed(db):
    assert is_reference_value("uk_towns", "Aberdare / Aberdâr")
    assert is_reference_value("uk_towns", "Pontypool / Pont-y-pŵl")
    # nationalities.txt has "Citizen of Vanuatu " with a trailing space.
    assert is_reference_value("nationalities", "Citizen of Vanuatu")
    assert not is_reference_value("nationalities", "Citizen of Vanuatu ")


@pytest.mark.parametrize("list_key", ["countries", "nationalities", "uk_towns", "uk_regions"])
def test_unknown_comes_first_where_the_list_has_it(db, list_key):
    names = reference_names(list_key)
    assert names[0] == "Unknown"
    assert names.count("Unknown") == 1
    assert names[1:] == list(
        LISTS[list_key].objects.exclude(name="Unknown").order_by("name").values_list("name", flat=True)
    )


@pytest.mark.parametrize("list_key", ["local_authorities", "police_forces"])
def test_lists_without_unknown_do_not_offer_it(db, list_key):
    assert "Unknown" not in reference_names(list_key)
    assert not is_reference_value(list_key, "Unknown")


def test_choices_use_the_name_as_value_and_label(db):
    choices = reference_choices("police_forces")
    assert ("Bedfordshire Police", "Bedfordshire Police") in choices
    assert [value for value, _ in choices] == reference_names("police_forces")


def test_is_reference_value_is_an_exact_match_in_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert is_reference_value("countries", "France")
    with django_assert_num_queries(1):
        assert not is_reference_value("countries", "france")
    assert not is_reference_value("countries", "FRANCE")
    assert not is_reference_value("countries", " France")
    assert not is_reference_value("countries", "Fran")
    assert not is_reference_value("countries", "")
    assert not is_reference_value("countries", None)


def test_an_unknown_value_is_refused_and_never_added(db):
    before = Country.objects.count()
    assert not is_reference_value("countries", "Atlantis")
    assert Country.objects.count() == before
    assert "Atlantis" not in reference_names("countries")


def test_an_unknown_list_is_an_error(db):
    with pytest.raises(KeyError):
        reference_names("planets")
    with pytest.raises(KeyError):
        is_reference_value("planets", "Mars")


def test_deactivated_items_disappear(db):
    assert "Angus" in reference_names("uk_regions")
    region = UkRegion.objects.get(name="Angus")
    region.is_active = False
    region.save()
    assert "Angus" not in reference_names("uk_regions")
    assert not is_reference_value("uk_regions", "Angus")
    assert region.history.first().is_active is False


def test_the_names_are_cached(db, django_assert_num_queries):
    reference_names("countries")
    assert cache.get(names_cache_key(Country)) is not None
    with django_assert_num_queries(0):
        assert reference_names("countries")[0] == "Unknown"


def test_an_admin_edit_refreshes_the_cached_names_and_is_in_the_history(superuser_client):
    assert "Wiltshire Police" in reference_names("police_forces")
    force = PoliceForce.objects.get(name="Wiltshire Police")
    response = superuser_client.post(
        reverse("admin:referrals_policeforce_change", args=[force.pk]),
        {"name": "Wiltshire Police Force", "is_active": "on"},
    )
    assert response.status_code == 302
    names = reference_names("police_forces")
    assert "Wiltshire Police Force" in names
    assert "Wiltshire Police" not in names
    latest = force.history.first()
    assert (latest.name, latest.history_type, latest.history_user.is_superuser) == ("Wiltshire Police Force", "~", True)


def test_an_admin_bulk_delete_refreshes_the_cached_names(superuser_client):
    assert "Zambia" in reference_names("countries")
    zambia = Country.objects.get(name="Zambia")
    response = superuser_client.post(
        reverse("admin:referrals_country_changelist"),
        {"action": "delete_selected", "_selected_action": [zambia.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Country.objects.filter(name="Zambia").exists()
    assert "Zambia" not in reference_names("countries")


def test_admin_lists_and_searches_the_reference_lists(superuser_client):
    for model in (Country, Nationality, UkTown, UkRegion, LocalAuthority, PoliceForce):
        url = reverse(f"admin:referrals_{model._meta.model_name}_changelist")
        assert superuser_client.get(url, {"q": "Unknown", "is_active__exact": "1"}).status_code == 200
    page = superuser_client.get(reverse("admin:referrals_ukregion_changelist"), {"q": "Angus"}).content.decode()
    assert "Angus" in page
    assert "Aberdeenshire" not in page


def test_organisations_are_the_active_first_responder_organisations(db):
    responder = FirstResponderOrganisationFactory(name="Test Constabulary")
    authority = AuthorityFactory(name="Test Competent Authority")
    closed = FirstResponderOrganisationFactory(name="Closed Constabulary", is_active=False)
    names = reference_names("organisations")
    assert responder.name in names
    assert authority.name not in names
    assert closed.name not in names
    assert is_reference_value("organisations", responder.name)
    assert not is_reference_value("organisations", authority.name)
    assert not is_reference_value("organisations", closed.name)
    assert names == list(first_responder_organisations().order_by("name").values_list("name", flat=True))


@pytest.mark.django_db
def test_the_cached_first_responder_organisations_change_as_soon_as_an_organisation_is_saved():
    before = reference_names("organisations")
    assert cache.get(names_cache_key(type(first_responder_organisations().model()))) == before
    added = FirstResponderOrganisationFactory(name="Aardvark Borough Council")
    assert "Aardvark Borough Council" in reference_names("organisations")
    added.is_active = False
    added.save()
    assert "Aardvark Borough Council" not in reference_names("organisations")
    added.delete()
    assert reference_names("organisations") == before
