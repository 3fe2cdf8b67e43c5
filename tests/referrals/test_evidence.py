"""Evidence files on a draft: the type read from the content, the limits, hostile names, the page after a refused
upload, removal, and who may download (the organisation, the authority of the case, no one else)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Organisation
from accounts.roles import Role
from casework.services import case_open_for_referral
from common.downloads import evidence_display_name
from common.evidence_types import DOC, DOCX, JPG, PDF, PNG, detect_evidence_type
from referrals.models import Draft, EvidenceFile
from referrals.services import EvidenceRejected, draft_create, draft_save_page, evidence_add, evidence_remove
from referrals.services.drafts import DraftNotEditable
from tests.casework.factories import SubmittedReferralFactory
from tests.factories import UserFactory
from tests.uploads.helpers import mark_scanned_clean
from tests.uploads.hostile_files import ole_document

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
OLE2_BYTES = ole_document()  # a Word 97-2003 compound file that olefile opens (and finds no macros in)
EXECUTABLE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(512)
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


# --- files ---------------------------------------------------------------------------------------------------
def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=image_format)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """The smallest Word document: content types, the package relationship and the document part."""
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
            b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'wordprocessingml.document.main+xml"/></Types>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
            "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Statement</w:t></w:r></w:p></w:body></w:document>',
        }
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- fixtures ------------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, monkeypatch) -> Path:
    """Evidence written under this test's own folder. The FileField evaluated its storage callable at import,
    so the field is pointed at the overridden storage too."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    monkeypatch.setattr(EvidenceFile._meta.get_field("file"), "storage", storages["private"])
    return location


@pytest.fixture
def responder(db):
    return UserFactory(role=Role.FIRST_RESPONDER)


@pytest.fixture
def colleague(responder):
    return UserFactory(role=Role.FIRST_RESPONDER, organisation=responder.organisation)


@pytest.fixture
def outsider(db):
    """A first responder of another organisation."""
    return UserFactory(role=Role.FIRST_RESPONDER)


@pytest.fixture
def draft(responder):
    """A child's NRM referral: the evidence page applies."""
    draft = draft_create(actor=responder)
    draft, _ = draft_save_page(
        draft_id=draft.pk, actor=responder, page_slug="under-18", page_answers={"under_18": "yes"}, expected_version=1
    )
    return draft


@pytest.fixture
def pdf_evidence(draft, responder):
    """A PDF the virus scanner has found clean (tests/uploads/test_scanning.py runs the real one)."""
    evidence = evidence_add(
        draft_id=draft.pk, actor=responder, uploaded_file=upload("statement.pdf", PDF_BYTES), description="Statement"
    )
    mark_scanned_clean()
    evidence.refresh_from_db()
    return evidence


def add(draft, actor, name, content, description="Witness statement, written 3 March 2026"):
    return evidence_add(draft_id=draft.pk, actor=actor, uploaded_file=upload(name, content), description=description)


def evidence_page_url(draft):
    return reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "evidence"})


def upload_url(draft):
    return reverse("referrals:evidence_upload", kwargs={"pk": draft.pk})


def remove_url(evidence):
    return reverse("referrals:evidence_remove", kwargs={"pk": evidence.draft_id, "file_id": evidence.pk})


def download_url(evidence):
    return reverse("referrals:evidence_download", kwargs={"file_id": evidence.pk})


def multipart(filename: str, content: bytes, description: str) -> tuple[bytes, str]:
    """A multipart body written by hand, so that the file name reaches the server exactly as given (the test
    client would shorten it to its base name)."""
    boundary = "----nrm-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="evidence_description"\r\n\r\n{description}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="evidence_file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + content
    body += f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def stored_files(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()]


# --- accepted types ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("statement.pdf", PDF_BYTES, PDF),
        ("photo.png", image_bytes("PNG"), PNG),
        ("photo.jpg", image_bytes("JPEG"), JPG),
        ("notes.docx", docx_bytes(), DOCX),
        ("notes.doc", OLE2_BYTES, DOC),
        ("no extension", PDF_BYTES, PDF),  # the content decides, not the name
    ],
)
def test_accepted_files_are_stored_under_a_random_name_with_their_detected_type(
    draft, responder, private_media, name, content, expected
):
    evidence = add(draft, responder, name, content)
    evidence.refresh_from_db()
    assert evidence.content_type == expected.content_type
    assert evidence.original_name == name
    assert evidence.size == len(content)
    assert evidence.uploaded_by == responder
    assert evidence.file.name.startswith("evidence/")
    assert name not in evidence.file.name
    assert (private_media / evidence.file.name).read_bytes() == content


