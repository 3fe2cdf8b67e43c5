"""The membership services: asking, approving, declining, expiring (a job safe to run twice), removing a member
(every session ends) and changing roles; who may do each; the history each leaves."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.membership import (
    MembershipError,
    member_change_role,
    member_remove,
    membership_request_approve,
    membership_request_create,
    membership_request_decline,
    membership_requests_expire,
)
from accounts.models import MembershipRequest, User
from accounts.roles import Role
from accounts.tasks import membership_requests_expire_task
from notifications.models import Notification
from nrm.celery import PERIODIC_JOBS
from tests.factories import FirstResponderOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(constabulary):
    return UserFactory(email="pat@borough.shared.example", organisation=None, organisation_verified=False)


@pytest.fixture
def pending(asker, constabulary, organisation_admin):
    return membership_request_create(user=asker, organisation=constabulary)


def last_history(instance):
    return instance.history.order_by("-history_date", "-history_id").first()


# Asking ----------------------------------------------------------------------------------------------------------


def test_asking_attributes_the_persons_own_work_to_the_organisation_and_expires_after_the_setting(
    asker, constabulary, organisation_admin, settings
):
    settings.NRM_MEMBERSHIP_REQUEST_DAYS = 10
    request = membership_request_create(user=asker, organisation=constabulary)
    asker.refresh_from_db()
    assert (asker.organisation, asker.organisation_verified) == (constabulary, False)
    assert request.expires_at - request.requested_at == timedelta(days=10)
    assert last_history(request).history_user == asker


def test_one_request_at_a_time(pending, asker, constabulary):
    with pytest.raises(MembershipError, match="already asked"):
        membership_request_create(user=asker, organisation=constabulary)


def test_a_verified_member_has_nothing_to_ask(colleague, constabulary):
    with pytest.raises(MembershipError, match="already a member"):
        membership_request_create(user=colleague, organisation=constabulary)


# Approving and declining -----------------------------------------------------------------------------------------


def test_the_organisations_administrator_approves_and_the_history_says_who(pending, asker, organisation_admin):
    membership_request_approve(request_id=pending.pk, actor=organisation_admin)
    asker.refresh_from_db()
    pending.refresh_from_db()
    assert asker.organisation_verified
    assert (pending.state, pending.decided_by) == (MembershipRequest.State.APPROVED, organisation_admin)
    member_row = last_history(asker)
    assert (member_row.history_user, member_row.history_change_reason) == (
        organisation_admin,
        "Request to join approved",
    )
    assert last_history(pending).history_user == organisation_admin
    told = Notification.objects.get(recipient=asker, kind=Notification.Kind.MEMBERSHIP_APPROVED)
    assert "approved" in told.description


def test_a_service_admin_approves_too(pending, service_admin):
    membership_request_approve(request_id=pending.pk, actor=service_admin)
    assert User.objects.get(pk=pending.user_id).organisation_verified


@pytest.mark.parametrize("who", ["member", "other organisations admin", "unverified admin", "caseworker"])
def test_no_one_else_approves(pending, constabulary, who):
    actor = {
        "member": lambda: UserFactory(organisation=constabulary),
        "other organisations admin": lambda: UserFactory(role=Role.ORGANISATION_ADMIN),
        "unverified admin": lambda: UserFactory(
            role=Role.ORGANISATION_ADMIN, organisation=constabulary, organisation_verified=False
        ),
        "caseworker": lambda: UserFactory(role=Role.CASEWORKER),
    }[who]()
    with pytest.raises(MembershipError):
        membership_request_approve(request_id=pending.pk, actor=actor)
    assert not User.objects.get(pk=pending.user_id).organisation_verified


def test_a_declined_person_stays_unverified_and_may_ask_again(pending, asker, organisation_admin, constabulary):
    membership_request_decline(request_id=pending.pk, actor=organisation_admin)
    asker.refresh_from_db()
    assert not asker.organisation_verified
    assert Notification.objects.filter(recipient=asker, kind=Notification.Kind.MEMBERSHIP_DECLINED).exists()
    with pytest.raises(MembershipError, match="already been declined"):
        membership_request_approve(request_id=pending.pk, actor=organisation_admin)
    again = membership_request_create(user=asker, organisation=constabulary)
    assert again.is_pending


# Expiry ------------------------------------------------------------------------------------------------------------


def test_the_expiry_job_expires_only_requests_past_their_date_and_is_safe_to_run_twice(
    pending, constabulary, organisation_admin
):
    recent_asker = UserFactory(organisation=None, organisation_verified=False)
    recent = membership_request_create(user=recent_asker, organisation=constabulary)
    MembershipRequest.objects.filter(pk=pending.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert membership_requests_expire_task() == 1
    assert membership_requests_expire() == 0  # the second run finds nothing to do

    pending.refresh_from_db()
    recent.refresh_from_db()
    assert (pending.state, recent.state) == (MembershipRequest.State.EXPIRED, MembershipRequest.State.PENDING)
    assert Notification.objects.filter(recipient=pending.user, kind=Notification.Kind.MEMBERSHIP_EXPIRED).count() == 1
    assert last_history(pending).history_change_reason.startswith("Expired")
    assert not User.objects.get(pk=pending.user_id).organisation_verified
    assert membership_request_create(user=pending.user, organisation=constabulary).is_pending  # may ask again


def test_the_expiry_job_is_declared_with_the_other_periodic_jobs():
    assert PERIODIC_JOBS["accounts-expire-membership-requests"]["task"] == (
        "accounts.tasks.membership_requests_expire_task"
    )


# Removing ----------------------------------------------------------------------------------------------------------


def test_removing_a_member_closes_the_account_and_ends_every_session(colleague, organisation_admin):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.force_login(colleague)
        assert device.get(reverse("referrals:list")).status_code == 200
    assert UserSession.objects.filter(user=colleague).count() == 2

    member_remove(member_id=colleague.pk, actor=organisation_admin)

    colleague.refresh_from_db()
    assert (colleague.is_active, colleague.organisation_verified) == (False, False)
    assert not UserSession.objects.filter(user=colleague).exists()
    for device in (laptop, phone):
        assert SESSION_KEY not in device.session
        assert device.get(reverse("referrals:list")).status_code == 302
    row = last_history(colleague)
    assert (row.history_user, row.history_change_reason) == (organisation_admin, "Removed from the organisation")


def test_removing_a_member_also_ends_a_session_that_was_never_used_after_signing_in(colleague, organisation_admin):
    unused = Client()
    unused.force_login(colleague)  # no request yet, so allauth's user sessions has no record of it
    assert not UserSession.objects.filter(user=colleague).exists()

    member_remove(member_id=colleague.pk, actor=organisation_admin)

    assert SESSION_KEY not in unused.session


def test_an_administrator_cannot_remove_themselves_or_members_of_another_organisation(organisation_admin):
    with pytest.raises(MembershipError, match="yourself"):
        member_remove(member_id=organisation_admin.pk, actor=organisation_admin)
    outsider = UserFactory(organisation=FirstResponderOrganisationFactory())
    with pytest.raises(MembershipError):
        member_remove(member_id=outsider.pk, actor=organisation_admin)
    assert User.objects.get(pk=outsider.pk).is_active


# Roles -------------------------------------------------------------------------------------------------------------


def test_an_administrator_makes_a_member_an_administrator_and_back(colleague, organisation_admin):
    member_change_role(member_id=colleague.pk, actor=organisation_admin, role=Role.ORGANISATION_ADMIN)
    colleague.refresh_from_db()
    assert colleague.role == Role.ORGANISATION_ADMIN
    assert list(colleague.groups.values_list("name", flat=True)) == ["Organisation administrator"]
    assert last_history(colleague).history_change_reason == "Role changed to organisation administrator"
    member_change_role(member_id=colleague.pk, actor=organisation_admin, role=Role.FIRST_RESPONDER)
    assert User.objects.get(pk=colleague.pk).role == Role.FIRST_RESPONDER


def test_an_organisation_keeps_at_least_one_administrator(colleague, organisation_admin):
    with pytest.raises(MembershipError, match="at least one administrator"):
        member_change_role(member_id=organisation_admin.pk, actor=organisation_admin, role=Role.FIRST_RESPONDER)
    member_change_role(member_id=colleague.pk, actor=organisation_admin, role=Role.ORGANISATION_ADMIN)
    member_change_role(member_id=organisation_admin.pk, actor=organisation_admin, role=Role.FIRST_RESPONDER)
    assert User.objects.get(pk=organisation_admin.pk).role == Role.FIRST_RESPONDER


def test_a_role_changed_by_someone_else_meanwhile_is_not_overwritten(colleague, organisation_admin):
    with pytest.raises(MembershipError, match="Someone else changed"):
        member_change_role(
            member_id=colleague.pk,
            actor=organisation_admin,
            role=Role.ORGANISATION_ADMIN,
            expected_role=Role.ORGANISATION_ADMIN,
        )
    assert User.objects.get(pk=colleague.pk).role == Role.FIRST_RESPONDER


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ADMIN, "superuser"])
def test_only_member_and_administrator_roles_can_be_given(colleague, organisation_admin, role):
    with pytest.raises(MembershipError):
        member_change_role(member_id=colleague.pk, actor=organisation_admin, role=role)


def test_an_organisation_administrator_counts_as_a_first_responder(organisation_admin):
    assert organisation_admin.is_first_responder
    assert not organisation_admin.is_staff_role
    assert organisation_admin.is_organisation_admin
