"""The upload checks shared by referral evidence and case files (`common.upload_safety`, through
`evidence_check_file`): ordinary files accepted; macros, zip bombs, huge images and polyglots refused, each with
its own message, on the evidence page and on the answer to an information request, with what was typed kept."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from casework.models import Case, CaseFile, Letter
from common.downloads import EvidenceRejected, evidence_check_file
from common.evidence_types import DOC, DOCX, JPG, PDF, PNG
from common.upload_safety import (
    IMAGE_SIZE_MESSAGE,
    MACROS_MESSAGE,
    PDF_NOT_AT_START_MESSAGE,
    UNCOMPRESSED_MESSAGE,
    UNREADABLE_DOC_MESSAGE,
    polyglot_message,
)
from referrals.models import EvidenceFile
from referrals.services import draft_create, draft_save_page
from tests.casework.factories import case_in_state
from tests.casework.test_responder import answer_url, ask, responder_of
from tests.factories import UserFactory
from tests.uploads import hostile_files as files

pytestmark = pytest.mark.django_db

ACCEPTED = [
    ("statement.pdf", files.PDF_BYTES, PDF),
    ("notes.docx", files.docx_bytes(), DOCX),
    ("notes.docx", files.docx_bytes(**{"word/media/image1.png": files.image_bytes("PNG")}), DOCX),
    ("notes.doc", files.ole_document(), DOC),
    ("photo.jpg", files.image_bytes("JPEG", (4000, 3000)), JPG),
    ("scan.png", files.image_bytes("PNG", (2480, 3508)), PNG),  # an A4 page scanned at 300 dpi
    ("photo.jpg", files.jpeg_header_of_size(8000, 6000), JPG),  # a 48-megapixel phone camera
]

REFUSED = [
    ("a DOCX with vbaProject.bin", "notes.docx", files.docx_with_vba_project(), MACROS_MESSAGE),
    ("a DOCM renamed DOCX", "notes.docx", files.docx_with_macro_enabled_content_type(), MACROS_MESSAGE),
    (
        "a DOCX embedding a macro-enabled document",
        "notes.docx",
        files.docx_bytes(**{"word/embeddings/Microsoft_Word_Document.docm": b"PK\x03\x04"}),
        MACROS_MESSAGE,
    ),
    ("a legacy DOC with a Macros/VBA storage", "notes.doc", files.ole_document(macros=True), MACROS_MESSAGE),
    (
        "a DOC olefile cannot open",
        "notes.doc",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1528),
        UNREADABLE_DOC_MESSAGE,
    ),
    ("a DOCX declaring 300 MB uncompressed", "notes.docx", files.docx_zip_bomb(), UNCOMPRESSED_MESSAGE),
    ("a DOCX expanding 1,000 times", "notes.docx", files.docx_with_high_ratio(), UNCOMPRESSED_MESSAGE),
    (
        "a PNG declaring 100,000 x 100,000 pixels",
        "photo.png",
        files.png_header_of_size(100_000, 100_000),
        IMAGE_SIZE_MESSAGE,
    ),
    ("a PNG 25,000 pixels wide", "photo.png", files.png_header_of_size(25_000, 10), IMAGE_SIZE_MESSAGE),
    (
        "a JPEG declaring 10,000 x 10,000 pixels",
        "photo.jpg",
        files.jpeg_header_of_size(10_000, 10_000),
        IMAGE_SIZE_MESSAGE,
    ),
    ("a PDF header after other bytes", "statement.pdf", files.pdf_after_junk(), PDF_NOT_AT_START_MESSAGE),
    ("a JPEG carrying a PDF header", "photo.jpg", files.jpeg_hiding_a_pdf(), polyglot_message("JPG", "a PDF")),
    (
        "a PDF with a ZIP appended",
        "statement.pdf",
        files.pdf_that_is_also_a_zip(),
        polyglot_message("PDF", "a ZIP archive"),
    ),
    ("a PDF that is also HTML", "statement.pdf", files.pdf_that_is_also_html(), polyglot_message("PDF", "a web page")),
    ("a PNG with a ZIP appended", "photo.png", files.png_with_appended_zip(), polyglot_message("PNG", "a ZIP archive")),
    (
        "a PNG with data after IEND",
        "photo.png",
        files.png_with_data_after_its_end(),
        polyglot_message("PNG", "data after the image"),
    ),
    ("a JPEG with a PDF appended", "photo.jpg", files.jpeg_with_appended_pdf(), polyglot_message("JPG", "a PDF")),
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, monkeypatch):
    """Uploads under this test's own folder; staff sign in without an authenticator app."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (EvidenceFile, CaseFile, Letter):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


def child_draft():
    """A child's NRM referral (the evidence page applies) and the first responder writing it."""
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = draft_create(actor=responder)
    draft, _ = draft_save_page(
        draft_id=draft.pk, actor=responder, page_slug="under-18", page_answers={"under_18": "yes"}, expected_version=1
    )
    return draft, responder


MAX_MEGABYTES = 25  # the referral policy's default


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(("name", "content", "expected"), ACCEPTED)
def test_ordinary_pdf_docx_doc_jpeg_and_png_files_are_accepted(name, content, expected):
    assert evidence_check_file(upload(name, content), max_megabytes=MAX_MEGABYTES) == expected


@pytest.mark.parametrize(("case", "name", "content", "message"), REFUSED, ids=[row[0] for row in REFUSED])
def test_hostile_files_are_refused_each_with_its_own_message(case, name, content, message):
    with pytest.raises(EvidenceRejected) as refused:
        evidence_check_file(upload(name, content), max_megabytes=MAX_MEGABYTES)
    assert refused.value.message == message


def test_the_zip_bomb_is_judged_from_its_directory_without_being_extracted():
    bomb = files.docx_zip_bomb()
    assert len(bomb) < 1024 * 1024  # 300 MB declared, under 1 MB sent
    with pytest.raises(EvidenceRejected):
        evidence_check_file(upload("notes.docx", bomb), max_megabytes=MAX_MEGABYTES)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (files.docx_with_vba_project(), MACROS_MESSAGE),
        (files.docx_zip_bomb(), UNCOMPRESSED_MESSAGE),
        (files.png_header_of_size(100_000, 100_000), IMAGE_SIZE_MESSAGE),
        (files.pdf_that_is_also_a_zip(), polyglot_message("PDF", "a ZIP archive")),
    ],
)
def test_the_evidence_page_shows_why_a_hostile_file_was_refused_and_keeps_the_description(client, content, message):
    draft, responder = child_draft()
    client.force_login(responder)
    response = client.post(
        reverse("referrals:evidence_upload", kwargs={"pk": draft.pk}),
        {"evidence_file": upload("evidence", content), "evidence_description": "Bank statement"},
    )
    page = response.text
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message.replace("'", "&#x27;") in page
    assert "Bank statement" in page
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (files.ole_document(macros=True), MACROS_MESSAGE),
        (files.jpeg_hiding_a_pdf(), polyglot_message("JPG", "a PDF")),
    ],
)
def test_the_answer_to_an_information_request_refuses_a_hostile_file_and_keeps_the_answer(client, content, message):
    case = case_in_state(Case.Status.AWAITING_RG)
    information_request = ask(case)
    client.force_login(responder_of(case))
    answer = "The bank statement is attached."
    response = client.post(
        answer_url(case, information_request),
        {"answer": answer, "version": information_request.version, "files": [upload("evidence", content)]},
    )
    page = response.text
    assert response.status_code == 200
    assert f"{message} (evidence)".replace("'", "&#x27;") in page
    assert answer in page
    assert not CaseFile.objects.filter(is_answer=True).exists()