# --- refused files -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("statement.pdf", EXECUTABLE_BYTES),
        ("statement.pdf", HTML_BYTES),
        ("statement.docx", zip_bytes({"readme.txt": b"not a document"})),
        ("statement.docx", zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})),
        ("statement.docx", b"PK\x03\x04" + bytes(100)),  # a ZIP signature and nothing of a ZIP after it
        ("photo.jpg", b"GIF89a" + bytes(64)),
        ("statement.pdf", b"just some text"),
    ],
)
def test_files_that_are_not_pdf_doc_docx_jpg_or_png_are_refused_whatever_their_name(
    draft, responder, private_media, name, content
):
    with pytest.raises(EvidenceRejected, match="must be a PDF, DOC, DOCX, JPG or PNG"):
        add(draft, responder, name, content)
    assert not EvidenceFile.objects.exists()
    assert stored_files(private_media) == []


def test_an_empty_file_is_refused(draft, responder):
    with pytest.raises(EvidenceRejected, match="The selected file is empty"):
        add(draft, responder, "statement.pdf", b"")


def test_a_file_one_byte_over_25_mb_is_refused_and_one_of_25_mb_accepted(draft, responder):
    with pytest.raises(EvidenceRejected, match="The selected file must be smaller than 25 MB"):
        add(draft, responder, "big.pdf", PDF_BYTES + bytes(25 * MB + 1 - len(PDF_BYTES)))
    assert add(draft, responder, "just-fits.pdf", PDF_BYTES + bytes(25 * MB - len(PDF_BYTES))).size == 25 * MB


def test_the_101st_file_is_refused(draft, responder):
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            draft=draft,
            file=f"evidence/{n:032x}",
            original_name=f"file {n}.pdf",
            content_type=PDF.content_type,
            size=len(PDF_BYTES),
            description="A file",
            uploaded_by=responder,
        )
        for n in range(100)
    )
    with pytest.raises(EvidenceRejected, match="You can add up to 100 files to a referral: remove one to add another"):
        add(draft, responder, "one-more.pdf", PDF_BYTES)
    assert draft.evidence.count() == 100


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("", "Enter a description of the file"),
        ("   \n ", "Enter a description of the file"),
        ("x" * 1001, "The description must be 1000 characters or fewer"),
        ("Statement\x00\x1b[31m", "special characters"),
    ],
)
def test_a_description_is_required_short_and_printable(draft, responder, description, message):
    with pytest.raises(EvidenceRejected, match=message) as rejected:
        add(draft, responder, "statement.pdf", PDF_BYTES, description=description)
    assert rejected.value.field == "evidence_description"


def test_a_zip_declaring_too_many_entries_is_not_opened(draft, responder):
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}
    entries.update({f"word/media/{n}.bin": b"" for n in range(5001)})
    with pytest.raises(EvidenceRejected, match="must be a PDF"):
        add(draft, responder, "many.docx", zip_bytes(entries))


def test_detection_leaves_the_file_at_its_start():
    file = io.BytesIO(docx_bytes())
    assert detect_evidence_type(file) == DOCX
    assert file.tell() == 0


# --- names ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\report.pdf", "report.pdf"),
        ("state\x00ment\x1b[31m.pdf", "statement[31m.pdf"),
        ("photo\u202egpj.exe.pdf", "photogpj.exe.pdf"),  # no right-to-left override to disguise the name
        ("  .. ", "evidence"),
        ("", "evidence"),
    ],
)
def test_display_names_lose_folders_and_unprintable_characters(uploaded, kept):
    assert evidence_display_name(uploaded) == kept


def test_long_names_are_cut_to_255_characters_keeping_the_extension():
    name = evidence_display_name("a" * 1000 + ".pdf")
    assert len(name) == 255
    assert name.endswith("a.pdf")


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.pdf",
        "..\\..\\etc\\passwd.pdf",
        "bad\x01name\x7f\u202e.pdf",
        "n" * 700 + ".pdf",
        "<img src=x onerror=alert(1)>.pdf",
    ],
)
def test_hostile_names_posted_to_the_upload_are_stored_safely_and_shown_escaped(
    client, responder, draft, private_media, filename
):
    client.force_login(responder)
    body, content_type = multipart(filename, PDF_BYTES, "Statement")
    response = client.generic("POST", upload_url(draft), body, content_type=content_type)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert "/" not in evidence.original_name
    assert "\\" not in evidence.original_name
    assert len(evidence.original_name) <= 255
    assert all(character.isprintable() for character in evidence.original_name)
    assert evidence.file.name.startswith("evidence/")
    assert [path.relative_to(private_media).parts[0] for path in stored_files(private_media)] == ["evidence"]
    page = client.get(evidence_page_url(draft)).text
    assert "<img src=x" not in page
    if "img" in filename:
        assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in page


