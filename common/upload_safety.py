"""Checks of an upload's content beyond its type, for every file that reaches a caseworker's desktop (referral
evidence and case files alike: both go through `common.downloads.evidence_check_file`).

Refused, each with its own message:
- an Office document with macros: `vbaProject.bin` (or `vbaData.xml`, an embedded macro-enabled document) in a
  DOCX, a macro-enabled content type in its `[Content_Types].xml`, or a `Macros`/`VBA`/`_VBA_PROJECT_CUR`
  storage in a legacy OLE2 `.doc` (read with `olefile`); a `.doc` that olefile cannot open is refused too, since
  it cannot be checked;
- a ZIP container (DOCX) whose central directory declares an absurd uncompressed size, in all or by ratio (a
  zip bomb), read from the directory only: nothing is ever extracted;
- an image whose header declares more pixels (or a longer side) than any photo or scan needs, read by Pillow
  from the header without decoding the image;
- a file that is also another kind of file (a polyglot): a PDF header anywhere but at the start (readers look
  for it in the first 1,024 bytes), HTML in the first bytes (what browsers sniff), a ZIP archive readable from
  the end of a PDF or an image, a PDF inside an image, or data after a PNG's last chunk.

Not detected (docs/adr/0008-upload-checks-and-malware-scanning.md says so): macros inside OLE objects embedded
in a DOCX, remote template references, and anything the malware scanner does not know.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
from typing import IO

import olefile
from PIL import Image

# A DOCX's declared uncompressed total (sum of its entries' sizes) above this is refused outright...
MAX_UNCOMPRESSED_BYTES = 250 * 1024 * 1024
# ... and above RATIO_APPLIES_FROM_BYTES, so is one that expands more than MAX_COMPRESSION_RATIO times: Word's
# XML compresses about 5 to 20 times; a zip bomb compresses a thousand times.
RATIO_APPLIES_FROM_BYTES = 20 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# 60 megapixels is more than any phone camera or A4 scan at 600 dpi (35 megapixels) makes.
MAX_IMAGE_PIXELS = 60_000_000
MAX_IMAGE_SIDE = 20_000
# PDF readers accept a header anywhere in the first 1,024 bytes; browsers sniff HTML in the first 512.
PDF_HEADER_WINDOW = 1024
HTML_SNIFF_WINDOW = 1024
_CHUNK = 1024 * 1024

_PDF_HEADER = b"%PDF-"
_HTML_MARKERS = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)[\s>/]", re.I)
_MACRO_ENTRY_NAMES = ("vbaproject.bin", "vbadata.xml")
_MACRO_ENABLED_EXTENSIONS = (".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppam", ".ppsm")
_OLE_MACRO_STORAGES = {"macros", "vba", "_vba_project_cur", "_vba_project"}
_PNG_END = b"IEND\xaeB`\x82"

MACROS_MESSAGE = "The selected file must not contain macros: save it as a Word document (.docx) or a PDF without them"
UNREADABLE_DOC_MESSAGE = (
    "The selected DOC file cannot be checked because it cannot be opened: save it again as a .docx or a PDF"
)
UNCOMPRESSED_MESSAGE = (
    "The selected file expands to an unreasonable size when opened: upload the document as a PDF instead"
)
IMAGE_SIZE_MESSAGE = (
    f"The selected image must be at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels and "
    f"{MAX_IMAGE_SIDE:,} pixels on each side: make it smaller and upload it again"
)
PDF_NOT_AT_START_MESSAGE = (
    "The selected file must start with its PDF header: something is hidden before it. Save the PDF again and upload it"
)
UNREADABLE_IMAGE_MESSAGE = "The selected image cannot be opened: save it again as a JPG or PNG and upload it again"


class UnsafeUpload(Exception):
    """The upload is refused; `message` says why, in the words the page shows."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def polyglot_message(label: str, other: str) -> str:
    return f"The selected file must be a single {label} file: it also contains {other}"


def check_upload_safety(file: IO[bytes], label: str) -> None:
    """Raises UnsafeUpload when the file (already detected as `label`: PDF, DOC, DOCX, JPG or PNG) is one of the
    kinds above. Reads headers, directories and a scan of the bytes for other formats' signatures; leaves the
    file at its start."""
    try:
        file.seek(0)
        head = file.read(max(PDF_HEADER_WINDOW, HTML_SNIFF_WINDOW))
        _check_not_hiding_a_pdf(head, label)
        if _HTML_MARKERS.search(head[:HTML_SNIFF_WINDOW]):
            raise UnsafeUpload(polyglot_message(label, "a web page"))
        if label == "DOCX":
            _check_office_zip(file)
        elif label == "DOC":
            _check_ole_document(file)
        elif label in ("JPG", "PNG"):
            _check_image(file, label)
        elif label == "PDF" and _is_zip(file):
            raise UnsafeUpload(polyglot_message(label, "a ZIP archive"))
    finally:
        file.seek(0)


