"""Files in an S3-compatible object store (S3_BUCKET; common.storage), against a real S3 server this run starts
itself (moto's, tests/fixtures/s3.py) and the real ClamAV daemon: evidence uploaded, scanned clean or infected
(quarantined across storages), downloaded only by those allowed; a letter rendered into the store and downloaded;
a case file; retention deleting the objects; a subject access export reading them. Every object is private and
encrypted at rest, each kind under its own prefix."""

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from storages.backends.s3 import S3Storage

from accounts.roles import Role
from casework.letters import letter_pdf
from casework.models import Case, CaseFile, Letter
from casework.services.scanning import case_file_scan
from common import scanner_daemon
from common.storage import s3_storages
from common.virus_scan import ScanStatus
from privacy.models import RetentionPolicy
from privacy.services import retention_apply
from referrals.models import EvidenceFile
from referrals.services import draft_create, draft_save_page, evidence_add
from referrals.services.scanning import evidence_scan
from tests.casework.factories import case_in_state
from tests.casework.test_letters import adult_answers, served_letter, text_of
from tests.casework.test_responder import ask, responder_of
from tests.factories import UserFactory
from tests.fixtures.s3 import CREDENTIALS, REGION
from tests.privacy.conftest import PDF, age_case, person_with_everything
from tests.uploads.helpers import mark_scanned_clean
from tests.uploads.hostile_files import PDF_BYTES
from tests.uploads.test_scanning import pdf_carrying_eicar

pytestmark = pytest.mark.django_db

EVERYONE = {
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}


@pytest.fixture(autouse=True)
def _staff_without_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def child_draft(responder):
    draft = draft_create(actor=responder)
    draft, _ = draft_save_page(
        draft_id=draft.pk, actor=responder, page_slug="under-18", page_answers={"under_18": "yes"}, expected_version=1
    )
    return draft


def assert_private_and_encrypted(object_store, key: str) -> None:
    assert object_store.head(key)["ServerSideEncryption"] == "AES256"
    grants = object_store.grants(key)
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner's, nobody else's
    assert not {grant["Grantee"].get("URI") for grant in grants} & EVERYONE


def test_evidence_goes_to_the_bucket_is_scanned_there_and_downloaded_only_by_its_organisation(
    object_store, clamd, client
):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    colleague = UserFactory(role=Role.FIRST_RESPONDER, organisation=responder.organisation)
    evidence = evidence_add(
        draft_id=child_draft(responder).pk,
        actor=responder,
        uploaded_file=upload("statement.pdf", PDF_BYTES),
        description="Statement",
    )

    # The model's field follows the configured storage (it is not the file system it was made with).
    assert isinstance(EvidenceFile._meta.get_field("file").storage, S3Storage)
    key = f"private/{evidence.file.name}"
    assert object_store.keys() == [key]
    assert object_store.read(key) == PDF_BYTES
    assert_private_and_encrypted(object_store, key)

    assert evidence_scan(evidence_id=evidence.pk) == ScanStatus.CLEAN  # clamd read the object from the bucket
    url = reverse("referrals:evidence_download", args=[evidence.pk])
    client.force_login(colleague)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))  # another organisation
    assert client.get(url).status_code == 404