def test_a_1000_character_name_is_kept_to_255_by_the_service_and_refused_as_a_bad_request_by_http(
    client, responder, draft
):
    evidence = add(draft, responder, "n" * 1000 + ".pdf", PDF_BYTES)
    assert evidence.original_name == "n" * 251 + ".pdf"
    # Django's multipart parser allows 1,024 bytes of part headers: a client sending more gets a 400, not a 500.
    client.force_login(responder)
    body, content_type = multipart("n" * 1000 + ".pdf", PDF_BYTES, "Statement")
    assert client.generic("POST", upload_url(draft), body, content_type=content_type).status_code == 400


# --- the page ------------------------------------------------------------------------------------------------
def test_the_page_lists_the_files_with_size_type_description_and_remove_link(client, responder, draft):
    client.force_login(responder)
    evidence = add(draft, responder, "photo.png", image_bytes("PNG"), description="Photo of the room <b>")
    mark_scanned_clean()
    page = client.get(evidence_page_url(draft)).text
    assert "photo.png" in page
    assert "PNG, 1 KB" in page
    assert "Photo of the room &lt;b&gt;" in page
    assert remove_url(evidence) in page
    assert download_url(evidence) in page
    assert "You have added 1 file. You can add up to 100 files." in page
    assert 'enctype="multipart/form-data"' in page
    assert f'action="{upload_url(draft)}"' in page
    assert "PDF, DOC, DOCX, JPG or PNG, up to 25 MB" in page
    assert 'name="evidence_notes"' in page


def test_the_page_makes_the_same_number_of_queries_for_1_or_20_files(client, responder, draft):
    client.force_login(responder)
    add(draft, responder, "first.pdf", PDF_BYTES)
    client.get(evidence_page_url(draft))  # the session and policy rows exist from here on
    with CaptureQueriesContext(connection) as one_file:
        client.get(evidence_page_url(draft))
    for n in range(19):
        add(draft, responder, f"file {n}.pdf", PDF_BYTES)
    with CaptureQueriesContext(connection) as twenty_files:
        assert "You have added 20 files" in client.get(evidence_page_url(draft)).text
    assert len(twenty_files) == len(one_file)


def test_an_upload_adds_the_file_and_returns_to_the_page(client, colleague, draft):
    client.force_login(colleague)
    version = draft.version
    response = client.post(
        upload_url(draft),
        {"evidence_file": upload("statement.pdf", PDF_BYTES), "evidence_description": "Statement, 3 March 2026"},
    )
    assert response.status_code == 302
    assert response.url == evidence_page_url(draft)
    evidence = EvidenceFile.objects.get()
    assert (evidence.description, evidence.uploaded_by) == ("Statement, 3 March 2026", colleague)
    draft.refresh_from_db()
    assert draft.last_changed_by == colleague
    assert draft.version == version  # evidence is not an answer: pages opened before can still be saved
    assert "Your file has been uploaded" in client.get(response.url).text


def test_a_refused_upload_re_renders_the_page_with_the_errors_the_description_and_the_saved_answers(
    client, responder, draft, pdf_evidence
):
    draft, _ = draft_save_page(
        draft_id=draft.pk,
        actor=responder,
        page_slug="evidence",
        page_answers={"evidence_notes": "More to follow from the council"},
        expected_version=draft.version,
    )
    client.force_login(responder)
    response = client.post(
        upload_url(draft),
        {"evidence_file": upload("statement.pdf", HTML_BYTES), "evidence_description": "Police report <2026>"},
    )
    assert response.status_code == 200
    page = response.text
    assert "<title>Error: Evidence" in page
    assert "There is a problem" in page
    assert '<a href="#evidence_file">The selected file must be a PDF, DOC, DOCX, JPG or PNG</a>' in page
    assert "govuk-file-upload--error" in page
    assert "Police report &lt;2026&gt;</textarea>" in page
    assert "More to follow from the council</textarea>" in page
    assert "statement.pdf" in page  # the files already added are still listed
    assert f'action="{evidence_page_url(draft)}"' in page  # the question form still saves the page
    assert f'name="version" value="{draft.version}"' in page
    assert EvidenceFile.objects.count() == 1


