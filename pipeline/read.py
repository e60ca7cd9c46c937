"""Read an input file into text, refusing what is not a readable dispatch.

Issue 2 covers plain text; other formats are refused by their content, not their
extension. Every refusal is a `ReadError` naming the file and the reason.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from schemas import Source

MAX_TEXT_BYTES = 20_000_000  # a dispatch is a few pages; 20 MB of text is not one

_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP/DOCX archive",
    b"\xd0\xcf\x11\xe0": "an old Office (.doc) file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"{\\rtf": "an RTF document",
}


class ReadError(Exception):
    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


@dataclass(frozen=True)
class RawText:
    text: str
    source: Source


def read_text(path: Path) -> RawText:
    path = Path(path)
    if not path.exists():
        raise ReadError(path, "no such file")
    if path.is_dir():
        raise ReadError(path, "is a directory")
    size = path.stat().st_size
    if size == 0:
        raise ReadError(path, "empty file (0 bytes)")
    if size > MAX_TEXT_BYTES:
        raise ReadError(path, f"too large for a dispatch ({size / 1e6:.1f} MB > {MAX_TEXT_BYTES / 1e6:.0f} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot be read ({exc.strerror or exc})") from None
    kind = next((name for magic, name in _MAGIC.items() if data.startswith(magic)), None)
    if kind:
        raise ReadError(path, f"{kind}, not plain text (only .txt input is read yet)")
    text = _decode(path, data)
    if not text.strip():
        raise ReadError(path, "contains only white space")
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), media_type="text/plain")
    return RawText(text, source)


def _decode(path: Path, data: bytes) -> str:
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
