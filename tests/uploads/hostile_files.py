"""Files for the upload tests, built in code: ordinary PDF, DOCX, DOC, JPG and PNG files, and hostile ones
(macros, zip bombs, huge images, polyglots, the EICAR test string)."""

import io
import struct
import zipfile
import zlib

from PIL import Image

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# The anti-malware test file every scanner detects (built from two halves so no scanner flags this source).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}" + rb"$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

_WORD_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_CONTENT_TYPE = b"application/vnd.ms-word.document.macroEnabled.main+xml"


def image_bytes(image_format: str, size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=image_format)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _content_types(main_type: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        b'ContentType="' + main_type + b'"/></Types>'
    )


def docx_entries(main_type: bytes = _WORD_CONTENT_TYPE) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": _content_types(main_type),
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Statement</w:t></w:r></w:p></w:body></w:document>',
    }


def docx_bytes(**extra: bytes) -> bytes:
    """The smallest Word document, with `extra` entries (name: content) added."""
    return zip_bytes({**docx_entries(), **extra})


def docx_with_vba_project() -> bytes:
    return docx_bytes(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro project"})


def docx_with_macro_enabled_content_type() -> bytes:
    """A .docm saved under a .docx name: its main part declares itself macro-enabled."""
    return zip_bytes(docx_entries(_MACRO_CONTENT_TYPE))


def docx_zip_bomb() -> bytes:
    """A Word document with 300 MB of zeros in one entry: about 300 KB on disk."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in docx_entries().items():
            archive.writestr(name, content)
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as entry:
            block = bytes(1024 * 1024)
            for _ in range(300):
                entry.write(block)
    return buffer.getvalue()


def docx_with_high_ratio() -> bytes:
    """40 MB that compress to about 40 KB: under the absolute limit, far over the ratio."""
    return docx_bytes(**{"word/media/padding.bin": bytes(40 * 1024 * 1024)})


# --- legacy Word (OLE2 compound files), written sector by sector ----------------------------------------------
_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name: str, kind: int, *, right: int = _NONE, child: int = _NONE) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _NONE, right, child)
        + bytes(16 + 4 + 8 + 8)
        + struct.pack("<IQ", _END, 0)
    )


def ole_document(*, macros: bool = False) -> bytes:
    """An OLE2 compound file as Word 97-2003 writes (a WordDocument stream), with the `Macros/VBA` storages a
    document with macros has when `macros` is true. Streams are empty: olefile needs only the structure."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([_FREE] * 108))
    )
    fat = struct.pack("<128I", _FAT, _END, *([_FREE] * 126))
    entries = [_directory_entry("Root Entry", 5, child=1)]
    if macros:
        entries += [
            _directory_entry("WordDocument", 2, right=2),
            _directory_entry("Macros", 1, child=3),
            _directory_entry("VBA", 1),
        ]
    else:
        entries += [_directory_entry("WordDocument", 2)] + [bytes(64) + b"\0\0\0\0" + b"\xff" * 12 + bytes(48)] * 2
    directory = b"".join(entries)
    assert len(header) == len(fat) == len(directory) == 512
    return header + fat + directory


# --- polyglots --------------------------------------------------------------------------------------------------
def pdf_after_junk() -> bytes:
    """A PDF whose header is not at the start: PDF readers still find it in the first 1,024 bytes."""
    return b"<!-- not a pdf -->" + bytes(100) + PDF_BYTES


def jpeg_hiding_a_pdf() -> bytes:
    """A JPEG whose comment carries a PDF header within the first 1,024 bytes (a JPEG/PDF polyglot)."""
    jpeg = image_bytes("JPEG")
    comment = b"%PDF-1.7\n1 0 obj << >> endobj\n"
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return jpeg[:2] + segment + jpeg[2:]


def pdf_that_is_also_a_zip() -> bytes:
    """A PDF with a ZIP archive appended: a ZIP reader opens it from the end."""
    return PDF_BYTES + zip_bytes({"payload.js": b"alert(1)"})


def pdf_that_is_also_html() -> bytes:
    return b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n" + PDF_BYTES[9:]


def png_with_appended_zip() -> bytes:
    return image_bytes("PNG") + zip_bytes({"payload.exe": b"MZ" + bytes(64)})


def png_with_data_after_its_end() -> bytes:
    return image_bytes("PNG") + b"hidden data after the last chunk"


def jpeg_with_appended_pdf() -> bytes:
    return image_bytes("JPEG") + PDF_BYTES


def png_header_of_size(width: int, height: int) -> bytes:
    """A PNG whose header declares width x height: a tiny file (one compressed empty row) that decoding would
    turn into gigabytes. Only the header is ever read."""
    signature = b"\x89PNG\r\n\x1a\n"

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return signature + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def jpeg_header_of_size(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header (SOF0) is rewritten to declare width x height."""
    jpeg = bytearray(image_bytes("JPEG"))
    at = jpeg.find(b"\xff\xc0")
    jpeg[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(jpeg)
