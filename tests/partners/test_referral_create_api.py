"""Referrals sent through the partner API: checked by the web form's own questions and messages (errors one per
question), sent exactly as from the web (reference, a case for an NRM referral), safe to retry with an
Idempotency-Key (ten concurrent retries send one referral), and their evidence files added afterwards with the
web's checks and virus scan."""

import threading
from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from casework.models import Case
from common.virus_scan import ScanStatus
from partners.models import IdempotencyKey
from referrals.demo_answers import complete_answers
from referrals.models import Draft, EvidenceFile, Referral, Route
from referrals.page_forms import name_of
from referrals.questions import QUESTIONNAIRE
from referrals.services import referral_submit
from tests.factories import UserFactory
from tests.referrals.test_submission import complete_draft
from tests.uploads.test_scanning import SCAN_TIMEOUT, pdf_carrying_eicar, scanned

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(request, tmp_path, monkeypatch):
    """Evidence under a temporary directory, except for the scanning test, whose worker reads the shared private
    storage (stored_uploads cleans it)."""
    if request.node.get_closest_marker("worker"):
        return
    monkeypatch.setattr(
        EvidenceFile._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "private")
    )


def answers_for(partner, route: Route, seed: int = 0) -> dict:
    answers = complete_answers(route, organisation_name=partner.organisation.name, seed=seed)
    answers.pop("_visited")
    return answers


def errors_of(response) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for error in response.json()["errors"]:
        found.setdefault(error["field"], []).append((error["code"], error["message"]))
    return found


def upload(name: str = "statement.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- sending --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", [Route.ADULT, Route.CHILD])
def test_an_nrm_referral_is_sent_with_its_reference_and_its_case_as_from_the_web(partner_api, route):
    partner = partner_api(scopes=["referrals:write"])
    answers = answers_for(partner, route)

    response = partner.post(URL, {"answers": answers})

    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(reference=body["reference"])
    assert body["reference"].startswith("NRM-")
    assert body["kind"] == "nrm_referral"
    assert body["route"] == route
    assert response["Location"] == f"/api/v1/referrals/{referral.reference}"
    assert referral.organisation == partner.organisation
    assert referral.submitted_by == partner.user
    assert referral.answers == answers  # frozen exactly as the pages would have stored them
    assert Case.objects.filter(referral=referral).count() == 1
    assert referral.draft.submitted_at is not None


def test_a_referral_sent_whole_is_saved_on_its_draft_as_one_change_not_one_a_page(
    partner_api, django_assert_max_num_queries
):
    partner = partner_api(scopes=["referrals:write"])
    answers = answers_for(partner, Route.ADULT)
    pages = {
        page.slug
        for section in QUESTIONNAIRE.sections
        for page in section.pages
        if any(question.key in answers for question in page.questions)
    }
    assert len(pages) > 20  # so that a save a page would show

    with django_assert_max_num_queries(60):
        response = partner.post(URL, {"answers": answers})

    assert response.status_code == 201, response.content
    draft = Referral.objects.get(reference=response.json()["reference"]).draft
    assert draft.version == 1 + 1  # made, then every page saved at once (sending does not count a version)
    assert set(draft.answers["_visited"]) >= pages


def test_a_duty_to_notify_report_is_sent_with_no_case(partner_api):
    partner = partner_api(scopes=["referrals:write"])

    response = partner.post(URL, {"answers": answers_for(partner, Route.DUTY_TO_NOTIFY, seed=2)})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "duty_to_notify"
    assert body["reference"].startswith("DTN-")
    referral = Referral.objects.get(reference=body["reference"])
    assert referral.route == Route.DUTY_TO_NOTIFY
    assert not Case.objects.filter(referral=referral).exists()


