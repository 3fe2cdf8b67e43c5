"""Files in and out, for every app: the check of an uploaded file (type by content, then the safety checks of
`common.upload_safety`), the name it is kept and offered under, its size in words, and the one private
download response every download uses (referral evidence, case files, letters, the referral PDF, the subject
access export).

Domain-free: the size limit is the caller's (referral evidence and case files both pass the referral policy's)."""

import re
import unicodedata
from pathlib import PurePosixPath
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from common.evidence_types import EvidenceType, detect_evidence_type, evidence_type_for
from common.upload_safety import UnsafeUpload, check_upload_safety, unrecognised_file_message
from common.virus_scan import ScannedUpload, ScanStatus

MAX_NAME_LENGTH = 255
TYPE_MESSAGE = "The selected file must be a PDF, DOC, DOCX, JPG or PNG"
# Unicode categories stripped from a displayed name: control and format characters (which include the
# right-to-left override that makes "gpj.exe" read as "exe.jpg"), surrogates, private use and unassigned.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Characters that some systems do not allow in a file name, replaced in the name a download is offered under.
_UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*;]')
UNKNOWN_CONTENT_TYPE = "application/octet-stream"


class EvidenceRejected(Exception):
    """The upload is refused; `field` is the upload form's field the message belongs to."""

    def __init__(self, message: str, *, field: str = "evidence_file"):
        self.message = message
        self.field = field
        super().__init__(message)


# Uploads ---------------------------------------------------------------------------------------------------------


def evidence_check_file(uploaded_file: UploadedFile | None, *, max_megabytes: int) -> EvidenceType:
    """The detected type of an acceptable file; raises EvidenceRejected with the message to show otherwise.
    Referral evidence and case files both come through here: size, type by content, then the safety checks
    (macros, zip bombs, huge images, polyglots)."""
    if uploaded_file is None:
        raise EvidenceRejected("Select a file")
    if not uploaded_file.size:
        raise EvidenceRejected("The selected file is empty")
    if uploaded_file.size > max_megabytes * 1024 * 1024:
        raise EvidenceRejected(f"The selected file must be smaller than {max_megabytes} MB")
    evidence_type = detect_evidence_type(uploaded_file)
    if evidence_type is None:
        raise EvidenceRejected(unrecognised_file_message(uploaded_file) or TYPE_MESSAGE)
    try:
        check_upload_safety(uploaded_file, evidence_type.label)
    except UnsafeUpload as unsafe:
        raise EvidenceRejected(unsafe.message) from None
    return evidence_type


def evidence_display_name(name: str | None, *, evidence_type: EvidenceType | None = None) -> str:
    """The uploaded name made safe to keep and show: no folders, no unprintable characters, at most 255
    characters with its extension kept. Only ever displayed (escaped) or offered as a download name."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if unicodedata.category(character) not in _UNPRINTABLE)
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = f"evidence.{evidence_type.extension}" if evidence_type else "evidence"
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        name = name[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return name


def describe_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# Downloads -------------------------------------------------------------------------------------------------------


def download_name(original_name: str, evidence_type: EvidenceType | None) -> str:
    """The name a download is offered under: the uploaded name, with the extension of its real type (so that
    a PDF uploaded as "notes.html" is never saved as a web page)."""
    name = _UNSAFE_IN_FILE_NAMES.sub("_", evidence_display_name(original_name))
    if evidence_type is None:
        return name
    if PurePosixPath(name).suffix.lower().lstrip(".") not in evidence_type.extensions:
        name = f"{name}.{evidence_type.extension}"
    return name


def private_download(
    content: bytes | IO[bytes], *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """The response of every download: saved under `filename` (shown inline when `as_attachment` is false), of
    the given type, never sniffed as another. (Never cached: common.middleware sets no-store on every page.)"""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        response = FileResponse(content, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def not_downloadable(request, upload: ScannedUpload) -> HttpResponse:
    """The page instead of a file nobody may download yet (409: being checked) or ever (410: infected)."""
    infected = upload.scan_status == ScanStatus.INFECTED
    return render(request, "uploads/not_downloadable.html", {"infected": infected}, status=410 if infected else 409)


def upload_download(upload: ScannedUpload) -> HttpResponse:
    """The download of an uploaded file that may be downloaded (`upload.is_downloadable`), under its kept name
    with its real type's extension; 404 when the stored file is gone. Stored files are opened here, so a caller
    that logs the download does it once this has returned."""
    evidence_type = evidence_type_for(upload.content_type)
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return private_download(
        handle,
        filename=download_name(upload.original_name, evidence_type),
        content_type=evidence_type.content_type if evidence_type else UNKNOWN_CONTENT_TYPE,
    )
