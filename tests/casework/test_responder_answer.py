"""Answering a request for information: the referring organisation's first responders only, with files; a stale
or forged answer refused with what was typed kept; the caseworker told."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from casework.models import Case, CaseFile, InformationRequest
from casework.services import information_request_answer, single_competent_authority
from notifications.models import Notification
from tests.casework.factories import case_in_state
from tests.casework.test_responder import (
    ANSWER,
    PNG_BYTES,
    QUESTION,
    answer_url,
    ask,
    colleague_of,
    manager_of_sca,
    private_media,  # noqa: F401 - the autouse fixture of these tests too
    referral_url,
    responder_of,
    upload,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- answering a request ----------------------------------------------------------------------------------------
def test_the_answer_page_shows_the_question_its_files_and_a_form(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case, files=[upload("form.pdf")])
    client.force_login(responder_of(case))
    response = client.get(answer_url(case, information_request))
    page = response.text
    assert response.status_code == 200
    assert QUESTION in page
    assert "form.pdf" in page
    assert 'name="answer"' in page
    assert re.search(r'<input type="file" name="files"[^>]* multiple', page)
    assert f'name="version" value="{information_request.version}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_an_answer_with_files_is_sent_and_the_caseworker_is_told(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    manager = manager_of_sca()
    information_request = ask(case, actor=manager)
    responder = colleague_of(responder_of(case))
    client.force_login(responder)
    response = client.post(
        answer_url(case, information_request),
        {"answer": ANSWER, "version": information_request.version, "files": [upload(), upload("b.png", PNG_BYTES)]},
    )
    assert response.status_code == 302
    assert response.url == referral_url(case) + "#information-requests"
    information_request.refresh_from_db()
    assert (information_request.state, information_request.answer) == (InformationRequest.State.ANSWERED, ANSWER)
    assert information_request.answered_by == responder
    assert sorted(information_request.files.filter(is_answer=True).values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    told = Notification.objects.filter(kind=Notification.Kind.INFORMATION_ANSWERED)
    assert told.exists()
    assert {notification.reference for notification in told} == {case.reference}
    for notification in told:  # the reference and the kind: nothing about the person or the answer
        assert ANSWER not in str(notification.__dict__)
    page = client.get(response.url).text
    assert f"Your answer has been sent to the caseworker for {case.reference}" in page


def test_an_empty_answer_is_refused_with_the_files_to_select_again(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    client.force_login(responder_of(case))
    response = client.post(
        answer_url(case, information_request),
        {"answer": "   ", "version": information_request.version, "files": [upload()]},
    )
    page = response.text
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert 'href="#id_answer"' in page
    assert "Enter your answer" in page
    assert 'data-testid="files-not-kept"' in page
    information_request.refresh_from_db()
    assert information_request.is_open


def test_a_file_of_the_wrong_type_is_refused_and_the_answer_kept(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    client.force_login(responder_of(case))
    response = client.post(
        answer_url(case, information_request),
        {"answer": ANSWER, "version": information_request.version, "files": [upload("run.pdf", b"MZ\x90\x00binary")]},
    )
    page = response.text
    assert response.status_code == 200
    assert "The selected file must be a PDF, DOC, DOCX, JPG or PNG (run.pdf)" in page
    assert 'href="#id_files"' in page
    assert "govuk-file-upload--error" in page
    assert ANSWER in page
    assert not CaseFile.objects.filter(is_answer=True).exists()


def test_a_stale_answer_is_refused_and_what_was_typed_is_kept(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    responder = responder_of(case)
    opened_at = information_request.version
    information_request_answer(request_id=information_request.pk, actor=colleague_of(responder), answer="Done.")
    client.force_login(responder)
    response = client.post(answer_url(case, information_request), {"answer": ANSWER, "version": opened_at})
    page = response.text
    assert response.status_code == 409
    assert "This request changed while you were answering it" in page
    assert 'data-testid="unsent-answer"' in page
    assert ANSWER in page
    information_request.refresh_from_db()
    assert information_request.answer == "Done."


@pytest.mark.parametrize("version", ["", "abc", "-1", "9" * 12, "²", "\u0661", "1\x00"])
def test_a_forged_or_missing_version_is_refused(client, version):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    client.force_login(responder_of(case))
    response = client.post(answer_url(case, information_request), {"answer": ANSWER, "version": version})
    assert response.status_code == 409
    assert ANSWER in response.text
    information_request.refresh_from_db()
    assert information_request.is_open


def test_a_withdrawn_request_needs_no_answer(client):
    from casework.services import information_request_withdraw

    case = case_in_state(Case.Status.AWAITING_RG)
    manager = manager_of_sca()
    information_request = ask(case, actor=manager)
    information_request_withdraw(request_id=information_request.pk, actor=manager)
    client.force_login(responder_of(case))
    page = client.get(answer_url(case, information_request)).text
    assert "The caseworker withdrew this request" in page
    assert 'name="answer"' not in page


def test_only_the_referring_organisations_first_responders_can_open_a_request(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    other_case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    url = answer_url(case, information_request)
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))  # another organisation
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": ANSWER, "version": 1}).status_code == 404
    # The request exists, but not on that case: a reference of the organisation's own does not open it.
    other_responder = responder_of(other_case)
    client.force_login(other_responder)
    assert client.get(answer_url(other_case, information_request)).status_code == 404
    client.force_login(responder_of(case))
    assert client.get(reverse("casework:answer_information_request", args=[case.reference, 999999])).status_code == 404
    assert client.put(url).status_code == 405
    information_request.refresh_from_db()
    assert information_request.is_open


@pytest.mark.parametrize(
    "role", [Role.CASEWORKER, Role.MANAGER, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER, Role.ANALYST, Role.ADMIN]
)
def test_other_roles_get_404_on_the_answer_page(client, role):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    organisation = single_competent_authority() if role in (Role.CASEWORKER, Role.MANAGER) else None
    client.force_login(UserFactory(role=role, **({"organisation": organisation} if organisation else {})))
    assert client.get(answer_url(case, information_request)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    assert client.get(answer_url(case, information_request)).status_code == 302


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload(f"page {number}.pdf") for number in range(11)], "Select up to 10 files"),
        ([upload("empty.pdf", b"")], "The selected file is empty (empty.pdf)"),
    ],
)
def test_too_many_files_or_an_empty_one_is_refused(client, files, message):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    client.force_login(responder_of(case))
    response = client.post(
        answer_url(case, information_request),
        {"answer": ANSWER, "version": information_request.version, "files": files},
    )
    assert response.status_code == 200
    assert message in response.text
    information_request.refresh_from_db()
    assert information_request.is_open
