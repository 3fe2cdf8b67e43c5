"""The support provider's pages: its supported people (support dates, days left, status, served outcomes and no
more of the referral than support needs), one person's page, and its requests for reconsideration."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import AccessLogEntry, Case, Reconsideration
from casework.services import single_competent_authority
from notifications.models import Notification
from referrals.demo_answers import complete_answers
from referrals.models import Route
from tests.casework.factories import AwaitingRgCaseFactory, case_in_state
from tests.casework.test_responder import (
    count_queries,
    private_media,  # noqa: F401 - the autouse fixture of these tests too
    supported_case_in_state,
    upload,
)
from tests.casework.test_responder_downloads import serve_negative_cg
from tests.factories import SupportProviderFactory, UserFactory
from tests.uploads.helpers import mark_scanned_clean

pytestmark = pytest.mark.django_db

LIST_URL = reverse("casework:supported")
ACCOUNT = "They were recruited at a bus station with a promise of farm work."


@pytest.fixture
def provider():
    return SupportProviderFactory(nation=Nation.ENGLAND)


@pytest.fixture
def provider_staff(provider):
    return UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)


def answers_with_support(**extra) -> dict:
    answers = complete_answers(Route.ADULT, organisation_name="Test organisation", seed=3)
    answers.update(
        {
            "wants_support": "yes",
            "how_it_started": ACCOUNT,
            "support_contact_method": "own_phone",
            "support_phone": "07700 900123",
            "first_name": "Amina",
            "last_name": "Tesfaye",
            "interpreter_needed": "yes",
            "interpreter_language": "Tigrinya",
            **extra,
        }
    )
    return answers


def supported_person(provider, *, support_ends_in_days: int | None = None, **fields) -> Case:
    """A case referred to `provider`, written straight to the row (quick, for lists), in RECOVERY."""
    case = AwaitingRgCaseFactory()
    now = timezone.now()
    fields.setdefault("status", Case.Status.RECOVERY)
    Case.objects.filter(pk=case.pk).update(
        support_provider=provider,
        support_started_at=now - timedelta(days=5),
        recovery_ends_at=now + timedelta(days=25),
        support_ends_at=None if support_ends_in_days is None else now + timedelta(days=support_ends_in_days),
        **fields,
    )
    case.refresh_from_db()
    return case


def case_url(case: Case) -> str:
    return reverse("casework:supported_case", args=[case.reference])


def reconsideration_url(case: Case) -> str:
    return reverse("casework:supported_reconsideration", args=[case.reference])


# --- the list -------------------------------------------------------------------------------------------------
def test_the_list_shows_the_providers_people_with_their_support_dates_and_outcomes(client, provider, provider_staff):
    case = supported_case_in_state(Case.Status.RECOVERY, provider=provider, answers=answers_with_support())
    someone_elses = supported_case_in_state(Case.Status.RECOVERY, provider=SupportProviderFactory())
    client.force_login(provider_staff)
    response = client.get(LIST_URL)
    page = response.text
    assert [row.reference for row in response.context["rows"]] == [case.reference]
    assert case.reference in page
    assert case_url(case) in page
    assert someone_elses.reference not in page
    for moment in (case.support_started_at, case.recovery_ends_at, case.support_ends_at):
        assert timezone.localtime(moment).strftime("%-d %b %Y") in page
    assert "Recovery period" in page  # the status
    assert "Positive reasonable grounds decision" in page
    days_left = (timezone.localtime(case.support_ends_at).date() - timezone.localdate()).days
    assert f"{days_left} days left" in page
    assert ACCOUNT not in page
    assert "Amina" not in page  # the list needs no names


def test_support_ending_within_14_days_is_a_warning_and_ended_support_is_listed_apart(client, provider, provider_staff):
    soon = supported_person(provider, support_ends_in_days=14)
    later = supported_person(provider, support_ends_in_days=15)
    ended = supported_person(provider, support_ends_in_days=-3, status=Case.Status.CLOSED)
    client.force_login(provider_staff)
    response = client.get(LIST_URL)
    assert [row.reference for row in response.context["rows"]] == [soon.reference, later.reference]  # nearest end
    assert [row.dates.ending_soon for row in response.context["rows"]] == [True, False]
    assert response.text.count('data-testid="ending-soon"') == 1
    assert "Being supported (2)" in response.text
    assert "Support ended (1)" in response.text
    response = client.get(LIST_URL, {"show": "ended"})
    assert [row.reference for row in response.context["rows"]] == [ended.reference]
    assert "Closed" in response.text
    assert "Ended" in response.text


def test_an_empty_list_says_so(client, provider_staff):
    client.force_login(provider_staff)
    assert 'data-testid="empty-state"' in client.get(LIST_URL).text
    assert 'data-testid="empty-state"' in client.get(LIST_URL, {"show": "ended"}).text


def test_the_list_comes_25_a_page(client, provider, provider_staff):
    cases = [supported_person(provider, support_ends_in_days=days) for days in range(1, 31)]
    client.force_login(provider_staff)
    first = client.get(LIST_URL)
    assert [row.reference for row in first.context["rows"]] == [case.reference for case in cases[:25]]
    assert 'class="govuk-pagination"' in first.text
    second = client.get(LIST_URL, {"page": 2})
    assert [row.reference for row in second.context["rows"]] == [case.reference for case in cases[25:]]
    assert client.get(LIST_URL, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_makes_the_same_queries_however_many_people(client, provider, provider_staff, count):
    for days in range(count):
        supported_person(provider, support_ends_in_days=days + 1)
    supported_case_in_state(Case.Status.RECOVERY, provider=provider)  # with a served decision
    client.force_login(provider_staff)
    # Every signed-in page's 3 (session, user with their organisation, unread count), then: what is waiting
    # (support ending soon), the counts of both lists, the page's count and rows, and their served decisions.
    assert count_queries(client, LIST_URL) == 8


@pytest.mark.parametrize(
    "role", [Role.FIRST_RESPONDER, Role.CASEWORKER, Role.MANAGER, Role.PANEL_MEMBER, Role.ANALYST, Role.ADMIN]
)
def test_other_roles_get_404(client, provider, role):
    case = supported_case_in_state(Case.Status.RECOVERY, provider=provider)
    organisation = single_competent_authority() if role in (Role.CASEWORKER, Role.MANAGER) else provider
    client.force_login(UserFactory(role=role, organisation=organisation))
    for url in (LIST_URL, case_url(case), reconsideration_url(case)):
        assert client.get(url).status_code == 404, url


# --- one person -----------------------------------------------------------------------------------------------
def test_a_persons_page_shows_dates_outcomes_letters_and_how_to_contact_them_safely(client, provider, provider_staff):
    case = supported_case_in_state(Case.Status.RECOVERY, provider=provider, answers=answers_with_support())
    client.force_login(provider_staff)
    response = client.get(case_url(case))
    page = response.text
    assert response.status_code == 200
    assert timezone.localtime(case.support_ends_at).strftime("%-d %B %Y") in page
    assert reverse("casework:letter", args=[case.decisions.get().letter.pk]) in page
    assert "Amina" in page
    assert "Tesfaye" in page
    assert "On their own phone" in page
    assert "07700 900123" in page
    assert "Tigrinya" in page
    assert case.referral.organisation.name in page
    assert ACCOUNT not in page  # never the account of the exploitation
    assert "Indicators" not in page
    assert 'data-testid="reconsideration"' not in page
    assert AccessLogEntry.objects.filter(case=case, user=provider_staff, what=AccessLogEntry.What.CASE).exists()


def test_the_alternative_phone_and_its_owner_are_shown_when_that_is_the_way(client, provider, provider_staff):
    answers = answers_with_support(
        support_contact_method="alternative_phone",
        support_alternative_phone="07700 900456",
        support_alternative_relationship="Their sister",
    )
    case = supported_case_in_state(Case.Status.RECOVERY, provider=provider, answers=answers)
    client.force_login(provider_staff)
    page = client.get(case_url(case)).text
    assert "On an alternative phone number" in page
    assert "Their sister" in page
    assert "07700 900123" not in page  # the person's own number is not the way to reach them


def test_a_person_of_another_provider_or_without_one_is_not_found(client, provider, provider_staff):
    other = supported_case_in_state(Case.Status.RECOVERY, provider=SupportProviderFactory())
    unsupported = case_in_state(Case.Status.RECOVERY)
    client.force_login(provider_staff)
    for case in (other, unsupported):
        assert client.get(case_url(case)).status_code == 404
        assert client.get(reconsideration_url(case)).status_code == 404
    assert client.get(case_url(case)).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_the_persons_page_makes_a_fixed_number_of_queries(client, provider, provider_staff):
    case = supported_case_in_state(Case.Status.RECOVERY, provider=provider, answers=answers_with_support())
    client.force_login(provider_staff)
    # Every signed-in page's 3, then: the case with its referral, the access log entry, the served decisions.
    assert count_queries(client, case_url(case)) == 6


# --- reconsideration ------------------------------------------------------------------------------------------
@pytest.fixture
def negative_case(provider):
    case = supported_case_in_state(Case.Status.AWAITING_CG, provider=provider, opened_days_ago=40)
    serve_negative_cg(case)
    return case


def test_the_provider_asks_for_reconsideration_of_a_served_negative_decision(client, provider_staff, negative_case):
    client.force_login(provider_staff)
    page = client.get(case_url(negative_case)).text
    assert reconsideration_url(negative_case) in page
    decision = negative_case.decisions.get(stage="cg")
    assert f"{decision.reconsideration_deadline:%-d %B %Y}" in page
    response = client.get(reconsideration_url(negative_case))
    assert response.status_code == 200
    assert case_url(negative_case) in response.text  # the way back
    response = client.post(
        reconsideration_url(negative_case),
        {
            "grounds": ["guidance_not_followed"],
            "details": "The trauma assessment was not considered.",
            "version": negative_case.version,
            "files": [upload()],
        },
    )
    assert response.status_code == 302
    assert response.url == case_url(negative_case)
    request = Reconsideration.objects.get()
    assert (request.requester_organisation, request.decision) == (provider_staff.organisation, decision)
    assert request.files.get().uploaded_by == provider_staff
    told = Notification.objects.filter(kind=Notification.Kind.RECONSIDERATION_REQUESTED)
    assert told.exists()
    assert {n.reference for n in told} == {negative_case.reference}
    page = client.get(response.url).text
    assert 'data-testid="reconsideration-pending"' in page
    assert reverse("casework:file", args=[request.files.get().pk]) not in page  # its files stay with the request
    assert client.get(reverse("casework:file", args=[request.files.get().pk])).status_code == 409  # being checked
    mark_scanned_clean()
    assert client.get(reverse("casework:file", args=[request.files.get().pk])).status_code == 200


def test_a_providers_request_with_errors_keeps_the_input(client, provider_staff, negative_case):
    client.force_login(provider_staff)
    response = client.post(reconsideration_url(negative_case), {"details": "Kept text.", "version": "1"})
    assert response.status_code == 200
    assert "Select the grounds for reconsideration" in response.text
    assert "Kept text." in response.text
    assert not Reconsideration.objects.exists()
