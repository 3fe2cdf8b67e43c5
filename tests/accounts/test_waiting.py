"""The header names the service for the role, and an organisation administrator's pages start with the requests
to join their organisation (accounts.waiting)."""

import pytest
from django.urls import reverse

from accounts.membership import membership_request_create
from accounts.roles import SERVICE_NAMES, Role
from accounts.waiting import waiting_for_organisation_admin
from tests.factories import FirstResponderOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "service_name"),
    [
        (Role.FIRST_RESPONDER, "Refer a potential victim of modern slavery"),
        (Role.ORGANISATION_ADMIN, "Refer a potential victim of modern slavery"),
        (Role.CASEWORKER, "Modern slavery casework"),
        (Role.MANAGER, "Modern slavery casework"),
        (Role.PANEL_MEMBER, "Modern slavery casework"),
        (Role.SUPPORT_PROVIDER, "Modern slavery casework"),
        (Role.ANALYST, "Modern slavery statistics"),
    ],
)
def test_the_header_and_the_title_name_the_service_for_the_role(client, settings, role, service_name):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=role))
    page = client.get(reverse("account")).text
    assert f'class="govuk-service-navigation__link">{service_name}</a>' in page
    assert f"\N{EN DASH} {service_name} \N{EN DASH} GOV.UK</title>" in page


def test_every_role_has_a_service_name_and_signed_out_visitors_see_the_referral_services(client):
    assert set(SERVICE_NAMES) == set(Role)
    page = client.get(reverse("home")).text
    assert "\N{EN DASH} Refer a potential victim of modern slavery \N{EN DASH} GOV.UK</title>" in page


def test_an_administrator_is_told_of_the_requests_to_join_their_organisation(client, django_assert_max_num_queries):
    organisation = FirstResponderOrganisationFactory()
    admin = UserFactory(role=Role.ORGANISATION_ADMIN, organisation=organisation)
    asker = UserFactory(role=Role.FIRST_RESPONDER, organisation=organisation, organisation_verified=False)
    membership_request_create(user=asker, organisation=organisation)
    other = FirstResponderOrganisationFactory()
    membership_request_create(
        user=UserFactory(role=Role.FIRST_RESPONDER, organisation=other, organisation_verified=False),
        organisation=other,
    )
    with django_assert_max_num_queries(1):
        waiting = waiting_for_organisation_admin(user=admin)
    assert [(item.key, item.text) for item in waiting] == [
        ("membership-requests", "1 request to join your organisation")
    ]
    client.force_login(admin)
    for url in (reverse("organisation:members"), reverse("referrals:list")):
        page = client.get(url).text
        assert "1 request to join your organisation" in page, url
        assert f'href="{reverse("organisation:members")}#requests-heading"' in page


def test_an_administrator_with_no_requests_is_told_nothing_is_waiting(client):
    admin = UserFactory(role=Role.ORGANISATION_ADMIN)
    assert waiting_for_organisation_admin(user=admin) == []
    client.force_login(admin)
    assert 'data-testid="nothing-waiting"' in client.get(reverse("organisation:members")).text
