"""Plain text dispatches: UTF-8 (with or without BOM) or UTF-16 with a BOM; binary refused."""
from __future__ import annotations

from pathlib import Path

from pipeline.read.errors import ReadError
from pipeline.read.legacy_fonts import fix_text
from schemas import Document, Page, Source

MAX_TEXT_BYTES = 20_000_000  # a dispatch is a few pages; 20 MB of text is not one


def read_plain_text(path: Path, data: bytes) -> Document:
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError(path, f"too large for a dispatch ({len(data) / 1e6:.1f} MB > {MAX_TEXT_BYTES / 1e6:.0f} MB)")
    text = decode_text(path, data)
    if not text.strip():
        raise ReadError(path, "contains only white space")
    fixed, legacy = fix_text(text)  # a TCVN3 / VNI text saved as if it were Unicode
    warnings = [f"legacy Vietnamese encoding {legacy} converted to Unicode"] if legacy else []
    return Document(text=fixed, source=Source(media_type="text/plain", pages=1),
                    pages=[Page(number=1, start=0, end=len(fixed))], warnings=warnings)


def decode_text(path: Path, data: bytes) -> str:
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and b"\x00" in data:
        raise ReadError(path, "binary data (NUL bytes), not a text file")
    try:
        text = data.decode("utf-16") if utf16 else data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = "UTF-16" if utf16 else "UTF-8"
        raise ReadError(path, f"not {encoding} text (invalid byte at offset {exc.start})") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * len(text):
        raise ReadError(path, "binary data (control characters), not a text file")
    return text
