"""Which kind of evidence file an upload is, read from its content (never from its name): PDF, JPG and PNG by
their signatures (the `filetype` package), DOCX as a ZIP whose entries are a Word document's, DOC as an OLE2
compound file. Anything else is not evidence we accept."""

import os
import struct
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
# A Word document has a few dozen entries (a few hundred with many images). The limit keeps a hostile archive
# from making us parse a huge central directory; nothing is ever extracted.
MAX_DOCX_ENTRIES = 5000
SIGNATURE_BYTES = 8192


@dataclass(frozen=True)
class EvidenceType:
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first one is used when a downloaded file needs a name

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = EvidenceType("PDF", "application/pdf", ("pdf",))
DOC = EvidenceType("DOC", "application/msword", ("doc",))
DOCX = EvidenceType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
JPG = EvidenceType("JPG", "image/jpeg", ("jpg", "jpeg"))
PNG = EvidenceType("PNG", "image/png", ("png",))
EVIDENCE_TYPES = (PDF, DOC, DOCX, JPG, PNG)
_BY_CONTENT_TYPE = {evidence_type.content_type: evidence_type for evidence_type in EVIDENCE_TYPES}
# What `filetype` calls the kinds we take straight from its answer.
_BY_FILETYPE_EXTENSION = {"pdf": PDF, "jpg": JPG, "png": PNG}


def evidence_type_for(content_type: str) -> EvidenceType | None:
    return _BY_CONTENT_TYPE.get(content_type)


def detect_evidence_type(file: IO[bytes]) -> EvidenceType | None:
    """The evidence type of a seekable binary file, or None when it is none of them. Reads the first bytes and,
    for a ZIP, only its list of names; leaves the file at its start."""
    try:
        file.seek(0)
        head = file.read(SIGNATURE_BYTES)
        kind = filetype.guess(head) if head else None
        if kind is not None and kind.extension in _BY_FILETYPE_EXTENSION:
            return _BY_FILETYPE_EXTENSION[kind.extension]
        if head.startswith(OLE2_SIGNATURE):
            # An OLE2 file that filetype recognises as something else (a spreadsheet, an installer) is not a DOC.
            return DOC if kind is None or kind.extension == "doc" else None
        if kind is not None and kind.extension in ("zip", "docx") and _is_word_document(file):
            return DOCX
        return None
    finally:
        file.seek(0)


def _is_word_document(file: IO[bytes]) -> bool:
    entries = _zip_entry_count(file)
    if entries is None or entries > MAX_DOCX_ENTRIES:
        return False
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except Exception:  # zipfile raises many kinds of error on a hostile archive: all mean "not a Word document"
        return False
    return "[Content_Types].xml" in names and any(name.startswith("word/") for name in names)


def _zip_entry_count(file: IO[bytes]) -> int | None:
    """The number of entries the ZIP's end record declares, read before zipfile parses the whole directory.
    None when there is no end record or it is a ZIP64 one (no Word document needs 65,535 entries)."""
    file.seek(0, os.SEEK_END)
    size = file.tell()
    tail_length = min(size, 22 + 65535)  # the end record is 22 bytes, then a comment of up to 65,535
    file.seek(size - tail_length)
    tail = file.read(tail_length)
    at = tail.rfind(ZIP_END_OF_CENTRAL_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return None
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return None if entries == 0xFFFF else entries
