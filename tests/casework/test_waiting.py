"""What is waiting for each casework user at the top of their landing page (casework.waiting): counted from the
scoped selectors and the queue's own tabs, nobody else's work, overdue work marked, in one query each."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case, InformationRequest, Policy
from casework.services import reconsideration_request
from casework.waiting import (
    questions_to_answer_by_referral,
    waiting_for_caseworker,
    waiting_for_manager,
    waiting_for_referrer,
    waiting_for_support_provider,
)
from referrals.case_view import QuestionsToAnswer
from tests.casework.factories import case_in_state, make_decision, staff_of, worked_case
from tests.casework.test_responder import ask, colleague_of, responder_of, supported_case_in_state
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def by_key(items) -> dict:
    return {item.key: (item.count, item.overdue) for item in items}


def make_overdue(information_request: InformationRequest) -> None:
    InformationRequest.objects.filter(pk=information_request.pk).update(due_date=timezone.localdate() - timedelta(1))


def from_the_pages_own_counts(user, counted, waiting_for, django_assert_num_queries) -> list:
    """What is waiting, told from the counts a page makes with its tabs (one query), with no query of its own; the
    same as told without them."""
    from casework.queue import tab_counts

    now = timezone.now()
    with django_assert_num_queries(1):  # the tabs and what is waiting, together
        counts = tab_counts(user=user, now=now, also=counted(user=user, now=now))
    with django_assert_num_queries(0):
        waiting = waiting_for(user=user, now=now, tab_counts=counts)
    assert waiting == waiting_for(user=user, now=now)
    return waiting


# --- the referring organisation --------------------------------------------------------------------------------
def test_a_first_responder_is_told_of_their_organisations_questions_to_answer_with_the_overdue_ones(
    django_assert_max_num_queries,
):
    first, second = case_in_state(Case.Status.AWAITING_RG), case_in_state(Case.Status.AWAITING_RG)
    responder = responder_of(first)
    colleague_case = case_in_state(Case.Status.AWAITING_RG, organisation=responder.organisation)
    make_overdue(ask(first))
    ask(colleague_case)
    ask(second)  # another organisation's question
    with django_assert_max_num_queries(1):
        waiting = waiting_for_referrer(user=responder)
    assert by_key(waiting) == {"information-requests": (2, 1)}
    assert waiting[0].text == "2 information requests to answer"
    assert waiting[0].href == reverse("referrals:list") + "?status=information_requested#sent"


def test_answered_and_withdrawn_questions_are_not_waiting(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    answered, withdrawn = ask(case), ask(case)
    InformationRequest.objects.filter(pk=answered.pk).update(state=InformationRequest.State.ANSWERED)
    InformationRequest.objects.filter(pk=withdrawn.pk).update(state=InformationRequest.State.WITHDRAWN)
    assert waiting_for_referrer(user=responder_of(case)) == []


def test_an_unverified_first_responder_is_told_only_of_the_questions_on_their_own_referrals():
    case = case_in_state(Case.Status.AWAITING_RG)
    ask(case)
    newcomer = UserFactory(
        role=Role.FIRST_RESPONDER, organisation=responder_of(case).organisation, organisation_verified=False
    )
    assert waiting_for_referrer(user=newcomer) == []
    assert by_key(waiting_for_referrer(user=colleague_of(responder_of(case)))) == {"information-requests": (1, 0)}


def test_the_lists_rows_know_their_open_questions_in_one_query(django_assert_max_num_queries):
    with_questions, without = case_in_state(Case.Status.AWAITING_RG), case_in_state(Case.Status.AWAITING_RG)
    make_overdue(ask(with_questions))
    ask(with_questions)
    ids = [with_questions.referral_id, without.referral_id]
    responder = responder_of(with_questions)
    with django_assert_max_num_queries(1):
        questions = questions_to_answer_by_referral(user=responder, referral_ids=ids)
    assert questions == {with_questions.referral_id: QuestionsToAnswer(open=2, overdue=1)}
    assert questions_to_answer_by_referral(user=responder_of(without), referral_ids=ids) == {}


# --- the authority ---------------------------------------------------------------------------------------------
def test_a_caseworker_is_told_of_their_cases_the_overdue_and_due_soon_ones_and_the_unassigned(
    caseworker, manager, django_assert_max_num_queries
):
    mine = worked_case(caseworker=caseworker, manager=manager)
    overdue = worked_case(caseworker=caseworker, manager=manager)
    Case.objects.filter(pk=overdue.pk).update(next_deadline_at=timezone.now() - timedelta(hours=1))
    Case.objects.filter(pk=mine.pk).update(next_deadline_at=timezone.now() + timedelta(days=2))
    case_in_state(Case.Status.AWAITING_RG, authority=caseworker.organisation)  # unassigned
    case_in_state(Case.Status.AWAITING_RG, authority=caseworker.organisation, caseworker=caseworker, manager=manager)
    worked_case(caseworker=staff_of(caseworker.organisation), manager=manager)  # a colleague's
    with django_assert_max_num_queries(1):
        waiting = waiting_for_caseworker(user=caseworker)
    assert by_key(waiting) == {"assigned": (2, 1), "due-soon": (1, 0), "unassigned": (2, 0)}
    assert waiting[0].href == reverse("casework:queue") + "?tab=mine"


def test_the_queue_page_tells_a_caseworker_the_same_from_the_tab_counts_it_has_made(
    caseworker, manager, django_assert_max_num_queries
):
    from casework.queue import tab_counts

    overdue = worked_case(caseworker=caseworker, manager=manager)
    Case.objects.filter(pk=overdue.pk).update(next_deadline_at=timezone.now() - timedelta(hours=1))
    worked_case(caseworker=caseworker, manager=manager)
    case_in_state(Case.Status.AWAITING_RG, authority=caseworker.organisation)  # unassigned
    now = timezone.now()
    counts = tab_counts(user=caseworker, now=now)
    with django_assert_max_num_queries(1):
        waiting = waiting_for_caseworker(user=caseworker, now=now, tab_counts=counts)
    assert waiting == waiting_for_caseworker(user=caseworker, now=now)
    assert by_key(waiting)["assigned"] == (2, 1)
    assert by_key(waiting)["unassigned"] == (1, 0)


def test_with_the_queue_pages_own_counts_a_caseworker_is_told_without_another_query(
    caseworker, manager, django_assert_num_queries
):
    from casework.waiting import caseworker_counted

    overdue = worked_case(caseworker=caseworker, manager=manager)
    Case.objects.filter(pk=overdue.pk).update(next_deadline_at=timezone.now() - timedelta(hours=1))
    case_in_state(Case.Status.AWAITING_RG, authority=caseworker.organisation)  # unassigned
    waiting = from_the_pages_own_counts(
        caseworker, caseworker_counted, waiting_for_caseworker, django_assert_num_queries
    )
    assert by_key(waiting) == {"assigned": (1, 1), "unassigned": (1, 0)}


@pytest.mark.parametrize("role", ["caseworker", "manager"])
def test_the_names_said_to_be_counted_are_those_counted(role, request):
    """A page's counts are taken as complete when they hold these names, so a name missing here would be counted
    again, and one that is never counted would fail the page."""
    from casework import waiting

    user = request.getfixturevalue(role)
    counted = getattr(waiting, f"{role}_counted")(user=user, now=timezone.now())
    assert tuple(counted) == getattr(waiting, f"{role.upper()}_COUNTED")


def test_a_caseworker_with_nothing_to_do_is_told_nothing(caseworker):
    assert waiting_for_caseworker(user=caseworker) == []


def test_a_manager_is_told_of_reviews_reconsiderations_and_overdue_work(
    caseworker, manager, django_assert_max_num_queries
):
    Policy.objects.filter(nation=Nation.ENGLAND).update(review_negative_rg=True)
    proposed = worked_case(caseworker=caseworker, manager=manager)
    make_decision(proposed, caseworker, outcome="negative")  # waits for a second reviewer: this manager
    own = worked_case(caseworker=manager, manager=manager)
    make_decision(own, manager, outcome="negative")  # the manager's own: another manager reviews it
    Policy.objects.filter(nation=Nation.ENGLAND).update(review_negative_rg=False)
    refused = case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)
    reconsideration_request(
        case_id=refused.pk, actor=responder_of(refused), grounds=["new_evidence"], details="A new statement."
    )
    late = worked_case(caseworker=caseworker, manager=manager)
    Case.objects.filter(pk=late.pk).update(rg_due_at=timezone.now() - timedelta(hours=2))
    Case.objects.filter(pk=late.pk).update(next_deadline_at=timezone.now() - timedelta(hours=2))
    asked = worked_case(caseworker=caseworker, manager=manager)
    make_overdue(ask(asked, actor=caseworker))
    Case.objects.filter(pk=asked.pk).update(
        information_due_at=timezone.now() - timedelta(hours=1), next_deadline_at=timezone.now() - timedelta(hours=1)
    )
    case_in_state(Case.Status.AWAITING_RG, authority=caseworker.organisation)  # unassigned
    case_in_state(Case.Status.AWAITING_RG, authority=staff_of(caseworker.organisation).organisation)
    with django_assert_max_num_queries(1):
        waiting = waiting_for_manager(user=manager)
    assert by_key(waiting) == {
        "reviews": (1, 0),
        "reconsiderations": (1, 0),
        "overdue": (2, 0),  # overdue in its words: no tag besides
        "rg-overdue": (1, 0),
        "information-overdue": (1, 0),
        "unassigned": (2, 0),
    }
    texts = [item.text for item in waiting]
    assert texts[:2] == ["1 decision waiting for your review", "1 request for reconsideration to decide"]
    assert waiting[1].href == reverse("casework:queue") + "?tab=reconsiderations"
    assert waiting[3].href == reverse("casework:queue") + "?tab=awaiting_rg&overdue=on"


def test_the_team_page_tells_a_manager_the_same_from_the_tab_counts_it_has_made(
    caseworker, manager, django_assert_num_queries
):
    from casework.waiting import manager_counted

    make_decision(worked_case(caseworker=caseworker, manager=manager), caseworker, outcome="negative")
    late = worked_case(caseworker=caseworker, manager=manager)
    Case.objects.filter(pk=late.pk).update(
        rg_due_at=timezone.now() - timedelta(hours=2), next_deadline_at=timezone.now() - timedelta(hours=2)
    )
    case_in_state(Case.Status.AWAITING_RG, authority=caseworker.organisation)  # unassigned
    waiting = from_the_pages_own_counts(manager, manager_counted, waiting_for_manager, django_assert_num_queries)
    assert by_key(waiting) == {"reviews": (1, 0), "overdue": (1, 0), "rg-overdue": (1, 0), "unassigned": (1, 0)}


def test_a_manager_sees_nothing_of_another_authoritys_work(manager, ieca):
    other_manager = UserFactory(role=Role.MANAGER, organisation=ieca)
    case_in_state(Case.Status.AWAITING_RG, authority=ieca)
    assert by_key(waiting_for_manager(user=other_manager)) == {"unassigned": (1, 0)}
    assert waiting_for_manager(user=manager) == []


# --- the support provider --------------------------------------------------------------------------------------
def test_a_support_provider_is_told_of_the_people_whose_support_ends_soon(django_assert_max_num_queries):
    ending = supported_case_in_state(Case.Status.CONFIRMED_VICTIM, opened_days_ago=60)
    provider = ending.support_provider
    later = supported_case_in_state(Case.Status.CONFIRMED_VICTIM, opened_days_ago=60, provider=provider)
    Case.objects.filter(pk=ending.pk).update(support_ends_at=timezone.now() + timedelta(days=5))
    Case.objects.filter(pk=later.pk).update(support_ends_at=timezone.now() + timedelta(days=40))
    staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    with django_assert_max_num_queries(1):
        waiting = waiting_for_support_provider(user=staff)
    assert by_key(waiting) == {"support-ending": (1, 0)}
    assert waiting[0].text == "1 person whose support ends within 14 days"
    other = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=UserFactory().organisation)
    assert waiting_for_support_provider(user=other) == []


# --- the landing pages -----------------------------------------------------------------------------------------
def test_the_referral_list_counts_flags_and_filters_the_referrals_with_questions_to_answer(client):
    asked = case_in_state(Case.Status.AWAITING_RG)
    responder = responder_of(asked)
    quiet = case_in_state(Case.Status.AWAITING_RG, organisation=responder.organisation, submitted_by=responder)
    make_overdue(ask(asked))
    client.force_login(responder)
    response = client.get(reverse("referrals:list"))
    page = response.text
    assert "1 information request to answer" in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert page.index('data-testid="waiting"') < page.index('id="drafts"')
    flags = {row["referral"].reference: row["questions"] for row in response.context["sent"]}
    assert flags == {asked.reference: QuestionsToAnswer(open=1, overdue=1), quiet.reference: None}
    assert page.count('data-testid="question-tag"') == 1
    assert "Information overdue" in page
    filtered = client.get(reverse("referrals:list"), {"status": "information_requested"})
    assert [row["referral"].reference for row in filtered.context["sent"]] == [asked.reference]


def test_the_queue_and_the_team_page_start_with_what_is_waiting(client, settings, caseworker, manager):
    settings.NRM_REQUIRE_STAFF_MFA = False
    worked_case(caseworker=caseworker, manager=manager)
    case_in_state(Case.Status.AWAITING_RG, authority=caseworker.organisation)
    client.force_login(caseworker)
    page = client.get(reverse("casework:queue")).text
    assert "1 case assigned to you" in page
    assert page.index('data-testid="waiting"') < page.index('data-testid="tabs"')
    client.force_login(manager)
    page = client.get(reverse("casework:team")).text
    assert 'data-testid="waiting-unassigned"' in page
    assert "1 unassigned case" in page


def test_the_supported_page_starts_with_the_people_whose_support_ends_soon(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    case = supported_case_in_state(Case.Status.CONFIRMED_VICTIM, opened_days_ago=60)
    Case.objects.filter(pk=case.pk).update(support_ends_at=timezone.now() + timedelta(days=3))
    client.force_login(UserFactory(role=Role.SUPPORT_PROVIDER, organisation=case.support_provider))
    page = client.get(reverse("casework:supported")).text
    assert "1 person whose support ends within 14 days" in page
