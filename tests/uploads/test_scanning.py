"""Malware scanning with the REAL ClamAV daemon (tests/fixtures/clamd.py, a local signature for the EICAR test
file) and a real Celery worker: an infected upload is quarantined, never downloadable, and its uploader and a
manager are told; a clean one becomes downloadable; while the scanner is down files stay pending and are
scanned once it is back."""

import subprocess
import sys

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from casework.models import Case, CaseFile
from casework.services import information_request_answer
from common import scanner_daemon
from common.virus_scan import NOT_SCANNED_NOTE, ScanStatus, configuration_problem, scanner_reachable_check
from notifications.models import Notification
from referrals.models import EvidenceFile, Referral, Route
from referrals.services import draft_create, draft_save_page, evidence_add, evidence_remove, referral_submit
from referrals.services.scanning import evidence_scan
from referrals.services.submission import InfectedEvidence
from tests.casework.factories import case_in_state
from tests.casework.test_responder import ask, manager_of_sca, responder_of
from tests.factories import UserFactory
from tests.uploads.hostile_files import PDF_BYTES

SCAN_TIMEOUT = 60


def pdf_carrying_eicar() -> bytes:
    """An ordinary-looking PDF (it passes every upload check) with the EICAR test string in a stream."""
    eicar = scanner_daemon.eicar()
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Length " + str(len(eicar)).encode() + b" >>\nstream\n" + eicar
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )  # fmt: skip


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def stored_uploads(transactional_db, project_data, settings):
    """Files the worker must read are in the shared private storage: removed again after the test (before the
    database is flushed)."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    yield
    for model in (EvidenceFile, CaseFile):
        for row in model.objects.all():
            storages["private"].delete(row.file.name)
            if row.quarantined_as:
                storages["quarantine"].delete(row.quarantined_as)


def child_draft(responder):
    draft = draft_create(actor=responder)
    draft, _ = draft_save_page(
        draft_id=draft.pk, actor=responder, page_slug="under-18", page_answers={"under_18": "yes"}, expected_version=1
    )
    return draft


def status_of(model, pk) -> str:
    return model.objects.values_list("scan_status", flat=True).get(pk=pk)


def scanned(model, pk):
    return lambda: status_of(model, pk) != ScanStatus.PENDING


@pytest.mark.worker
def test_an_eicar_file_is_found_infected_quarantined_never_downloadable_and_the_uploader_and_managers_are_told(
    stored_uploads, celery_worker_process, clamd, client
):
    celery_worker_process.clear_mail()
    case = case_in_state(Case.Status.AWAITING_RG)
    manager = manager_of_sca()
    information_request = ask(case, actor=manager)
    responder = responder_of(case)
    content = pdf_carrying_eicar()
    information_request_answer(
        request_id=information_request.pk,
        actor=responder,
        answer="The statement is attached.",
        uploaded_files=[upload("statement of Jane Doe.pdf", content)],
    )
    case_file = CaseFile.objects.get(is_answer=True)
    assert case_file.scan_status == ScanStatus.PENDING

    celery_worker_process.wait_until(scanned(CaseFile, case_file.pk), timeout=SCAN_TIMEOUT)
    case_file.refresh_from_db()
    assert case_file.scan_status == ScanStatus.INFECTED
    assert case_file.scan_result.startswith(scanner_daemon.SIGNATURE_NAME)
    assert case_file.scanned_at is not None
    # Quarantined: gone from the private storage, kept byte for byte where nothing serves it.
    celery_worker_process.wait_until(lambda: not storages["private"].exists(case_file.file.name))
    with storages["quarantine"].open(case_file.quarantined_as, "rb") as quarantined:
        assert quarantined.read() == content
    assert case_file.history.filter(scan_status=ScanStatus.INFECTED).exists()

    told = Notification.objects.filter(kind=Notification.Kind.UPLOAD_INFECTED, reference=case.reference)
    assert {notification.recipient_id for notification in told} >= {responder.pk, manager.pk}
    emails = celery_worker_process.wait_until(
        lambda: [m for m in celery_worker_process.messages() if case.reference in m.get_body().get_content()]
    )
    assert all("Jane Doe" not in message.as_string() for message in emails)

    for user in (manager, responder):
        client.force_login(user)
        response = client.get(reverse("casework:file", args=[case_file.pk]))
        assert response.status_code == 410
        assert "This file has been removed" in response.text
        assert "Content-Disposition" not in response
    page = client.get(reverse("referrals:detail", args=[case.reference]))
    assert "Infected: removed" in page.text
    assert reverse("casework:file", args=[case_file.pk]) not in page.text


@pytest.mark.worker
def test_a_clean_file_is_scanned_clean_and_can_then_be_downloaded(stored_uploads, celery_worker_process, clamd, client):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = child_draft(responder)
    evidence = evidence_add(
        draft_id=draft.pk, actor=responder, uploaded_file=upload("statement.pdf", PDF_BYTES), description="Statement"
    )
    client.force_login(responder)
    download = reverse("referrals:evidence_download", args=[evidence.pk])

    celery_worker_process.wait_until(scanned(EvidenceFile, evidence.pk), timeout=SCAN_TIMEOUT)
    assert status_of(EvidenceFile, evidence.pk) == ScanStatus.CLEAN
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    page = client.get(reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "evidence"}))
    assert f'href="{download}"' in page.text
    assert "Being checked for viruses" not in page.text


@pytest.mark.worker
def test_while_the_scanner_is_down_a_file_stays_pending_and_undownloadable_and_is_scanned_once_it_is_back(
    stored_uploads, celery_worker_process, clamd, client
):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = child_draft(responder)
    clamd.stop()
    try:
        evidence = evidence_add(
            draft_id=draft.pk,
            actor=responder,
            uploaded_file=upload("statement.pdf", PDF_BYTES),
            description="Statement",
        )
        # The task ran and is retrying: the worker's log says so.
        celery_worker_process.wait_until(lambda: "Retry in" in celery_worker_process.log(), timeout=SCAN_TIMEOUT)
        assert status_of(EvidenceFile, evidence.pk) == ScanStatus.PENDING
        client.force_login(responder)
        download = reverse("referrals:evidence_download", args=[evidence.pk])
        response = client.get(download)
        assert response.status_code == 409
        assert "This file is being checked for viruses" in response.text
        page = client.get(reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "evidence"}))
        assert "Being checked for viruses" in page.text
        assert f'href="{download}"' not in page.text
    finally:
        clamd.start()
    celery_worker_process.wait_until(scanned(EvidenceFile, evidence.pk), timeout=SCAN_TIMEOUT)
    assert status_of(EvidenceFile, evidence.pk) == ScanStatus.CLEAN
    assert client.get(download).status_code == 200


@pytest.mark.django_db
def test_a_scanned_file_is_not_scanned_again(settings, tmp_path):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = child_draft(responder)
    evidence = EvidenceFile.objects.create(
        draft=draft,
        original_name="a.pdf",
        content_type="application/pdf",
        size=1,
        description="A",
        uploaded_by=responder,
        file="evidence/missing",
        scan_status=ScanStatus.INFECTED,
        quarantined_as="evidence/missing",
    )
    settings.CLAMD_SOCKET = str(tmp_path / "no-such.sock")  # a scan would raise ScannerUnavailable
    assert evidence_scan(evidence_id=evidence.pk) == ScanStatus.INFECTED
    assert evidence_scan(evidence_id=evidence.pk + 1000) is None


@pytest.mark.django_db
def test_in_demo_mode_without_a_scanner_files_are_marked_clean_and_shown_as_not_scanned(
    settings, tmp_path, client, monkeypatch
):
    settings.CLAMD_ENABLED = False
    monkeypatch.setattr(EvidenceFile._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = child_draft(responder)
    evidence = EvidenceFile(
        draft=draft,
        original_name="a.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        description="A",
        uploaded_by=responder,
    )
    evidence.file.save("evidence", upload("a.pdf", PDF_BYTES), save=False)
    evidence.save()
    assert evidence_scan(evidence_id=evidence.pk) == ScanStatus.CLEAN
    evidence.refresh_from_db()
    assert evidence.scan_result == NOT_SCANNED_NOTE
    client.force_login(responder)
    page = client.get(reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "evidence"}))
    assert "Not scanned for viruses" in page.text


@pytest.mark.parametrize(
    ("demo", "enabled", "socket", "host", "refused"),
    [
        (False, True, "", "", True),
        (False, False, "/run/clamd.sock", "", True),
        (False, True, "/run/clamd.sock", "", False),
        (False, True, "", "clamav.internal", False),
        (True, False, "", "", False),
    ],
)
def test_outside_demo_mode_a_missing_or_disabled_scanner_is_a_configuration_error(demo, enabled, socket, host, refused):
    problem = configuration_problem(demo=demo, enabled=enabled, socket=socket, host=host)
    assert bool(problem) is refused


def test_a_process_outside_demo_mode_without_a_scanner_refuses_to_start(tmp_path):
    from django.conf import settings

    environment = {
        "PATH": "/usr/bin:/bin",
        "NRM_DOTENV": "",
        "SECRET_KEY": "x" * 50,
        "NRM_DEMO": "false",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set CLAMD_SOCKET or CLAMD_HOST" in result.stderr


def _evidence_on(draft, status: ScanStatus) -> EvidenceFile:
    return EvidenceFile.objects.create(
        draft=draft,
        original_name="statement.pdf",
        content_type="application/pdf",
        size=10,
        description="Statement",
        uploaded_by=draft.created_by,
        file="evidence/not-stored",
        scan_status=status,
    )


@pytest.mark.django_db
def test_a_referral_with_infected_evidence_is_not_sent_until_the_file_is_removed(client, settings):
    from tests.referrals.test_submission import complete_draft, send

    settings.NRM_REQUIRE_STAFF_MFA = False
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = complete_draft(responder, Route.CHILD)
    infected = _evidence_on(draft, ScanStatus.INFECTED)
    client.force_login(responder)
    response = send(client, draft)
    assert response.status_code == 200
    assert "A file you added contained a virus and has been removed" in response.text
    assert reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "evidence"}) in response.text
    assert not Referral.objects.exists()
    with pytest.raises(InfectedEvidence):
        referral_submit(draft_id=draft.pk, actor=responder)

    evidence_remove(evidence_id=infected.pk, actor=responder)
    referral_submit(draft_id=draft.pk, actor=responder)
    assert Referral.objects.filter(draft=draft).exists()


@pytest.mark.django_db
def test_a_referral_whose_evidence_is_still_being_checked_can_be_sent(settings):
    from tests.referrals.test_submission import complete_draft

    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = complete_draft(responder, Route.CHILD)
    _evidence_on(draft, ScanStatus.PENDING)
    referral = referral_submit(draft_id=draft.pk, actor=responder)
    assert referral.draft.evidence.get().scan_status == ScanStatus.PENDING  # the caseworker waits for the scan


@pytest.mark.django_db
def test_outside_demo_mode_a_scanner_that_does_not_answer_fails_the_system_check(settings, tmp_path):
    settings.NRM_DEMO = False
    settings.CLAMD_SOCKET = str(tmp_path / "nothing-here.sock")
    errors = scanner_reachable_check()
    assert [error.id for error in errors] == ["uploads.E001"]
    settings.NRM_DEMO = True
    assert scanner_reachable_check() == []


@pytest.mark.django_db
def test_the_demo_referrals_evidence_is_clean_and_downloadable(client, tmp_path, monkeypatch, mailoutbox):
    from accounts import demo as accounts_demo
    from referrals import demo

    monkeypatch.setattr(EvidenceFile._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    accounts_demo.seed()
    demo.seed()
    evidence = list(EvidenceFile.objects.select_related("draft__referral"))
    assert evidence
    assert {item.scan_status for item in evidence} == {ScanStatus.CLEAN}
    assert all(item.draft.referral.route != Route.DUTY_TO_NOTIFY for item in evidence)
    client.force_login(evidence[0].uploaded_by)
    response = client.get(reverse("referrals:evidence_download", args=[evidence[0].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == demo.DEMO_EVIDENCE_PDF


@pytest.mark.django_db
def test_the_sweep_queues_again_only_the_files_still_pending_after_a_while(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from referrals.services import scanning

    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = child_draft(responder)
    old, _young, done = (_evidence_on(draft, status) for status in (ScanStatus.PENDING,) * 2 + (ScanStatus.CLEAN,))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    EvidenceFile.objects.filter(pk__in=[old.pk, done.pk]).update(uploaded_at=an_hour_ago)
    queued = []
    monkeypatch.setattr(scanning, "evidence_queue_scan", lambda *, evidence_id: queued.append(evidence_id) or True)
    assert scanning.evidence_sweep_pending() == 1
    assert queued == [old.pk]


def test_without_clamd_installed_the_scanner_process_says_plainly_that_uploads_are_not_scanned(monkeypatch, capsys):
    monkeypatch.setattr(scanner_daemon, "clamd_executable", lambda: None)
    monkeypatch.setattr(scanner_daemon.signal, "pause", lambda: None)  # supervisord's program would wait here
    assert scanner_daemon.main(["scanner_daemon", "run"]) == 0
    assert "uploads are NOT scanned for viruses" in capsys.readouterr().out


@pytest.mark.django_db
def test_evidence_found_infected_after_sending_tells_its_uploader_the_organisations_administrators_and_the_managers(
    clamd, settings, tmp_path, monkeypatch
):
    """In this process, with the real clamd: the rule for evidence, whose referral may already be with a case."""
    settings.STORAGES = {
        **settings.STORAGES,
        "quarantine": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    monkeypatch.setattr(EvidenceFile._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "p"))
    case = case_in_state(Case.Status.AWAITING_RG)
    referral = case.referral
    uploader = referral.submitted_by
    administrator = UserFactory(role=Role.ORGANISATION_ADMIN, organisation=referral.organisation)
    manager = manager_of_sca()
    evidence = EvidenceFile(
        draft=referral.draft,
        original_name="statement of Jane Doe.pdf",
        content_type="application/pdf",
        size=100,
        description="Statement",
        uploaded_by=uploader,
    )
    evidence.file.save("evidence", upload("x.pdf", pdf_carrying_eicar()), save=False)
    evidence.save()

    assert evidence_scan(evidence_id=evidence.pk) == ScanStatus.INFECTED
    told = Notification.objects.filter(kind=Notification.Kind.UPLOAD_INFECTED)
    assert {n.recipient_id for n in told} >= {uploader.pk, administrator.pk, manager.pk}
    assert {n.reference for n in told} == {referral.reference}
    evidence.refresh_from_db()
    assert (tmp_path / evidence.quarantined_as).read_bytes() == pdf_carrying_eicar()