def test_no_file_and_no_description_are_both_reported(client, responder, draft):
    client.force_login(responder)
    response = client.post(upload_url(draft), {"evidence_description": ""})
    assert response.status_code == 200
    assert '<a href="#evidence_file">Select a file</a>' in response.text
    assert '<a href="#evidence_description">Enter a description of the file</a>' in response.text


def test_an_empty_file_posted_is_reported(client, responder, draft):
    client.force_login(responder)
    response = client.post(
        upload_url(draft), {"evidence_file": upload("empty.pdf", b""), "evidence_description": "Statement"}
    )
    assert response.status_code == 200
    assert "The selected file is empty" in response.text


def test_a_26_mb_upload_gets_the_size_error_not_a_server_error(client, responder, draft, private_media):
    """Bigger than FILE_UPLOAD_MAX_MEMORY_SIZE, so Django streams it to a temporary file; file parts do not count
    towards DATA_UPLOAD_MAX_MEMORY_SIZE."""
    client.force_login(responder)
    response = client.post(
        upload_url(draft),
        {"evidence_file": upload("big.pdf", PDF_BYTES + bytes(26 * MB)), "evidence_description": "Scanned file"},
    )
    assert response.status_code == 200
    assert "The selected file must be smaller than 25 MB" in response.text
    assert "Scanned file</textarea>" in response.text
    assert stored_files(private_media) == []


def test_the_upload_form_gives_way_to_a_message_at_the_limit(client, responder, draft, settings):
    from referrals.models import ReferralPolicy

    ReferralPolicy.objects.update_or_create(pk=1, defaults={"max_evidence_files": 1})
    add(draft, responder, "only.pdf", PDF_BYTES)
    client.force_login(responder)
    page = client.get(evidence_page_url(draft)).text
    assert "the most a referral can have" in page
    assert 'name="evidence_file"' not in page
    response = client.post(
        upload_url(draft), {"evidence_file": upload("two.pdf", PDF_BYTES), "evidence_description": "Second"}
    )
    assert "You can add up to 1 files to a referral: remove one to add another" in response.text


# --- removing ------------------------------------------------------------------------------------------------
def test_remove_asks_first_then_deletes_the_row_and_the_file(
    client, colleague, draft, pdf_evidence, private_media, django_capture_on_commit_callbacks
):
    client.force_login(colleague)
    confirmation = client.get(remove_url(pdf_evidence))
    assert confirmation.status_code == 200
    assert "Are you sure you want to remove this file?" in confirmation.text
    assert "statement.pdf" in confirmation.text
    assert EvidenceFile.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url(pdf_evidence))
    assert response.url == evidence_page_url(draft)
    assert not EvidenceFile.objects.exists()
    assert stored_files(private_media) == []
    draft.refresh_from_db()
    assert draft.last_changed_by == colleague


def test_the_file_stays_until_the_removal_commits(draft, responder, pdf_evidence, private_media):
    evidence_remove(evidence_id=pdf_evidence.pk, actor=responder)  # the test's transaction never commits
    assert len(stored_files(private_media)) == 1


# --- scope ---------------------------------------------------------------------------------------------------
def test_another_organisation_gets_404_for_upload_remove_and_download(client, outsider, draft, pdf_evidence):
    client.force_login(outsider)
    posted = {"evidence_file": upload("statement.pdf", PDF_BYTES), "evidence_description": "Statement"}
    assert client.post(upload_url(draft), posted).status_code == 404
    assert client.get(remove_url(pdf_evidence)).status_code == 404
    assert client.post(remove_url(pdf_evidence)).status_code == 404
    assert client.get(download_url(pdf_evidence)).status_code == 404
    assert EvidenceFile.objects.count() == 1


def test_services_refuse_another_organisation(outsider, draft, pdf_evidence):
    with pytest.raises(PermissionDenied):
        add(draft, outsider, "statement.pdf", PDF_BYTES)
    with pytest.raises(PermissionDenied):
        evidence_remove(evidence_id=pdf_evidence.pk, actor=outsider)


def test_a_file_is_removed_only_through_its_own_draft(client, responder, draft, pdf_evidence):
    other_draft = draft_create(actor=responder)
    client.force_login(responder)
    url = reverse("referrals:evidence_remove", kwargs={"pk": other_draft.pk, "file_id": pdf_evidence.pk})
    assert client.post(url).status_code == 404
    assert EvidenceFile.objects.exists()


