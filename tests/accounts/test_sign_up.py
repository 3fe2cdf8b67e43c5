"""A first responder joins with the work email of a registered first responder organisation."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.adapters import UNKNOWN_DOMAIN_MESSAGE
from accounts.models import FirstResponderEmailDomain, Organisation, User
from accounts.roles import Role
from accounts.selectors import domain_matches, first_responder_email_allowed
from tests.accounts.helpers import last_emailed_code
from tests.factories import FirstResponderOrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def constabulary():
    return FirstResponderOrganisationFactory(name="Testshire Constabulary", email_domains=["testshire.police.example"])


def sign_up(client, email, **extra):
    return client.post(reverse("account_signup"), {"email": email, "full_name": "Pat Responder", **extra})


@pytest.mark.parametrize(
    ("domain", "pattern", "matches"),
    [
        ("met.police.uk", "police.uk", True),
        ("police.uk", "police.uk", True),
        ("evilpolice.uk", "police.uk", False),
        ("police.uk.evil.com", "police.uk", False),
        ("leeds.gov.uk", ".gov.uk", True),
        ("notgov.uk", ".gov.uk", False),
    ],
)
def test_domains_match_on_a_dot_boundary(domain, pattern, matches):
    assert domain_matches(domain, pattern) is matches


def test_the_live_services_allow_list_is_loaded_as_editable_data():
    assert FirstResponderEmailDomain.objects.filter(domain="barnardos.org.uk", match="exact").exists()
    assert FirstResponderEmailDomain.objects.filter(domain="police.uk", match="suffix").exists()
    assert Organisation.objects.filter(name="Metropolitan Police Service", kind=Organisation.Kind.POLICE).exists()
    assert first_responder_email_allowed("someone@barnardos.org.uk")
    assert first_responder_email_allowed("someone@hants.pnn.police.uk")
    assert not first_responder_email_allowed("someone@gmail.com")


def test_an_unknown_domain_is_refused_with_a_clear_message(client):
    response = sign_up(client, "someone@gmail.com")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert UNKNOWN_DOMAIN_MESSAGE in response.text
    assert 'value="someone@gmail.com"' in response.text  # what was typed is kept
    assert not User.objects.filter(email="someone@gmail.com").exists()
    assert mail.outbox == []


def test_a_lookalike_of_an_allowed_suffix_is_refused(client):
    sign_up(client, "someone@evilpolice.uk")
    assert not User.objects.filter(email="someone@evilpolice.uk").exists()


def test_an_organisations_own_domain_joins_that_organisation_after_the_emailed_code(client, constabulary):
    response = sign_up(client, "Pat.Responder@Testshire.Police.Example")
    assert response.status_code == 302
    user = User.objects.get(email="pat.responder@testshire.police.example")
    assert (user.role, user.organisation) == (Role.FIRST_RESPONDER, constabulary)
    assert not user.has_usable_password()  # they sign in with emailed codes

    response = client.post(response.url, {"code": last_emailed_code()})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("referrals:list")
    assert client.get(reverse("referrals:list")).status_code == 200


def test_an_allow_listed_domain_asks_which_organisation(client):
    council = Organisation.objects.get(name="Leeds City Council")
    response = sign_up(client, "someone@leeds.gov.uk")
    assert "Select the first responder organisation you work for" in response.text
    response = sign_up(client, "someone@leeds.gov.uk", organisation=council.pk)
    assert response.status_code == 302
    assert User.objects.get(email="someone@leeds.gov.uk").organisation == council


def test_an_organisations_domain_cannot_claim_another_organisation(client, constabulary):
    other = Organisation.objects.get(name="Metropolitan Police Service")
    response = sign_up(client, "pat@testshire.police.example", organisation=other.pk)
    assert "Your email address belongs to Testshire Constabulary" in response.text
    assert not User.objects.filter(email="pat@testshire.police.example").exists()


def test_staff_organisations_domains_cannot_sign_up(client):
    Organisation.objects.create(
        name="Test Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY, email_domains=["authority.example"]
    )
    sign_up(client, "someone@authority.example")
    assert not User.objects.filter(email="someone@authority.example").exists()
