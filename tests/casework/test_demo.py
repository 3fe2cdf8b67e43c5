"""The demo cases of `seed_demo`: every state, assigned and unassigned, some overdue, seeded once."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Nation, User
from casework import demo
from casework.models import (
    IECA_NAME,
    Case,
    CaseEvent,
    Decision,
    InformationRequest,
    Letter,
    Policy,
    Reconsideration,
    ReviewRoute,
)
from casework.selectors import decision_open_to_reconsideration
from notifications.models import Notification
from referrals.models import Referral

pytestmark = pytest.mark.django_db


def _policies() -> list[dict]:
    return list(Policy.objects.order_by("nation").values())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeds once for the whole module (a few seconds), inside a transaction rolled back at the end; each test
    runs in its own savepoint within it. Returns what the tests compare with."""
    with django_db_blocker.unblock(), transaction.atomic():
        policies_before = _policies()
        call_command("seed_demo", force=True, stdout=None)
        first = _counts()
        second_run = demo.seed()
        yield {"policies_before": policies_before, "first": first, "second_run": second_run}
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Referral, Case, CaseEvent, Decision, Letter, InformationRequest, Reconsideration, Notification)
    }


def demo_cases():
    return Case.objects.filter(referral__responder_reference__startswith="DEMO-CASE-")


def test_seeding_twice_adds_nothing_the_second_time(seeded):
    assert seeded["second_run"] == 0
    assert _counts() == seeded["first"]
    assert demo_cases().count() == len(demo.DEMO_CASES)


def test_every_state_is_present(seeded):
    assert set(demo_cases().values_list("status", flat=True)) == set(Case.Status.values)
    merged = demo_cases().get(status=Case.Status.MERGED)
    assert merged.merged_into.status == Case.Status.AWAITING_RG
    assert merged.possible_duplicates.filter(pk=merged.merged_into_id).exists()  # found as the same person


def test_cases_are_assigned_to_each_caseworker_and_some_to_nobody(seeded):
    open_cases = demo_cases().filter(status__in=Case.OPEN_STATUSES)
    for email in (demo.SAM, demo.JO, demo.IECA_CASEWORKER):
        assert open_cases.filter(assignee__email=email).exists(), email
    assert open_cases.filter(assignee__isnull=True, authority__short_name="SCA").count() >= 3
    assert demo_cases().filter(is_child=True).count() >= 5


def test_some_are_overdue_by_their_rg_date_or_an_information_request(seeded):
    now = timezone.now()
    overdue = demo_cases().filter(status__in=Case.OPEN_STATUSES, next_deadline_at__lt=now)
    assert overdue.filter(next_deadline_kind=Case.DeadlineKind.RG_DUE, assignee__isnull=True).exists()
    assert overdue.filter(next_deadline_kind=Case.DeadlineKind.RG_DUE, is_child=True).exists()
    assert overdue.filter(next_deadline_kind=Case.DeadlineKind.INFORMATION_DUE).exists()
    assert demo_cases().filter(status=Case.Status.AWAITING_RG, next_deadline_at__gt=now).exists()


def test_work_waits_for_the_responder_the_manager_and_the_support_provider(seeded):
    police_requests = InformationRequest.objects.filter(
        state=InformationRequest.State.OPEN, case__referral__submitted_by__email=demo.POLICE
    )
    assert police_requests.filter(due_date__gte=timezone.localdate()).exists()
    assert InformationRequest.objects.filter(state=InformationRequest.State.ANSWERED).exists()

    under_second_review = Decision.objects.get(
        case__in=demo_cases(), state=Decision.State.UNDER_REVIEW, review_route=ReviewRoute.SECOND_REVIEWER
    )
    assert under_second_review.decided_by.email != demo.MANAGER  # the manager can review it
    assert demo_cases().filter(status=Case.Status.CG_NEGATIVE_REVIEW).exists()

    open_to_reconsideration = [
        case
        for case in demo_cases().filter(status=Case.Status.RG_NEGATIVE_SERVED)
        if not case.reconsiderations.exists()
    ]
    assert decision_open_to_reconsideration(open_to_reconsideration[0]) is not None
    assert Reconsideration.objects.filter(case__in=demo_cases(), state=Reconsideration.State.PENDING).exists()

    supported = demo_cases().filter(support_provider__name=demo.SUPPORT_PROVIDER_NAME)
    assert supported.filter(status=Case.Status.CONFIRMED_VICTIM).exists()
    assert supported.filter(status=Case.Status.RECOVERY).exists()
    assert demo_cases().filter(authority__name=IECA_NAME).count() >= 2


def test_served_decisions_have_letters_and_no_email_is_sent(seeded):
    served = Decision.objects.filter(case__in=demo_cases(), state=Decision.State.SERVED)
    assert served.count() >= 10
    assert Letter.objects.filter(decision__in=served).count() == served.count()
    assert not Notification.objects.filter(email_state=Notification.EmailState.PENDING).exists()


def test_every_negative_decision_has_its_main_reason_and_they_are_not_all_the_same(seeded):
    decisions = Decision.objects.filter(case__in=demo_cases())
    negative = decisions.filter(outcome=Decision.Outcome.NEGATIVE)
    assert negative.count() >= 5
    assert not negative.filter(negative_reason="").exists()
    assert negative.values("negative_reason").distinct().count() > 1
    positive = decisions.filter(outcome=Decision.Outcome.POSITIVE)
    assert positive.exists()
    assert not positive.exclude(negative_reason="").exists()


def test_policies_are_as_before_but_england_names_the_demo_support_provider(seeded):
    after = _policies()
    england = next(policy for policy in after if policy["nation"] == Nation.ENGLAND)
    assert User.objects.filter(organisation_id=england["support_provider_id"], email="support@provider.example")
    england["support_provider_id"] = None
    assert after == seeded["policies_before"]