def test_a_colleague_downloads_the_file_as_an_attachment(client, colleague, pdf_evidence):
    client.force_login(colleague)
    response = client.get(download_url(pdf_evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


def test_a_download_is_named_after_its_real_type(client, responder, draft):
    evidence = add(draft, responder, 'notes "1".html', PDF_BYTES)
    mark_scanned_clean()
    client.force_login(responder)
    response = client.get(download_url(evidence))
    assert response["Content-Disposition"] == 'attachment; filename="notes _1_.html.pdf"'
    response.close()


@pytest.fixture
def submitted(draft, pdf_evidence):
    """The draft sent as an NRM referral, with its case at the SCA; the evidence stays linked to the draft."""
    Draft.objects.filter(pk=draft.pk).update(submitted_at=timezone.now())
    draft.refresh_from_db()
    referral = SubmittedReferralFactory(draft=draft, submitted_at=draft.submitted_at)
    case_open_for_referral(referral=referral)
    return referral


def authority(name: str) -> Organisation:
    return Organisation.objects.get(name=name, kind=Organisation.Kind.COMPETENT_AUTHORITY)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER])
def test_staff_of_the_authority_of_the_case_can_download_the_evidence(client, submitted, pdf_evidence, role):
    client.force_login(UserFactory(role=role, organisation=authority("Single Competent Authority")))
    response = client.get(download_url(pdf_evidence))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    response.close()


def test_another_authority_and_other_roles_get_404(client, submitted, pdf_evidence):
    ieca = authority("Immigration Enforcement Competent Authority")
    for user in (
        UserFactory(role=Role.CASEWORKER, organisation=ieca),
        UserFactory(role=Role.PANEL_MEMBER),
        UserFactory(role=Role.ANALYST, organisation=authority("Single Competent Authority")),
        UserFactory(role=Role.SUPPORT_PROVIDER),
    ):
        client.force_login(user)
        assert client.get(download_url(pdf_evidence)).status_code == 404


def test_the_organisation_still_downloads_the_evidence_of_its_sent_referral(client, colleague, submitted, pdf_evidence):
    client.force_login(colleague)
    response = client.get(download_url(pdf_evidence))
    assert response.status_code == 200
    response.close()


def test_evidence_of_a_sent_referral_cannot_be_removed_or_added_to(client, responder, submitted, pdf_evidence):
    client.force_login(responder)
    assert client.get(remove_url(pdf_evidence)).status_code == 404
    assert client.post(remove_url(pdf_evidence)).status_code == 404
    posted = {"evidence_file": upload("late.pdf", PDF_BYTES), "evidence_description": "Late"}
    assert client.post(upload_url(submitted.draft), posted).status_code == 404
    with pytest.raises(DraftNotEditable):
        evidence_remove(evidence_id=pdf_evidence.pk, actor=responder)
    with pytest.raises(DraftNotEditable):
        add(submitted.draft, responder, "late.pdf", PDF_BYTES)
    assert EvidenceFile.objects.count() == 1


def test_staff_cannot_upload(client, draft):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    posted = {"evidence_file": upload("statement.pdf", PDF_BYTES), "evidence_description": "Statement"}
    assert client.post(upload_url(draft), posted).status_code == 404


def test_uploads_are_posts_only(client, responder, draft):
    client.force_login(responder)
    assert client.get(upload_url(draft)).status_code == 405


# --- check your answers ---------------------------------------------------------------------------------------
def test_check_your_answers_lists_each_evidence_file_with_its_description(client, responder, draft):
    add(draft, responder, "statement.pdf", PDF_BYTES, description="Witness statement, written 3 March 2026")
    add(draft, responder, "photo.png", image_bytes("PNG"), description="Photograph of the room\nTaken 4 March")
    client.force_login(responder)
    page = client.get(reverse("referrals:check", kwargs={"pk": draft.pk})).text
    rows = page.split('data-testid="check-evidence-file"')[1:]
    assert len(rows) == 2
    assert "File: statement.pdf" in rows[0]
    assert "Witness statement, written 3 March 2026" in rows[0]
    assert "File: photo.png" in rows[1]
    assert "Photograph of the room<br>Taken 4 March" in rows[1]
    assert f'href="{evidence_page_url(draft)}?return=check"' in rows[0]
    assert 'data-testid="check-evidence-none"' not in page


def test_check_your_answers_says_when_no_file_was_added(client, responder, draft):
    client.force_login(responder)
    page = client.get(reverse("referrals:check", kwargs={"pk": draft.pk})).text
    assert 'data-testid="check-evidence-file"' not in page
    assert 'data-testid="check-evidence-none"' in page
    assert "No files added" in page
