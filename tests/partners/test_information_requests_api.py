"""The information requests API: the organisation's requests listed and read (scoped, access-logged, a fixed
number of queries), and answered with text and files through the answer page's checks and casework's service
(the caseworker told, the files scanned); another organisation's request is 404, a closed one 409."""

from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.models import AccessLogEntry, Case, CaseFile, InformationRequest, Letter
from casework.services import information_request_answer, information_request_create, information_request_withdraw
from common import scanner_daemon
from common.virus_scan import ScanStatus
from notifications.models import Notification
from tests.casework.factories import case_in_state
from tests.casework.test_responder import ANSWER, PDF_BYTES, PNG_BYTES, QUESTION, manager_of_sca
from tests.uploads.helpers import mark_scanned_clean
from tests.uploads.test_scanning import SCAN_TIMEOUT, pdf_carrying_eicar, scanned

pytestmark = pytest.mark.django_db

SCOPE = "information-requests:write"
LIST_URL = "/api/v1/information-requests"


def url(information_request: InformationRequest, action: str = "") -> str:
    return f"{LIST_URL}/{information_request.pk}" + (f"/{action}" if action else "")


def upload(name: str = "statement.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def private_media(request, settings, tmp_path, monkeypatch):
    """Case files under a temporary directory, except for the scanning test, whose worker reads the shared
    private storage."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    if request.node.get_closest_marker("worker"):
        return
    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (CaseFile, Letter):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)


def ask(case: Case, *, manager=None, question: str = QUESTION, files=(), due_in_days: int = 10) -> InformationRequest:
    return information_request_create(
        case_id=case.pk,
        actor=manager or manager_of_sca(),
        question=question,
        due_date=timezone.localdate() + timedelta(days=due_in_days),
        uploaded_files=list(files),
    )


def partner_of(partner_api, case: Case, scopes=(SCOPE,)):
    return partner_api(organisation=case.referral.organisation, scopes=list(scopes))


# --- reading --------------------------------------------------------------------------------------------------


def test_the_list_has_the_organisations_requests_newest_first_and_never_another_organisations(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    first = ask(case, question="What was the date of the first meeting?", files=[upload("form.pdf")])
    second = ask(case, question="Was an interpreter present?")
    ask(case_in_state(Case.Status.AWAITING_RG), question="Another organisation's question")
    partner = partner_of(partner_api, case)

    response = partner.get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["results"]] == [second.pk, first.pk]
    assert body["next"] is None
    item = body["results"][1]
    assert item["reference"] == case.reference
    assert item["question"] == "What was the date of the first meeting?"
    assert (item["state"], item["state_label"], item["answer"], item["answered_at"]) == (
        "open",
        "Awaiting answer",
        "",
        None,
    )
    assert item["due_date"] == first.due_date.isoformat()
    assert [(f["name"], f["content_type"], f["scan_status"]) for f in item["question_files"]] == [
        ("form.pdf", "application/pdf", "pending")
    ]
    assert item["answer_files"] == []
    assert "Another organisation's question" not in response.text
    assert AccessLogEntry.objects.filter(case=case, user=partner.user, what=AccessLogEntry.What.API).count() == 1


def test_the_list_filters_by_state_and_reference_and_refuses_an_unknown_state(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    other_case = case_in_state(Case.Status.AWAITING_RG, draft__organisation=case.referral.organisation)
    open_request = ask(case)
    answered = ask(other_case)
    information_request_answer(request_id=answered.pk, actor=case.referral.submitted_by, answer=ANSWER)
    partner = partner_of(partner_api, case)

    assert [item["id"] for item in partner.get(LIST_URL, {"state": "open"}).json()["results"]] == [open_request.pk]
    assert [item["id"] for item in partner.get(LIST_URL, {"state": "answered"}).json()["results"]] == [answered.pk]
    by_reference = partner.get(LIST_URL, {"reference": other_case.reference}).json()["results"]
    assert [item["id"] for item in by_reference] == [answered.pk]
    refused = partner.get(LIST_URL, {"state": "lost"})
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "state"


def test_the_list_pages_with_a_cursor(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    asked = [ask(case, question=f"Question {number}") for number in range(3)]
    partner = partner_of(partner_api, case)

    first_page = partner.get(LIST_URL, {"page_size": 2}).json()
    second_page = partner.get(first_page["next"]).json()

    assert [item["id"] for item in first_page["results"]] == [asked[2].pk, asked[1].pk]
    assert [item["id"] for item in second_page["results"]] == [asked[0].pk]
    assert second_page["next"] is None


def test_the_lists_queries_do_not_grow_with_its_requests(partner_api, django_assert_max_num_queries):
    case = case_in_state(Case.Status.AWAITING_RG)
    manager = manager_of_sca()
    ask(case, manager=manager, files=[upload()])
    partner = partner_of(partner_api, case)
    with django_assert_max_num_queries(30) as few:
        assert len(partner.get(LIST_URL).json()["results"]) == 1
    baseline = len(few.captured_queries)
    more_cases = [
        case_in_state(Case.Status.AWAITING_RG, draft__organisation=case.referral.organisation) for _ in range(3)
    ]
    for each in more_cases:
        ask(each, manager=manager, files=[upload("a.pdf"), upload("b.png", PNG_BYTES)])
        ask(each, manager=manager)

    with django_assert_max_num_queries(baseline):
        assert len(partner.get(LIST_URL).json()["results"]) == 7


def test_a_request_is_read_by_id_and_the_read_is_access_logged(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case)

    response = partner.get(url(information_request))

    assert response.status_code == 200
    assert response.json()["id"] == information_request.pk
    assert response.json()["question"] == QUESTION
    assert response.json()["version"] == information_request.version
    assert AccessLogEntry.objects.filter(case=case, user=partner.user, what=AccessLogEntry.What.API).exists()


def test_another_organisations_request_is_not_found_to_read_or_to_answer(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    outsider = partner_api(scopes=[SCOPE])

    read = outsider.get(url(information_request))
    answered = outsider.post(url(information_request, "answer"), {"answer": ANSWER})

    assert (read.status_code, answered.status_code) == (404, 404)
    assert read["Content-Type"] == "application/problem+json"
    assert QUESTION not in read.text
    information_request.refresh_from_db()
    assert information_request.is_open
    assert not AccessLogEntry.objects.filter(case=case, user=outsider.user).exists()


def test_a_client_without_the_scope_is_refused(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case, scopes=["referrals:read"])

    responses = [
        partner.get(LIST_URL),
        partner.get(url(information_request)),
        partner.post(url(information_request, "answer"), {"answer": ANSWER}),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403]
    information_request.refresh_from_db()
    assert information_request.is_open


def test_a_requests_file_is_downloaded_once_scanned_clean_and_never_by_another_organisation(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case, files=[upload("form.pdf")])
    partner = partner_of(partner_api, case)
    file_url = f"{url(information_request)}/files/{information_request.files.get().pk}"

    pending = partner.get(file_url)
    mark_scanned_clean()
    downloaded = partner.get(file_url)
    outsider = partner_api(scopes=[SCOPE]).get(file_url)

    assert pending.status_code == 409
    assert pending.json()["type"].endswith("#file-not-scanned")
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "application/pdf"
    assert b"".join(downloaded.streaming_content) == PDF_BYTES
    assert outsider.status_code == 404
    assert AccessLogEntry.objects.filter(case=case, user=partner.user, what=AccessLogEntry.What.API).count() == 1


def test_an_infected_file_is_gone(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case, files=[upload("form.pdf")])
    information_request.files.update(scan_status=ScanStatus.INFECTED)
    partner = partner_of(partner_api, case)

    response = partner.get(f"{url(information_request)}/files/{information_request.files.get().pk}")

    assert response.status_code == 410
    assert response.json()["type"].endswith("#file-removed")


# --- answering ------------------------------------------------------------------------------------------------


def test_an_answer_with_files_is_sent_the_caseworker_is_told_and_the_files_wait_for_their_scan(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    manager = manager_of_sca()
    information_request = ask(case, manager=manager)
    partner = partner_of(partner_api, case)

    response = partner.post_multipart(
        url(information_request, "answer"),
        {
            "answer": ANSWER,
            "version": information_request.version,
            "files": [upload(), upload("photo.png", PNG_BYTES)],
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["answer"]) == ("answered", ANSWER)
    assert sorted((f["content_type"], f["scan_status"]) for f in body["answer_files"]) == [
        ("application/pdf", "pending"),
        ("image/png", "pending"),
    ]
    information_request.refresh_from_db()
    assert information_request.state == InformationRequest.State.ANSWERED
    assert information_request.answered_by == partner.user
    assert information_request.files.filter(is_answer=True, scan_status=ScanStatus.PENDING).count() == 2
    told = Notification.objects.filter(kind=Notification.Kind.INFORMATION_ANSWERED, reference=case.reference)
    assert told.exists()
    assert partner.user.pk not in {notification.recipient_id for notification in told}


def test_an_answer_in_json_needs_no_files(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case)

    response = partner.post(url(information_request, "answer"), {"answer": ANSWER})

    assert response.status_code == 200
    assert response.json()["answer_files"] == []
    information_request.refresh_from_db()
    assert information_request.answer == ANSWER


def test_an_empty_answer_is_refused_with_the_answer_pages_message(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case)

    response = partner.post_multipart(url(information_request, "answer"), {"answer": "   ", "files": [upload()]})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "answer", "code": "required", "message": "Enter your answer"}]
    information_request.refresh_from_db()
    assert information_request.is_open
    assert not CaseFile.objects.filter(is_answer=True).exists()


def test_a_file_that_is_not_what_it_says_is_refused_by_its_content_and_nothing_is_saved(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case)

    response = partner.post_multipart(
        url(information_request, "answer"),
        {"answer": ANSWER, "files": [upload(), upload("run.pdf", b"MZ\x90\x00binary")]},
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == ["files"]
    assert errors[0]["message"] == "The selected file must be a PDF, DOC, DOCX, JPG or PNG (run.pdf)"
    information_request.refresh_from_db()
    assert information_request.is_open
    assert not CaseFile.objects.filter(is_answer=True).exists()


def test_an_answered_request_is_refused_with_a_conflict_that_says_why(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    information_request_answer(request_id=information_request.pk, actor=case.referral.submitted_by, answer="Done.")
    partner = partner_of(partner_api, case)

    response = partner.post(url(information_request, "answer"), {"answer": ANSWER})

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("#information-request-closed")
    assert problem["detail"] == "This request is answered: it can no longer be answered"
    information_request.refresh_from_db()
    assert information_request.answer == "Done."


def test_a_withdrawn_request_is_refused_with_a_conflict(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    manager = manager_of_sca()
    information_request = ask(case, manager=manager)
    information_request_withdraw(request_id=information_request.pk, actor=manager)
    partner = partner_of(partner_api, case)

    response = partner.post_multipart(url(information_request, "answer"), {"answer": ANSWER, "files": [upload()]})

    assert response.status_code == 409
    assert response.json()["detail"] == "This request is withdrawn: it can no longer be answered"
    assert not CaseFile.objects.filter(is_answer=True).exists()


def test_an_answer_to_a_version_that_has_changed_is_refused_as_stale(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case)

    response = partner.post(
        url(information_request, "answer"), {"answer": ANSWER, "version": information_request.version + 1}
    )

    assert response.status_code == 409
    assert response.json()["type"].endswith("#stale-version")
    information_request.refresh_from_db()
    assert information_request.is_open


# --- Idempotency-Key ------------------------------------------------------------------------------------------


def test_a_retried_answer_with_the_same_key_returns_the_first_answer_and_sends_nothing_more(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case)
    body = {"answer": ANSWER, "files": [upload()]}
    headers = {"HTTP_IDEMPOTENCY_KEY": "answer-1"}  # the header Idempotency-Key

    told = Notification.objects.filter(kind=Notification.Kind.INFORMATION_ANSWERED, reference=case.reference)

    first = partner.post_multipart(url(information_request, "answer"), body, headers=headers)
    told_once = told.count()
    body["files"] = [upload()]  # the same file sent again
    retried = partner.post_multipart(url(information_request, "answer"), body, headers=headers)

    assert (first.status_code, retried.status_code) == (200, 200)
    assert retried.json() == first.json()
    assert retried["Idempotent-Replayed"] == "true"
    assert CaseFile.objects.filter(is_answer=True).count() == 1
    assert told_once > 0
    assert told.count() == told_once


def test_the_same_key_with_another_answer_is_refused(partner_api):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case)
    headers = {"HTTP_IDEMPOTENCY_KEY": "answer-2"}

    partner.post(url(information_request, "answer"), {"answer": ANSWER}, headers=headers)
    other = partner.post(url(information_request, "answer"), {"answer": "Something else"}, headers=headers)

    assert other.status_code == 422
    assert other.json()["type"].endswith("#idempotency-key-reused")
    information_request.refresh_from_db()
    assert information_request.answer == ANSWER


# --- the files are scanned (the real clamd and a real worker) -------------------------------------------------


@pytest.fixture
def stored_uploads(transactional_db, project_data):
    yield
    for row in CaseFile.objects.all():
        storages["private"].delete(row.file.name)
        if row.quarantined_as:
            storages["quarantine"].delete(row.quarantined_as)


@pytest.mark.worker
def test_a_file_sent_with_an_answer_is_scanned_and_an_infected_one_is_never_downloadable(
    stored_uploads, celery_worker_process, clamd, partner_api
):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    partner = partner_of(partner_api, case)

    response = partner.post_multipart(
        url(information_request, "answer"),
        {"answer": ANSWER, "files": [upload("clean.pdf"), upload("statement.pdf", pdf_carrying_eicar())]},
    )

    assert response.status_code == 200, response.content
    files = {f["name"]: f["id"] for f in response.json()["answer_files"]}
    for file_id in files.values():
        celery_worker_process.wait_until(scanned(CaseFile, file_id), timeout=SCAN_TIMEOUT)
    read = {f["name"]: f["scan_status"] for f in partner.get(url(information_request)).json()["answer_files"]}
    assert read == {"clean.pdf": "clean", "statement.pdf": "infected"}
    infected = CaseFile.objects.get(pk=files["statement.pdf"])
    assert infected.scan_result.startswith(scanner_daemon.SIGNATURE_NAME)
    assert not infected.is_downloadable
