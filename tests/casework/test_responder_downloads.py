"""Downloading a decision letter or a case file: scoped per object to the authority, the referring organisation and
the support provider, served as a private attachment, and written to the access log."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from casework.models import IECA_NAME, AccessLogEntry, Case, Letter, Policy, ReviewRoute
from casework.services import (
    decision_review_agree,
    information_request_answer,
    reconsideration_request,
    single_competent_authority,
)
from tests.casework.factories import case_in_state, make_decision
from tests.casework.test_responder import (
    PDF_BYTES,
    ask,
    colleague_of,
    private_media,  # noqa: F401 - the autouse fixture of these tests too
    responder_of,
    supported_case_in_state,
    upload,
)
from tests.factories import SupportProviderFactory, UserFactory
from tests.uploads.helpers import mark_scanned_clean

pytestmark = pytest.mark.django_db


def letter_url(letter: Letter) -> str:
    return reverse("casework:letter", args=[letter.pk])


def file_url(case_file) -> str:
    return reverse("casework:file", args=[case_file.pk])


def authority_staff(role=Role.CASEWORKER, *, ieca=False):
    authority = Organisation.objects.get(name=IECA_NAME) if ieca else single_competent_authority()
    return UserFactory(role=role, organisation=authority)


@pytest.fixture
def supported_case():
    return supported_case_in_state(Case.Status.RECOVERY)


def test_the_referring_organisation_downloads_the_letter_as_a_private_pdf_and_it_is_logged(client, supported_case):
    letter = supported_case.decisions.get().letter
    assert not letter.file  # the task has not run (no commit in these tests): the download renders it
    responder = colleague_of(responder_of(supported_case))
    client.force_login(responder)
    response = client.get(letter_url(letter))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{supported_case.reference}-rg-positive-decision.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response.content.startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.file
    assert letter.rendered_at
    entry = AccessLogEntry.objects.get(case=supported_case)
    assert (entry.user, entry.what) == (responder, AccessLogEntry.What.LETTER)


@pytest.mark.parametrize("who", ["caseworker", "manager", "support_provider"])
def test_the_authority_and_the_support_provider_download_it_too(client, supported_case, who):
    user = {
        "caseworker": lambda: authority_staff(),
        "manager": lambda: authority_staff(Role.MANAGER),
        "support_provider": lambda: UserFactory(
            role=Role.SUPPORT_PROVIDER, organisation=supported_case.support_provider
        ),
    }[who]()
    client.force_login(user)
    assert client.get(letter_url(supported_case.decisions.get().letter)).status_code == 200
    assert AccessLogEntry.objects.filter(case=supported_case, user=user, what=AccessLogEntry.What.LETTER).exists()


@pytest.mark.parametrize(
    "who",
    ["other_responder", "other_provider", "other_authority", "provider_staff_as_responder", "panel", "analyst"],
)
def test_nobody_else_downloads_the_letter(client, supported_case, who):
    user = {
        "other_responder": lambda: UserFactory(role=Role.FIRST_RESPONDER),
        "other_provider": lambda: UserFactory(role=Role.SUPPORT_PROVIDER, organisation=SupportProviderFactory()),
        "other_authority": lambda: authority_staff(ieca=True),
        # The support provider's organisation, in a role that is not the support provider's.
        "provider_staff_as_responder": lambda: UserFactory(
            role=Role.FIRST_RESPONDER, organisation=supported_case.support_provider
        ),
        "panel": lambda: UserFactory(role=Role.PANEL_MEMBER),
        "analyst": lambda: UserFactory(role=Role.ANALYST, organisation=single_competent_authority()),
    }[who]()
    client.force_login(user)
    assert client.get(letter_url(supported_case.decisions.get().letter)).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_letter_that_does_not_exist_or_a_post_is_refused(client):
    case = case_in_state(Case.Status.RECOVERY)
    client.force_login(responder_of(case))
    assert client.get(reverse("casework:letter", args=[999999])).status_code == 404
    assert client.post(letter_url(case.decisions.get().letter)).status_code == 405
    client.logout()
    assert client.get(letter_url(case.decisions.get().letter)).status_code == 302


def test_the_caseworkers_file_downloads_for_the_referrer_with_its_type_and_name(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case, files=[upload("Form A (blank).pdf")])
    case_file = information_request.files.get()
    mark_scanned_clean()
    responder = responder_of(case)
    client.force_login(responder)
    response = client.get(file_url(case_file))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Form A (blank).pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert AccessLogEntry.objects.filter(case=case, user=responder, what=AccessLogEntry.What.FILE).exists()
    client.force_login(authority_staff())
    assert client.get(file_url(case_file)).status_code == 200


def test_a_file_whose_name_does_not_match_its_content_downloads_with_the_right_extension(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    case_file = ask(case, files=[upload("notes.html")]).files.get()
    mark_scanned_clean()
    client.force_login(responder_of(case))
    response = client.get(file_url(case_file))
    assert response["Content-Disposition"] == 'attachment; filename="notes.html.pdf"'


def serve_negative_cg(case: Case) -> None:
    """A negative CG on a case awaiting one, agreed by a second reviewer and served."""
    route = ReviewRoute.SECOND_REVIEWER
    Policy.objects.update_or_create(nation=case.nation, defaults={"negative_cg_review_route": route})
    decision = make_decision(case, case.assignee, stage="cg", outcome="negative")
    decision_review_agree(decision_id=decision.pk, actor=authority_staff(Role.MANAGER))
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_SERVED


def test_files_are_scoped_to_who_sent_them_and_who_they_were_sent_to(client):
    case = supported_case_in_state(Case.Status.AWAITING_CG, opened_days_ago=40)
    question_file = ask(case, files=[upload()]).files.get()
    serve_negative_cg(case)
    responder = responder_of(case)
    provider_staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=case.support_provider)
    from_responder = reconsideration_request(
        case_id=case.pk, actor=responder, grounds=["new_evidence"], details="New.", uploaded_files=[upload()]
    ).files.get()
    mark_scanned_clean()
    outsiders = [UserFactory(role=Role.FIRST_RESPONDER), authority_staff(ieca=True), UserFactory(role=Role.ANALYST)]
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(file_url(question_file)).status_code == 404
        assert client.get(file_url(from_responder)).status_code == 404
    client.force_login(provider_staff)  # the support provider sees only what it sent itself
    assert client.get(file_url(question_file)).status_code == 404
    assert client.get(file_url(from_responder)).status_code == 404
    client.force_login(colleague_of(responder))
    assert client.get(file_url(question_file)).status_code == 200
    assert client.get(file_url(from_responder)).status_code == 200


def test_the_answer_files_download_for_the_caseworker(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    information_request_answer(
        request_id=information_request.pk, actor=responder_of(case), answer="Attached.", uploaded_files=[upload()]
    )
    mark_scanned_clean()
    client.force_login(authority_staff())
    assert client.get(file_url(information_request.files.get(is_answer=True))).status_code == 200


def test_a_file_lost_from_storage_is_not_found_rather_than_an_error(client, private_media):  # noqa: F811
    case = case_in_state(Case.Status.AWAITING_RG)
    case_file = ask(case, files=[upload()]).files.get()
    mark_scanned_clean()
    private_media.delete(case_file.file.name)
    client.force_login(responder_of(case))
    assert client.get(file_url(case_file)).status_code == 404