def test_an_infected_upload_is_moved_to_the_quarantine_prefix_and_never_downloaded(
    object_store, clamd, client, django_capture_on_commit_callbacks
):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    content = pdf_carrying_eicar()
    evidence = evidence_add(
        draft_id=child_draft(responder).pk,
        actor=responder,
        uploaded_file=upload("statement.pdf", content),
        description="Statement",
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert evidence_scan(evidence_id=evidence.pk) == ScanStatus.INFECTED

    evidence.refresh_from_db()
    assert evidence.scan_result.startswith(scanner_daemon.SIGNATURE_NAME)
    assert object_store.keys("private/") == []
    quarantined = f"quarantine/{evidence.quarantined_as}"
    assert object_store.keys("quarantine/") == [quarantined]
    assert object_store.read(quarantined) == content
    assert_private_and_encrypted(object_store, quarantined)
    client.force_login(responder)
    response = client.get(reverse("referrals:evidence_download", args=[evidence.pk]))
    assert response.status_code == 410
    assert "Content-Disposition" not in response


def test_while_an_object_is_missing_the_scan_waits_and_the_download_is_not_found(object_store, clamd, client):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    evidence = evidence_add(
        draft_id=child_draft(responder).pk,
        actor=responder,
        uploaded_file=upload("statement.pdf", PDF_BYTES),
        description="Statement",
    )
    storages["private"].delete(evidence.file.name)
    assert evidence_scan(evidence_id=evidence.pk) == ScanStatus.PENDING

    mark_scanned_clean()
    client.force_login(responder)
    assert client.get(reverse("referrals:evidence_download", args=[evidence.pk])).status_code == 404


def test_a_case_file_is_stored_in_the_bucket_scanned_and_downloaded_by_the_referrer(object_store, clamd, client):
    case = case_in_state(Case.Status.AWAITING_RG)
    case_file = ask(case, files=[upload("questions.pdf", PDF_BYTES)]).files.get()
    key = f"private/{case_file.file.name}"
    assert object_store.keys() == [key]
    assert_private_and_encrypted(object_store, key)

    assert case_file_scan(case_file_id=case_file.pk) == ScanStatus.CLEAN
    client.force_login(responder_of(case))
    response = client.get(reverse("casework:file", args=[case_file.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))
    assert client.get(reverse("casework:file", args=[case_file.pk])).status_code == 404


def test_a_letter_is_rendered_into_the_bucket_once_downloaded_from_it_and_rendered_again_if_lost(object_store, client):
    case = case_in_state(Case.Status.RECOVERY, answers=adult_answers())
    letter = served_letter(case, "rg")
    client.force_login(responder_of(case))
    url = reverse("casework:letter", args=[letter.pk])

    first = client.get(url)
    assert first.status_code == 200
    assert case.reference in text_of(first.content)
    letter.refresh_from_db()
    key = f"private/{letter.file.name}"
    assert object_store.keys() == [key]
    assert object_store.read(key) == first.content
    assert_private_and_encrypted(object_store, key)

    again = client.get(url)
    assert again.content == first.content
    assert Letter.objects.get(pk=letter.pk).rendered_at == letter.rendered_at  # read back, not rendered again

    storages["private"].delete(letter.file.name)
    assert letter_pdf(letter).startswith(b"%PDF")
    assert object_store.keys() == [f"private/{Letter.objects.get(pk=letter.pk).file.name}"]


def test_retention_deletes_every_object_of_a_deleted_case_and_its_quarantined_copies(
    object_store, project_data, django_capture_on_commit_callbacks
):
    from casework.services import single_competent_authority

    sca = single_competent_authority()
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=sca)
    manager = UserFactory(role=Role.MANAGER, organisation=sca)
    jane = person_with_everything("Jane Doe", caseworker=caseworker, manager=manager, storage=None)
    age_case(jane.case)
    quarantine = storages["quarantine"]
    for rows in (EvidenceFile.objects.filter(draft=jane.referral.draft), CaseFile.objects.filter(case=jane.case)):
        row = rows.first()
        name = quarantine.save(f"infected/{row.file.name}", ContentFile(scanner_daemon.eicar()))
        rows.filter(pk=row.pk).update(scan_status=ScanStatus.INFECTED, quarantined_as=name)
    # Evidence, two request files, a reconsideration file and the letter; two quarantined copies.
    assert len(object_store.keys("private/")) == 5
    assert len(object_store.keys("quarantine/")) == 2
    RetentionPolicy.objects.filter(pk=RetentionPolicy.current().pk).update(
        closed_case_action=RetentionPolicy.Action.DELETE
    )

    with django_capture_on_commit_callbacks(execute=True):
        outcome = retention_apply()

    assert outcome.references["cases_deleted"] == [jane.case.reference]
    assert object_store.keys() == []


def test_a_subject_access_export_holds_the_evidence_read_from_the_bucket(object_store, project_data, client):
    from casework.services import single_competent_authority

    sca = single_competent_authority()
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=sca)
    manager = UserFactory(role=Role.MANAGER, organisation=sca)
    jane = person_with_everything("Jane Doe", caseworker=caseworker, manager=manager, storage=None)
    mark_scanned_clean()
    letter = Letter.objects.get(decision__case=jane.case)
    stored_letter = object_store.read(f"private/{letter.file.name}")
    client.force_login(UserFactory(role=Role.DATA_PROTECTION, organisation=None))

    response = client.post(reverse("privacy:subject_access"), {"reference": jane.case.reference})

    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    summary = json.loads(files["summary.json"])
    assert summary["reference"] == jane.case.reference
    contents = [content for name, content in files.items() if not name.startswith("summary.")]
    assert contents.count(PDF) == 4  # the evidence and the three case files, from the bucket
    assert stored_letter in contents
    assert object_store.keys("private/") != []  # an export reads; it stores nothing


def test_two_kinds_of_file_may_not_share_objects_in_one_bucket():
    with pytest.raises(ImproperlyConfigured, match="private and quarantine"):
        s3_storages(bucket="nrm", prefixes={"private": "files", "quarantine": "files/quarantine"})
    with pytest.raises(ImproperlyConfigured):
        s3_storages(bucket="nrm", prefixes={"private": "", "quarantine": "quarantine"})
    with pytest.raises(ImproperlyConfigured, match="S3_SERVER_SIDE_ENCRYPTION"):
        s3_storages(bucket="nrm", prefixes={"private": "private"}, server_side_encryption="rot13")
    separate = s3_storages(
        bucket="nrm", buckets={"quarantine": "nrm-quarantine"}, prefixes={"private": "files", "quarantine": "files"}
    )
    assert separate["quarantine"]["OPTIONS"]["bucket_name"] == "nrm-quarantine"


def test_the_settings_put_files_in_the_bucket_named_by_the_environment(s3_server, settings):
    """The environment a deployment sets (docs/configuration.md), read by nrm/settings.py in a fresh process that
    then stores and reads back a file: no test override in between."""
    bucket = "nrm-settings-test"
    s3_server.client().create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    environment = {
        **os.environ,
        **CREDENTIALS,
        "DJANGO_SETTINGS_MODULE": "nrm.settings",
        "S3_BUCKET": bucket,
        "S3_QUARANTINE_BUCKET": "",
        "S3_ENDPOINT_URL": s3_server.endpoint_url,
        "S3_REGION": REGION,
        "S3_PRIVATE_PREFIX": "people",
        "S3_SERVER_SIDE_ENCRYPTION": "aws:kms",
    }
    script = (
        "import django; django.setup()\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import storages\n"
        "from referrals.models import EvidenceFile\n"
        "storage = EvidenceFile._meta.get_field('file').storage\n"
        "name = storage.save('evidence/x', ContentFile(b'statement'))\n"
        "print(type(storages['private']).__name__, type(storages['quarantine']).__name__, name)\n"
        "print(storage.open(name).read().decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[:2] == ["S3Storage S3Storage evidence/x", "statement"]
    client = s3_server.client()
    assert [item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]] == ["people/evidence/x"]
    assert client.head_object(Bucket=bucket, Key="people/evidence/x")["ServerSideEncryption"] == "aws:kms"
