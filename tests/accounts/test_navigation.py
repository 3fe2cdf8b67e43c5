"""The header's navigation: the role's links, reversed once per process, with the page's section marked current."""

from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory


def header_of(client, user, path: str) -> list[tuple[str, str, bool]]:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return [(item["label"], item["href"], item["active"]) for item in response.context["navigation"]]


def test_a_verified_first_responder_sees_referrals_notifications_and_their_account(client, db):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    header = header_of(client, responder, reverse("referrals:list"))
    assert header == [
        ("Referrals", reverse("referrals:list"), True),
        ("Notifications", reverse("notifications:list"), False),
        ("Your account", reverse("account"), False),
    ]


def test_an_unverified_member_also_finds_their_membership_second_and_a_verified_one_does_not(client, db):
    unverified = UserFactory(role=Role.FIRST_RESPONDER, organisation_verified=False)
    verified = UserFactory(role=Role.FIRST_RESPONDER, organisation=unverified.organisation)
    # The same role asked both ways in one process: the links kept for one never answer for the other.
    labels = [label for label, _, _ in header_of(client, unverified, reverse("account"))]
    assert labels == ["Referrals", "Your membership", "Notifications", "Your account"]
    labels = [label for label, _, _ in header_of(client, verified, reverse("account"))]
    assert labels == ["Referrals", "Notifications", "Your account"]


def test_your_account_is_current_only_on_the_account_page(client, db):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    on_account = header_of(client, responder, reverse("account"))
    assert [label for label, _, active in on_account if active] == ["Your account"]
    on_notifications = header_of(client, responder, reverse("notifications:list"))
    assert [label for label, _, active in on_notifications if active] == ["Notifications"]