def unrecognised_file_message(file: IO[bytes]) -> str | None:
    """For a file of no accepted type: a specific message when it is a PDF with something before its header
    (what readers accept and type detection does not), else None. Leaves the file at its start."""
    try:
        file.seek(0)
        return PDF_NOT_AT_START_MESSAGE if _PDF_HEADER in file.read(PDF_HEADER_WINDOW) else None
    finally:
        file.seek(0)


def _check_not_hiding_a_pdf(head: bytes, label: str) -> None:
    at = head.find(_PDF_HEADER, 0, PDF_HEADER_WINDOW)
    if at > 0 or (at == 0 and label != "PDF"):
        raise UnsafeUpload(polyglot_message(label, "a PDF"))


def _is_zip(file: IO[bytes]) -> bool:
    """True when a ZIP reader (which starts from the end) would open the file."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            archive.infolist()
        return True
    except Exception:  # zipfile raises many kinds of error on what is not a ZIP
        return False


def _check_office_zip(file: IO[bytes]) -> None:
    file.seek(0, io.SEEK_END)
    compressed = file.tell()
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            declared = sum(entry.file_size for entry in entries)
            if declared > MAX_UNCOMPRESSED_BYTES or (
                declared > RATIO_APPLIES_FROM_BYTES and declared > MAX_COMPRESSION_RATIO * max(compressed, 1)
            ):
                raise UnsafeUpload(UNCOMPRESSED_MESSAGE)
            names = [entry.filename.lower() for entry in entries]
            if any(name.rsplit("/", 1)[-1] in _MACRO_ENTRY_NAMES for name in names) or any(
                name.endswith(_MACRO_ENABLED_EXTENSIONS) for name in names
            ):
                raise UnsafeUpload(MACROS_MESSAGE)
            content_types = archive.getinfo("[Content_Types].xml")
            if content_types.file_size > 1024 * 1024:
                raise UnsafeUpload(UNCOMPRESSED_MESSAGE)
            declared_types = archive.read(content_types).lower()
    except UnsafeUpload:
        raise
    except Exception:  # detect_evidence_type opened it already; anything failing now is a damaged archive
        raise UnsafeUpload(UNCOMPRESSED_MESSAGE) from None
    if b"macroenabled" in declared_types or b"vbaproject" in declared_types:
        raise UnsafeUpload(MACROS_MESSAGE)


def _check_ole_document(file: IO[bytes]) -> None:
    file.seek(0)
    data = file.read()
    try:
        with olefile.OleFileIO(data) as document:
            paths = document.listdir(streams=True, storages=True)
    except Exception:  # olefile raises several kinds of error on a damaged or hostile container
        raise UnsafeUpload(UNREADABLE_DOC_MESSAGE) from None
    if any(part.lower() in _OLE_MACRO_STORAGES for path in paths for part in path):
        raise UnsafeUpload(MACROS_MESSAGE)


def _check_image(file: IO[bytes], label: str) -> None:
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns past its own limit (89 megapixels), which is past ours: refused below either way.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:  # reads the header only
                width, height = image.size
    except Image.DecompressionBombError:
        raise UnsafeUpload(IMAGE_SIZE_MESSAGE) from None
    except Exception:
        raise UnsafeUpload(UNREADABLE_IMAGE_MESSAGE) from None
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise UnsafeUpload(IMAGE_SIZE_MESSAGE)
    if _contains(file, _PDF_HEADER):
        raise UnsafeUpload(polyglot_message(label, "a PDF"))
    if _is_zip(file):
        raise UnsafeUpload(polyglot_message(label, "a ZIP archive"))
    if label == "PNG" and _has_data_after_png_end(file):
        raise UnsafeUpload(polyglot_message(label, "data after the image"))


def _contains(file: IO[bytes], needle: bytes) -> bool:
    file.seek(0)
    overlap = b""
    while chunk := file.read(_CHUNK):
        if needle in overlap + chunk:
            return True
        overlap = chunk[-(len(needle) - 1) :]
    return False


def _has_data_after_png_end(file: IO[bytes]) -> bool:
    """Walks the PNG's chunks (length, type, data, CRC) to its IEND; anything after it is hidden data."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    position = 8  # the signature
    while position + 12 <= size:
        file.seek(position)
        length, kind = struct.unpack(">I4s", file.read(8))
        position += 12 + length
        if kind == b"IEND":
            return position < size
    return False
