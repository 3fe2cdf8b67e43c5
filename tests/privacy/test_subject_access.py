import io
import json
import zipfile

import pytest
from django.urls import reverse

from accounts.roles import Role
from casework.models import AccessLogEntry
from common.virus_scan import ScanStatus
from privacy.models import SubjectAccessExport
from privacy.services import ExportNotPermitted, subject_access_export
from referrals.models import EvidenceFile
from tests.casework.factories import DutyToNotifyReferralFactory
from tests.factories import UserFactory
from tests.privacy.conftest import PDF, person_with_everything
from tests.uploads.helpers import mark_scanned_clean

pytestmark = pytest.mark.django_db

URL = "privacy:subject_access"


@pytest.fixture
def people(authority_staff, private_files):
    caseworker, manager = authority_staff
    people = (
        person_with_everything("Jane Doe", caseworker=caseworker, manager=manager, storage=private_files),
        person_with_everything("Omar Other", caseworker=caseworker, manager=manager, storage=private_files),
    )
    mark_scanned_clean()
    return people


@pytest.fixture
def officer_client(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    officer = UserFactory(role=Role.DATA_PROTECTION, organisation=None, is_staff=False, is_superuser=False)
    client.force_login(officer)
    client.user = officer
    return client


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_export_holds_each_kind_of_data_about_the_person_and_nothing_of_another(people, officer_client):
    jane, omar = people
    response = officer_client.post(reverse(URL), {"reference": jane.case.reference.lower()})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="subject-access-{jane.case.reference}.zip"' in response["Content-Disposition"]
    files = unzip(b"".join(response.streaming_content))
    summary = json.loads(files["summary.json"])
    referral, case = summary["referral"], summary["case"]
    answers = {row["question"]: row["answer"] for row in referral["answers"]}
    assert "Jane" in answers.values()
    assert "Doe" in answers.values()
    assert any(jane.marker in answer for answer in answers.values())
    assert referral["home_office_reference"] == "A1234567"
    assert summary["evidence"][0]["description"].endswith(f"({jane.marker})")
    assert jane.marker in case["information_requests"][0]["question"]
    assert jane.marker in case["information_requests"][0]["answer"]
    assert len(case["information_requests"][0]["files"]) == 2
    assert jane.marker in case["decisions"][0]["reasons"]
    assert case["decisions"][0]["letter"].startswith("letters/")
    assert jane.marker in case["reconsiderations"][0]["details"]
    assert jane.marker in case["reconsiderations"][0]["decision_reasons"]
    assert len(case["reconsiderations"][0]["files"]) == 1
    assert jane.marker in case["notes"][0]["text"]
    assert "Case opened" in [event["event"] for event in case["timeline"]]
    assert [entry["what"] for entry in case["access_log"]] == ["Case page", "Subject access export"]
    # Staff appear by role and organisation, never by name or address.
    assert case["access_log"][0]["by"].startswith("Caseworker, ")
    # Every file: the evidence, two files of the request, the reconsideration's, the letter.
    stored = [name for name in files if name not in ("summary.json", "summary.html")]
    assert len(stored) == 5
    assert files[case["decisions"][0]["letter"]].startswith(b"%PDF")
    assert files[summary["evidence"][0]["file"]] == PDF
    html = files["summary.html"].decode()
    assert jane.marker in html
    assert "<script" not in html
    for content in files.values():
        assert omar.marker.encode() not in content
        assert b"Omar" not in content
        assert omar.case.reference.encode() not in content


def test_the_export_is_written_to_the_access_log_and_its_own_history(people, officer_client):
    jane, _ = people
    officer_client.post(reverse(URL), {"reference": jane.case.reference})

    entry = AccessLogEntry.objects.filter(what=AccessLogEntry.What.SUBJECT_ACCESS).get()
    assert (entry.case, entry.user) == (jane.case, officer_client.user)
    export = SubjectAccessExport.objects.get()
    assert (export.reference, export.referral, export.exported_by) == (
        jane.case.reference,
        jane.referral,
        officer_client.user,
    )
    assert export.file_count == 5
    assert export.history.count() >= 1


def test_the_download_is_never_cached_and_the_reference_never_travels_in_the_address(people, officer_client):
    jane, _ = people
    response = officer_client.post(reverse(URL), {"reference": jane.case.reference})
    assert "no-store" in response["Cache-Control"]
    assert jane.case.reference not in reverse(URL)
    page = officer_client.get(reverse(URL), {"reference": jane.case.reference})
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "no-store" in page["Cache-Control"]
    assert SubjectAccessExport.objects.count() == 1  # the POST's; a reference in the address exports nothing


def test_a_duty_to_notify_report_is_exported_without_a_case(officer_client):
    report = DutyToNotifyReferralFactory(answers={"nation": "wales", "no_consent_reason": "Afraid of reprisals"})
    response = officer_client.post(reverse(URL), {"reference": report.reference})
    summary = json.loads(unzip(b"".join(response.streaming_content))["summary.json"])
    assert summary["case"] is None
    assert "Afraid of reprisals" in [row["answer"] for row in summary["referral"]["answers"]]
    assert SubjectAccessExport.objects.get().referral == report


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("", "Enter the referral or case reference"),
        ("NRM-2026-999999", "There is no referral or case with this reference"),
        ("NRM-2026-00\x0042", "Null characters are not allowed."),
        ("NRM-²⁰²⁶-1", "Enter a reference like NRM-2026-004217"),
        ("x" * 41, "Ensure this value has at most 40 characters (it has 41)."),
    ],
)
def test_a_reference_that_finds_no_one_is_a_form_error_with_what_was_typed_kept(officer_client, reference, message):
    response = officer_client.post(reverse(URL), {"reference": reference})
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert not SubjectAccessExport.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.FIRST_RESPONDER,
        Role.ORGANISATION_ADMIN,
        Role.CASEWORKER,
        Role.MANAGER,
        Role.PANEL_CHAIR,
        Role.PANEL_MEMBER,
        Role.SUPPORT_PROVIDER,
        Role.ANALYST,
    ],
)
def test_no_one_but_the_data_protection_officer_and_admins_may_export(people, client, settings, role):
    settings.NRM_REQUIRE_STAFF_MFA = False
    jane, _ = people
    client.force_login(UserFactory(role=role))
    assert client.get(reverse(URL)).status_code == 404
    assert client.post(reverse(URL), {"reference": jane.case.reference}).status_code == 404
    assert not SubjectAccessExport.objects.exists()
    assert not AccessLogEntry.objects.filter(what=AccessLogEntry.What.SUBJECT_ACCESS).exists()
    with pytest.raises(ExportNotPermitted):
        subject_access_export(reference=jane.case.reference, actor=UserFactory(role=role))