def test_missing_and_wrong_answers_come_back_one_per_question_with_the_web_pages_messages(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    answers = answers_for(partner, Route.ADULT)
    del answers["nation"]
    answers["date_of_birth"] = "2199-01-01"
    answers["gender"] = "robot"

    response = partner.post(URL, {"answers": answers})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = errors_of(response)
    assert errors["answers.nation"] == [("required", QUESTIONNAIRE.question("nation").error_required)]
    assert errors["answers.date_of_birth"] == [("invalid", "Date of birth must be today or in the past")]
    assert errors["answers.gender"][0][0] == "invalid"
    assert set(errors) == {"answers.nation", "answers.date_of_birth", "answers.gender"}
    assert not Referral.objects.exists()
    assert not Draft.objects.exists()  # nothing half-made


def test_an_unknown_question_and_an_answer_that_does_not_apply_to_the_route_are_named(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    answers = answers_for(partner, Route.DUTY_TO_NOTIFY)
    answers["favourite_colour"] = "blue"
    child_only = next(
        question.key
        for question in QUESTIONNAIRE._questions.values()
        if question.key not in answers and question.key in answers_for(partner, Route.CHILD)
    )
    answers[child_only] = answers_for(partner, Route.CHILD)[child_only]

    response = partner.post(URL, {"answers": answers})

    assert response.status_code == 400
    errors = errors_of(response)
    assert errors["answers.favourite_colour"][0][0] == "unknown-question"
    assert errors[f"answers.{child_only}"][0][0] == "not-applicable"
    assert not Referral.objects.exists()


def test_answers_that_do_not_decide_the_route_are_refused(partner_api):
    partner = partner_api(scopes=["referrals:write"])

    response = partner.post(URL, {"answers": {"nation": "england"}})

    assert response.status_code == 400
    assert "answers.under_18" in errors_of(response)


def test_answers_of_the_wrong_json_type_are_named_not_a_server_error(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    answers = answers_for(partner, Route.ADULT)
    answers.update(consent=["yes"], nation={"name": "england"}, exploitation_types="labour", date_of_birth=19800101)

    response = partner.post(URL, {"answers": answers})

    assert response.status_code == 400
    errors = errors_of(response)
    consent = QUESTIONNAIRE.question("consent")
    assert errors["answers.consent"] == [("invalid", f"{name_of(consent)} must be a string")]
    assert {"answers.consent", "answers.nation", "answers.exploitation_types", "answers.date_of_birth"} <= set(errors)
    assert all(len(messages) == 1 for messages in errors.values())
    assert not Referral.objects.exists()


def test_a_body_without_answers_is_refused_as_a_problem(partner_api):
    partner = partner_api(scopes=["referrals:write"])

    response = partner.post(URL, {"answer": {}})

    assert response.status_code == 400
    assert "answers" in errors_of(response)


def test_a_client_without_the_write_scope_cannot_send(partner_api):
    partner = partner_api(scopes=["referrals:read"])

    response = partner.post(URL, {"answers": answers_for(partner, Route.ADULT)})

    assert response.status_code == 403
    assert not Referral.objects.exists()
    assert partner.get(URL).status_code == 200  # the list on the same path needs only referrals:read


def test_a_client_with_only_the_write_scope_cannot_list(partner_api):
    partner = partner_api(scopes=["referrals:write"])

    assert partner.get(URL).status_code == 403


# --- Idempotency-Key ------------------------------------------------------------------------------------------


def test_a_retried_create_returns_the_first_referral(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    answers = answers_for(partner, Route.ADULT)
    headers = {"HTTP_IDEMPOTENCY_KEY": "3f6d1f0e-retry"}

    first = partner.post(URL, {"answers": answers}, headers=headers)
    again = partner.post(URL, {"answers": dict(reversed(list(answers.items())))}, headers=headers)  # same by value

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert Referral.objects.count() == 1


def test_the_same_key_with_other_answers_is_refused(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    headers = {"HTTP_IDEMPOTENCY_KEY": "one-key"}
    partner.post(URL, {"answers": answers_for(partner, Route.ADULT)}, headers=headers)

    response = partner.post(URL, {"answers": answers_for(partner, Route.ADULT, seed=1)}, headers=headers)

    assert response.status_code == 422
    assert response.json()["type"].endswith("#idempotency-key-reused")
    assert Referral.objects.count() == 1


def test_a_failed_create_keeps_no_key_so_the_corrected_request_is_sent_with_it(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    headers = {"HTTP_IDEMPOTENCY_KEY": "fix-and-retry"}
    answers = answers_for(partner, Route.ADULT)
    broken = {key: value for key, value in answers.items() if key != "nation"}

    assert partner.post(URL, {"answers": broken}, headers=headers).status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert partner.post(URL, {"answers": answers}, headers=headers).status_code == 201


def test_a_key_of_another_client_is_its_own(partner_api):
    one, other = partner_api(scopes=["referrals:write"]), partner_api(scopes=["referrals:write"])
    headers = {"HTTP_IDEMPOTENCY_KEY": "shared-words"}

    first = one.post(URL, {"answers": answers_for(one, Route.ADULT)}, headers=headers)
    second = other.post(URL, {"answers": answers_for(other, Route.ADULT)}, headers=headers)

    assert first.status_code == second.status_code == 201
    assert first.json()["reference"] != second.json()["reference"]


def test_a_key_that_is_too_long_or_not_printable_is_refused(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    answers = answers_for(partner, Route.ADULT)

    for key in ("x" * 256, "tab\there"):
        response = partner.post(URL, {"answers": answers}, headers={"HTTP_IDEMPOTENCY_KEY": key})
        assert response.status_code == 400
        assert response.json()["type"].endswith("#idempotency-key-invalid")
    assert not Referral.objects.exists()


def test_ten_concurrent_retries_of_one_create_send_one_referral(transactional_db, project_data, partner_api):
    partner = partner_api(scopes=["referrals:write"])
    answers = answers_for(partner, Route.ADULT, seed=4)
    retries = 10
    barrier = threading.Barrier(retries)
    responses = []
    errors: list[BaseException] = []

    def send():
        try:
            barrier.wait(timeout=20)
            responses.append(partner.post(URL, {"answers": answers}, headers={"HTTP_IDEMPOTENCY_KEY": "concurrent"}))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(retries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert [response.status_code for response in responses] == [201] * retries
    assert len({response.json()["reference"] for response in responses}) == 1
    assert sum(response.get("Idempotent-Replayed") == "true" for response in responses) == retries - 1
    assert Referral.objects.count() == 1
    assert Case.objects.count() == 1
    assert Draft.objects.count() == 1


# --- evidence -------------------------------------------------------------------------------------------------


def sent(partner, route: Route = Route.ADULT) -> str:
    response = partner.post(URL, {"answers": answers_for(partner, route)})
    assert response.status_code == 201, response.content
    return response.json()["reference"]


def test_evidence_is_added_to_the_referral_and_waits_for_its_virus_scan(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    reference = sent(partner)

    response = partner.post_multipart(
        f"{URL}/{reference}/evidence", {"file": upload(), "description": "Payslips from the car wash"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "statement.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["scan_status"] == ScanStatus.PENDING
    evidence = EvidenceFile.objects.get(pk=body["id"])
    assert evidence.draft == Referral.objects.get(reference=reference).draft  # where the case page reads it
    assert evidence.uploaded_by == partner.user
    assert not evidence.is_downloadable  # nobody downloads it before the scan


def test_a_retried_upload_with_its_key_adds_one_file(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    reference = sent(partner)
    headers = {"HTTP_IDEMPOTENCY_KEY": "upload-1"}

    first = partner.post_multipart(
        f"{URL}/{reference}/evidence", {"file": upload(), "description": "Statement"}, headers=headers
    )
    again = partner.post_multipart(
        f"{URL}/{reference}/evidence", {"file": upload(), "description": "Statement"}, headers=headers
    )

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert EvidenceFile.objects.count() == 1


def test_a_file_that_is_not_what_it_says_or_has_no_description_is_refused_by_field(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    reference = sent(partner)

    fake = partner.post_multipart(
        f"{URL}/{reference}/evidence", {"file": upload("photo.pdf", b"MZ\x90\x00 not a pdf"), "description": "A"}
    )
    undescribed = partner.post_multipart(f"{URL}/{reference}/evidence", {"file": upload(), "description": " "})

    assert fake.status_code == 400
    assert list(errors_of(fake)) == ["file"]
    assert undescribed.status_code == 400
    assert errors_of(undescribed)["description"] == [("invalid", "Enter a description of the file")]
    assert not EvidenceFile.objects.exists()


def test_evidence_for_another_organisations_referral_is_not_found(partner_api):
    owner, stranger = partner_api(scopes=["referrals:write"]), partner_api(scopes=["referrals:write"])
    reference = sent(owner)

    response = stranger.post_multipart(f"{URL}/{reference}/evidence", {"file": upload(), "description": "Statement"})

    assert response.status_code == 404
    assert not EvidenceFile.objects.exists()


def test_evidence_after_the_window_is_refused_with_a_conflict_that_says_why(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    reference = sent(partner)
    Referral.objects.filter(reference=reference).update(submitted_at=timezone.now() - timedelta(hours=25))

    response = partner.post_multipart(f"{URL}/{reference}/evidence", {"file": upload(), "description": "Statement"})

    assert response.status_code == 409
    assert response.json()["type"].endswith("#evidence-not-accepted")
    assert "24 hours" in response.json()["detail"]
    assert not EvidenceFile.objects.exists()


def test_a_referral_sent_from_the_web_takes_no_evidence_through_the_api(partner_api):
    partner = partner_api(scopes=["referrals:write"])
    responder = UserFactory(role=Role.FIRST_RESPONDER, organisation=partner.organisation)
    referral = referral_submit(draft_id=complete_draft(responder, Route.DUTY_TO_NOTIFY).pk, actor=responder)

    response = partner.post_multipart(
        f"{URL}/{referral.reference}/evidence", {"file": upload(), "description": "Statement"}
    )

    assert response.status_code == 409
    assert not EvidenceFile.objects.exists()


@pytest.fixture
def stored_uploads(transactional_db, project_data):
    yield
    for row in EvidenceFile.objects.all():
        storages["private"].delete(row.file.name)
        if row.quarantined_as:
            storages["quarantine"].delete(row.quarantined_as)


@pytest.mark.worker
def test_an_uploaded_file_is_scanned_by_the_real_scanner_and_an_infected_one_is_never_downloadable(
    stored_uploads, celery_worker_process, clamd, partner_api
):
    partner = partner_api(scopes=["referrals:write"])
    reference = sent(partner)

    clean = partner.post_multipart(f"{URL}/{reference}/evidence", {"file": upload("clean.pdf"), "description": "A"})
    infected = partner.post_multipart(
        f"{URL}/{reference}/evidence", {"file": upload("payslip.pdf", pdf_carrying_eicar()), "description": "B"}
    )

    assert clean.status_code == infected.status_code == 201
    for response in (clean, infected):
        celery_worker_process.wait_until(scanned(EvidenceFile, response.json()["id"]), timeout=SCAN_TIMEOUT)
    assert EvidenceFile.objects.get(pk=clean.json()["id"]).scan_status == ScanStatus.CLEAN
    bad = EvidenceFile.objects.get(pk=infected.json()["id"])
    assert bad.scan_status == ScanStatus.INFECTED
    assert not bad.is_downloadable
