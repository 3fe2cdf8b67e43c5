"""The referring organisation asks for reconsideration of a served negative decision: grounds, details and files;
after the last date only with exceptional circumstances; one request waiting at a time; managers are told."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.roles import Role
from casework.models import Case, Decision, Reconsideration
from casework.services import reconsideration_request, single_competent_authority
from notifications.models import Notification
from tests.casework.factories import case_in_state
from tests.casework.test_responder import (
    colleague_of,
    manager_of_sca,
    private_media,  # noqa: F401 - the autouse fixture of these tests too
    referral_url,
    responder_of,
    upload,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DETAILS = "A witness statement from the employer's neighbour, taken after the decision, is attached."
EXCEPTIONAL = "The person was in hospital for the whole month after the decision was served."


def url(case: Case) -> str:
    return reverse("casework:responder_reconsideration", args=[case.reference])


@pytest.fixture
def negative_case():
    case = case_in_state(Case.Status.RG_NEGATIVE_SERVED)
    manager_of_sca()  # someone to tell
    return case


def make_late(case: Case) -> Decision:
    decision = case.decisions.get()
    decision.reconsideration_deadline = timezone.localdate() - timedelta(days=1)
    decision.save(update_fields=["reconsideration_deadline"])
    return decision


def post(client, case: Case, **data):
    fields = {"grounds": ["new_evidence"], "details": DETAILS, "version": case.version, **data}
    return client.post(url(case), {key: value for key, value in fields.items() if value is not None})


def test_the_page_shows_the_decision_the_last_date_and_the_form(client, negative_case):
    decision = negative_case.decisions.get()
    client.force_login(responder_of(negative_case))
    response = client.get(url(negative_case))
    page = response.text
    assert response.status_code == 200
    assert "Negative reasonable grounds decision" in page
    assert f"{decision.reconsideration_deadline:%-d %B %Y}" in page
    assert 'name="grounds"' in page
    assert "New evidence" in page
    assert "Guidance was not followed" in page
    assert 'name="details"' in page
    assert 'name="files"' in page
    assert "multiple" in page
    assert 'name="exceptional_circumstances"' not in page  # in time: not asked
    assert f'name="version" value="{negative_case.version}"' in page


def test_a_request_with_files_is_sent_and_the_managers_are_told(client, negative_case):
    responder = colleague_of(responder_of(negative_case))
    client.force_login(responder)
    response = post(
        client, negative_case, grounds=["new_evidence", "guidance_not_followed"], files=[upload(), upload("b.pdf")]
    )
    assert response.status_code == 302
    assert response.url == referral_url(negative_case)
    request = Reconsideration.objects.get()
    assert (request.state, request.is_late, request.details) == (Reconsideration.State.PENDING, False, DETAILS)
    assert request.grounds == ["new_evidence", "guidance_not_followed"]
    assert (request.requested_by, request.requester_organisation) == (responder, responder.organisation)
    assert request.files.count() == 2
    told = Notification.objects.filter(kind=Notification.Kind.RECONSIDERATION_REQUESTED)
    assert told.exists()
    assert {n.recipient.role for n in told} == {Role.MANAGER}
    assert {n.reference for n in told} == {negative_case.reference}
    page = client.get(response.url).text
    assert f"Your request for reconsideration of {negative_case.reference} has been sent" in page
    assert 'data-testid="reconsideration-pending"' in page
    assert 'data-testid="reconsideration"' not in page


def test_missing_grounds_and_details_are_reported_together_and_the_input_kept(client, negative_case):
    client.force_login(responder_of(negative_case))
    response = post(client, negative_case, grounds=None, details="", files=[upload()])
    page = response.text
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert 'href="#id_grounds_1">Select the grounds for reconsideration' in page
    assert 'href="#id_details">Enter why the decision should be reconsidered' in page
    assert 'data-testid="files-not-kept"' in page
    response = post(client, negative_case, grounds=["guidance_not_followed"], details="")
    checked = re.findall(r'value="(\w+)"\s+checked="checked"', response.text)
    assert checked == ["guidance_not_followed"]
    response = post(client, negative_case, grounds=["nonsense"], details=DETAILS)
    assert "Select the grounds for reconsideration from the list" in response.text
    assert escape(DETAILS) in response.text
    assert not Reconsideration.objects.exists()


def test_after_the_last_date_exceptional_circumstances_are_needed(client, negative_case):
    decision = make_late(negative_case)
    client.force_login(responder_of(negative_case))
    page = client.get(url(negative_case)).text
    assert 'data-testid="late-warning"' in page
    assert 'name="exceptional_circumstances"' in page
    response = post(client, negative_case)
    assert response.status_code == 200
    assert f"The time to ask ended on {decision.reconsideration_deadline:%-d %B %Y}" in response.text
    assert escape(DETAILS) in response.text
    assert not Reconsideration.objects.exists()
    assert post(client, negative_case, exceptional_circumstances=EXCEPTIONAL).status_code == 302
    request = Reconsideration.objects.get()
    assert (request.is_late, request.exceptional_circumstances) == (True, EXCEPTIONAL)


def test_one_request_waits_at_a_time(client, negative_case):
    responder = responder_of(negative_case)
    reconsideration_request(case_id=negative_case.pk, actor=responder, grounds=["new_evidence"], details="First.")
    negative_case.refresh_from_db()
    client.force_login(responder)
    page = client.get(url(negative_case)).text
    assert 'data-testid="pending"' in page
    assert 'name="details"' not in page
    response = post(client, negative_case)
    assert response.status_code == 409
    assert "is already waiting" in response.text
    assert escape(DETAILS) in response.text
    assert Reconsideration.objects.count() == 1


def test_a_stale_request_is_refused_and_the_input_kept(client, negative_case):
    client.force_login(responder_of(negative_case))
    response = post(client, negative_case, version=negative_case.version - 1)
    assert response.status_code == 409
    assert "Someone else changed this case" in response.text
    assert escape(DETAILS) in response.text
    assert f'name="version" value="{negative_case.version}"' in response.text
    assert not Reconsideration.objects.exists()


@pytest.mark.parametrize("status", [Case.Status.AWAITING_RG, Case.Status.RG_NEGATIVE_REVIEW, Case.Status.RECOVERY])
def test_there_is_nothing_to_reconsider_before_a_negative_decision_is_served(client, status):
    case = case_in_state(status)
    client.force_login(responder_of(case))
    assert client.get(url(case)).status_code == 404
    assert post(client, case).status_code == 404


def test_another_organisation_or_role_gets_404(client, negative_case):
    sca = single_competent_authority()
    for user in (
        UserFactory(role=Role.FIRST_RESPONDER),
        UserFactory(role=Role.CASEWORKER, organisation=sca),
        UserFactory(role=Role.MANAGER, organisation=sca),
        UserFactory(role=Role.SUPPORT_PROVIDER),
        UserFactory(role=Role.PANEL_CHAIR),
        UserFactory(role=Role.ANALYST),
    ):
        client.force_login(user)
        assert client.get(url(negative_case)).status_code == 404, user.role
        assert post(client, negative_case).status_code == 404, user.role
    assert not Reconsideration.objects.exists()
