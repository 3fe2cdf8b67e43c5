"""Nobody is notified about something they cannot open: each kind declares the roles that receive it and what
its link opens (Notification.AUDIENCES). A recipient of each declared role, with a real object in their scope,
opens the link from their list; a role a kind does not declare is never sent one."""

import logging
import re

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.roles import Role
from casework.models import Case
from casework.services import case_transfer
from notifications.models import Link, Notification
from notifications.selectors import notification_link
from notifications.services import notify
from tests.factories import AuthorityFactory, UserFactory
from tests.panels.factories import (
    ChairFactory,
    MeetingFactory,
    MembershipFactory,
    PanelFactory,
    SafeguardingLeadFactory,
    reviewed_panel_case,
)
from tests.security.world import build_side, sign_in

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
LINK = re.compile(r'<a class="govuk-link" href="([^"]+)">([^<]+)</a>')


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One side of the service (a user of every role, cases in several states) plus a panel whose chair and
    member are that side's, reviewing one of its cases: built once, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        side = build_side("Alpha")
        panel = PanelFactory()
        ChairFactory(panel=panel, user=side.users[Role.PANEL_CHAIR])
        MembershipFactory(panel=panel, user=side.users[Role.PANEL_MEMBER])
        for _ in range(2):  # quorate: the chair and two members
            MembershipFactory(panel=panel)
        panel_case = reviewed_panel_case(
            panel=panel,
            authority=side.authority,
            caseworker=side.users[Role.CASEWORKER],
            manager=side.users[Role.MANAGER],
            draft__organisation=side.responder_org,
            draft__created_by=side.users[Role.FIRST_RESPONDER],
        )
        for role in (Role.FIRST_RESPONDER, Role.ORGANISATION_ADMIN):
            lead = SafeguardingLeadFactory(organisation=side.responder_org, user=side.users[role])
            MeetingFactory(panel=panel).invited_leads.add(lead)
        awaiting = Case.objects.get(pk=side.cases[0].pk, assignee=side.users[Role.CASEWORKER])
        supported = Case.objects.get(pk=side.cases[-1].pk, support_provider=side.provider)
        yield {"side": side, "awaiting": awaiting, "supported": supported, "panel_case": panel_case.case}
        transaction.set_rollback(True)


def case_in_scope_of(world, role: Role) -> Case:
    """A case the user of `role` works on, so that the notification is realistic."""
    if role in (Role.PANEL_CHAIR, Role.PANEL_MEMBER):
        return world["panel_case"]
    if role == Role.SUPPORT_PROVIDER:
        return world["supported"]
    return world["awaiting"]


def test_every_kind_declares_the_roles_that_receive_it_and_what_its_link_opens():
    assert set(Notification.AUDIENCES) == set(Kind)
    for kind, audience in Notification.AUDIENCES.items():
        assert audience.roles, kind
        assert audience.roles <= set(Role), kind
        assert isinstance(audience.link, Link), kind


@pytest.mark.parametrize("kind", list(Kind))
def test_a_recipient_of_each_declared_role_opens_the_link_of_their_notification(client, world, kind):
    audience = Notification.AUDIENCES[kind]
    for role in sorted(audience.roles):
        user = world["side"].users[role]
        case = case_in_scope_of(world, role)
        notification = notify(recipient=user, kind=kind, subject=case, reference=case.reference)
        assert notification is not None, role
        sign_in(client, user)
        listing = client.get(reverse("notifications:list"))
        assert listing.status_code == 200
        links = {description: href for href, description in LINK.findall(listing.content.decode())}
        if audience.link == Link.NONE:
            assert notification.description not in links, role
            assert notification_link(notification=notification, user=user) is None
            continue
        href = links[notification.description.replace("'", "&#x27;")]
        opened = client.get(href, follow=True)
        assert opened.status_code == 200, (role, href)
        if audience.link == Link.REFERENCE:
            assert case.reference in opened.content.decode(), (role, href)


@pytest.mark.parametrize("kind", list(Kind))
def test_a_role_the_kind_does_not_declare_is_never_sent_one(world, kind, caplog):
    audience = Notification.AUDIENCES[kind]
    case = world["awaiting"]
    for role in sorted(set(Role) - audience.roles):
        user = world["side"].users[role]
        with caplog.at_level(logging.WARNING, logger="notifications.services"):
            assert notify(recipient=user, kind=kind, subject=case, reference=case.reference) is None
        assert not Notification.objects.filter(recipient=user, kind=kind).exists(), role
        assert user.email not in caplog.text  # the log names no one
        assert case.reference not in caplog.text


def test_a_superuser_hears_of_staff_access_changes_whatever_their_role(world):
    analyst = world["side"].users[Role.ANALYST]
    assert notify(recipient=analyst, kind=Kind.STAFF_ACCESS_CHANGED, subject=analyst) is None
    analyst.is_superuser = True
    assert notify(recipient=analyst, kind=Kind.STAFF_ACCESS_CHANGED, subject=analyst) is not None


def test_a_transferred_case_leaves_its_old_authority_no_notification_that_opens_nothing(client, world):
    side = world["side"]
    case, caseworker, manager = world["awaiting"], side.users[Role.CASEWORKER], side.users[Role.MANAGER]
    notify(recipient=caseworker, kind=Kind.CASE_ASSIGNED, subject=case, reference=case.reference)
    responder = side.users[Role.FIRST_RESPONDER]
    told_referrer = notify(recipient=responder, kind=Kind.INFORMATION_DUE_SOON, subject=case, reference=case.reference)
    other_authority = AuthorityFactory(name="Beta Competent Authority", short_name="BETA")
    other_manager = UserFactory(role=Role.MANAGER, organisation=other_authority)
    case_transfer(case_id=case.pk, actor=manager, to_authority=other_authority, reason="Detained.")
    assert not Notification.objects.filter(recipient__organisation=side.authority, object_id=case.pk).exists()
    assert Notification.objects.filter(pk=told_referrer.pk).exists()  # the referrer still opens it
    told = Notification.objects.get(recipient=other_manager, kind=Kind.CASE_TRANSFERRED)
    sign_in(client, other_manager)
    assert client.get(notification_link(notification=told, user=other_manager), follow=True).status_code == 200
