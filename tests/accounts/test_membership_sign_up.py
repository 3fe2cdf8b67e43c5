"""Sign-up and membership: every combination of an organisation's own domain, an address allowed only by the
shared allow-list (a suffix such as .gov.uk, or an exact domain no organisation owns) and an unknown address,
with and without selecting an organisation (docs/adr/0006)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.adapters import UNKNOWN_DOMAIN_MESSAGE
from accounts.models import FirstResponderEmailDomain, MembershipRequest, User
from accounts.roles import Role
from notifications.models import Notification
from tests.accounts.helpers import last_emailed_code
from tests.factories import FirstResponderOrganisationFactory

pytestmark = pytest.mark.django_db

OWN_DOMAIN = "pat@testshire.police.example"
SUFFIX_ONLY = "pat@borough.shared.example"
EXACT_ONLY = "pat@exact-only.example"
UNKNOWN = "pat@unknown.example"


@pytest.fixture
def other_organisation():
    return FirstResponderOrganisationFactory(name="Otherton Borough Council", email_domains=[])


@pytest.fixture
def exact_only():
    return FirstResponderEmailDomain.objects.create(domain="exact-only.example")


def sign_up(client, email, organisation=None):
    data = {"email": email, "full_name": "Pat Responder"}
    if organisation is not None:
        data["organisation"] = organisation.pk
    return client.post(reverse("account_signup"), data)


def confirm(client, response):
    return client.post(response.url, {"code": last_emailed_code()})


# (address, which organisation is selected, the outcome)
COMBINATIONS = [
    (OWN_DOMAIN, None, "verified"),
    (OWN_DOMAIN, "own", "verified"),
    (OWN_DOMAIN, "other", "refused: belongs to"),
    (SUFFIX_ONLY, None, "refused: select"),
    (SUFFIX_ONLY, "own", "asks"),
    (SUFFIX_ONLY, "other", "asks"),
    (EXACT_ONLY, None, "refused: select"),
    (EXACT_ONLY, "other", "asks"),
    (UNKNOWN, None, "refused: unknown"),
    (UNKNOWN, "own", "refused: unknown"),
    (UNKNOWN, "other", "refused: unknown"),
]


@pytest.mark.parametrize(("email", "selected", "outcome"), COMBINATIONS)
def test_every_combination_of_address_and_selected_organisation_joins_asks_or_is_refused(
    client, constabulary, other_organisation, shared_suffix, exact_only, organisation_admin, email, selected, outcome
):
    chosen = {"own": constabulary, "other": other_organisation, None: None}[selected]
    response = sign_up(client, email, chosen)

    if outcome.startswith("refused"):
        assert response.status_code == 200
        assert "There is a problem" in response.text
        expected = {
            "refused: belongs to": "Your email address belongs to Testshire Constabulary",
            "refused: select": "Select the first responder organisation you work for",
            "refused: unknown": UNKNOWN_DOMAIN_MESSAGE,
        }[outcome]
        assert expected in response.text
        assert not User.objects.filter(email=email).exists()
        return

    confirm(client, response)
    user = User.objects.get(email=email)
    assert user.role == Role.FIRST_RESPONDER
    if outcome == "verified":
        assert (user.organisation, user.organisation_verified) == (constabulary, True)
        assert not MembershipRequest.objects.filter(user=user).exists()
    else:
        assert (user.organisation, user.organisation_verified) == (chosen, False)
        request = MembershipRequest.objects.get(user=user)
        assert (request.organisation, request.state) == (chosen, MembershipRequest.State.PENDING)


def test_a_suffix_only_address_that_selects_an_organisation_with_its_own_domain_only_asks_to_join_it(
    client, constabulary, shared_suffix, organisation_admin
):
    """The hole of issue 8: someone@anything.gov.uk selecting Demo Constabulary read its referrals at once."""
    confirm(client, sign_up(client, SUFFIX_ONLY, constabulary))
    user = User.objects.get(email=SUFFIX_ONLY)
    assert not user.organisation_verified
    assert not user.is_verified_member
    assert "has not been approved yet" in client.get(reverse("referrals:list")).text


def test_the_request_is_made_and_the_approvers_told_only_once_the_address_is_proved(
    client, constabulary, shared_suffix, organisation_admin
):
    response = sign_up(client, SUFFIX_ONLY, constabulary)
    assert not MembershipRequest.objects.exists()
    assert not Notification.objects.filter(recipient=organisation_admin).exists()

    confirm(client, response)

    notification = Notification.objects.get(recipient=organisation_admin)
    assert notification.kind == Notification.Kind.MEMBERSHIP_REQUESTED
    assert "asked to join" in notification.description


def test_the_approvers_email_says_someone_asked_and_names_no_one(
    client, constabulary, shared_suffix, organisation_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, sign_up(client, SUFFIX_ONLY, constabulary))
    from notifications.services import notification_deliver

    notification = Notification.objects.get(recipient=organisation_admin)
    notification_deliver(notification_id=notification.pk)
    email = next(message for message in mail.outbox if message.to == [organisation_admin.email])
    assert "someone has asked to join" in email.subject.lower()
    text = email.subject + email.body
    for personal in ("Pat", "Responder", SUFFIX_ONLY, "borough.shared.example", "Testshire"):
        assert personal not in text


def test_an_organisation_without_administrators_has_its_requests_approved_by_the_service_admins(
    client, constabulary, shared_suffix, service_admin
):
    confirm(client, sign_up(client, SUFFIX_ONLY, constabulary))
    assert Notification.objects.filter(recipient=service_admin, kind=Notification.Kind.MEMBERSHIP_REQUESTED).exists()


def test_an_organisation_with_administrators_does_not_trouble_the_service_admins(
    client, constabulary, shared_suffix, organisation_admin, service_admin
):
    confirm(client, sign_up(client, SUFFIX_ONLY, constabulary))
    assert Notification.objects.filter(recipient=organisation_admin).count() == 1
    assert not Notification.objects.filter(recipient=service_admin).exists()


def test_an_own_domain_address_cannot_ask_to_join_another_organisation_later(client, constabulary, other_organisation):
    confirm(client, sign_up(client, OWN_DOMAIN))
    user = User.objects.get(email=OWN_DOMAIN)
    # Even were they unverified (say, an admin reset them), the membership page keeps them to their own domain's.
    User.objects.filter(pk=user.pk).update(organisation_verified=False)
    response = client.post(reverse("organisation:membership"), {"organisation": other_organisation.pk})
    assert response.status_code == 400
    assert "Your email address belongs to Testshire Constabulary" in response.text
    assert not MembershipRequest.objects.exists()


@pytest.mark.parametrize(
    ("domain", "refused"),
    [("shared.example", True), (".shared.example", True), ("example", True), ("council.shared.example", False)],
)
def test_an_organisations_own_domain_cannot_be_a_shared_suffix_or_broader(shared_suffix, domain, refused):
    from django.core.exceptions import ValidationError

    organisation = FirstResponderOrganisationFactory.build(name="A Council", email_domains=[domain])
    errors = []
    try:
        organisation.full_clean()
    except ValidationError as error:
        errors = error.message_dict.get("email_domains", [])
    assert any("shared by many organisations" in message for message in errors) is refused
