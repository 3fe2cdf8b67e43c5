"""The competent authorities' contact route (email, phone, postal address on their organisation), which decision
letters print: set in admin, and filled for the demo's SCA and IECA."""

import pytest
from django.urls import reverse

from accounts import demo
from accounts.models import Organisation
from accounts.roles import Role
from casework.letters import authority_contact
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def test_the_demo_authorities_have_a_contact_route_for_their_letters():
    demo.seed()
    for short_name in ("SCA", "IECA"):
        authority = Organisation.objects.get(kind=Organisation.Kind.COMPETENT_AUTHORITY, short_name=short_name)
        contact = authority_contact(authority)
        assert contact["any"]
        assert contact["email"].endswith(f"@{short_name.lower()}.example")
        assert contact["phone"].startswith("0300")
        assert len(contact["address_lines"]) == 4


def test_an_admin_sees_and_sets_an_organisations_contact_route(client):
    organisation = Organisation.objects.create(name="Test Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY)
    client.force_login(UserFactory(role=Role.ADMIN, email="root@nrm.example"))
    page = client.get(reverse("admin:accounts_organisation_change", args=[organisation.pk])).content.decode()
    for field in ("contact_email", "contact_phone", "contact_address"):
        assert f'name="{field}"' in page


def test_an_empty_contact_route_is_said_to_be_missing():
    organisation = Organisation(name="Test Authority", contact_address="\n  \n")
    assert authority_contact(organisation) == {"email": "", "phone": "", "address_lines": [], "any": False}
