"""What a file is, from its first bytes (magic numbers), never from its extension."""
from __future__ import annotations

import io
import zipfile

# (magic prefix, media type, what to call it in a message)
MAGIC: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", "a PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword", "an old Office (.doc) file"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "a PNG image"),
    (b"\xff\xd8\xff", "image/jpeg", "a JPEG image"),
    (b"II*\x00", "image/tiff", "a TIFF image"),
    (b"MM\x00*", "image/tiff", "a TIFF image"),
    (b"{\\rtf", "application/rtf", "an RTF document"),
    (b"GIF8", "image/gif", "a GIF image"),
    (b"BM", "image/bmp", "a BMP image"),
]

# members that tell ZIP-based formats apart
ZIP_KINDS: list[tuple[str, str, str]] = [
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "a Word (.docx) document"),
    ("content.xml", "application/vnd.oasis.opendocument.text", "an OpenDocument (.odt) text"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "an Excel workbook"),
]


def _zip_kind(data: bytes) -> tuple[str, str]:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError):
        return "application/zip", "a damaged or truncated ZIP archive"
    for member, media_type, label in ZIP_KINDS:
        if member in names:
            return media_type, label
    return "application/zip", "a ZIP archive"


def sniff(data: bytes) -> tuple[str, str]:
    """(media type, label) of a file's bytes; 'text/plain' for anything that is not binary."""
    for magic, media_type, label in MAGIC:
        if data.startswith(magic):
            if media_type == "image/bmp" and len(data) < 26:
                break
            return media_type, label
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data[:8].startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return "application/octet-stream", "a compressed archive"
    return "text/plain", "text"