def test_an_administrator_may_export(people, client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    jane, _ = people
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=False))
    response = client.post(reverse(URL), {"reference": jane.case.reference})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.post(reverse(URL), {"reference": "NRM-2026-000001"})
    assert response.status_code == 302
    assert "NRM-2026" not in response["Location"]


def test_the_data_protection_officer_lands_on_the_export_page(officer_client):
    response = officer_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(URL)


def test_a_post_with_no_fields_at_all_is_a_form_error(officer_client):
    response = officer_client.post(reverse(URL), {})
    assert response.status_code == 400
    assert "Enter the referral or case reference" in response.content.decode()


@pytest.mark.parametrize("status", [ScanStatus.PENDING, ScanStatus.INFECTED])
def test_a_file_not_found_clean_is_listed_with_its_status_but_never_put_in_the_export(people, officer_client, status):
    jane, _ = people
    EvidenceFile.objects.filter(draft__referral=jane.case.referral).update(scan_status=status)
    response = officer_client.post(reverse(URL), {"reference": jane.case.reference})

    files = unzip(b"".join(response.streaming_content))
    evidence = json.loads(files["summary.json"])["evidence"][0]
    assert evidence["file"] is None
    assert evidence["scan_status"] == status.label
    assert not [name for name in files if name.startswith("evidence/")]
    assert len([name for name in files if name not in ("summary.json", "summary.html")]) == 4
