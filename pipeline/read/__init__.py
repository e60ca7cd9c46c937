"""Read any file archive staff drop into a `schemas.Document`: one `read(path)` in front,
one reader per format behind it, chosen by the file's bytes (magic numbers), not its name.

Readers are plain functions `(path, data) -> Document` named in `READERS`; each is
imported on first use, so reading a text file never loads pdfplumber or Tesseract.
Every refusal is a `ReadError` naming the file and the reason; reading one file stops after
CONGVAN_READ_TIMEOUT seconds (`pipeline.read.limits`).
"""
from __future__ import annotations

import hashlib
from importlib import import_module
from pathlib import Path
from typing import Callable

from pipeline.read import limits
from pipeline.read.errors import ReadError
from pipeline.read.sniff import sniff
from pipeline.read.text import MAX_TEXT_BYTES
from schemas import Document

MAX_FILE_BYTES = 200_000_000  # no dispatch, even a 300-dpi scan of 50 pages, is larger

# media type → "module:function"
READERS: dict[str, str] = {
    "text/plain": "pipeline.read.text:read_plain_text",
    "application/pdf": "pipeline.read.pdf:read_pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "pipeline.read.docx:read_docx",
    "application/msword": "pipeline.read.office:read_doc",
    "application/vnd.oasis.opendocument.text": "pipeline.read.office:read_odt",
    "application/rtf": "pipeline.read.office:read_rtf",
    "image/png": "pipeline.read.ocr:read_image",
    "image/jpeg": "pipeline.read.ocr:read_image",
    "image/tiff": "pipeline.read.ocr:read_image",
}


def reader_for(media_type: str) -> Callable[[Path, bytes], Document] | None:
    target = READERS.get(media_type)
    if target is None:
        return None
    module, function = target.split(":")
    return getattr(import_module(module), function)


def file_bytes(path: Path) -> bytes:
    path = Path(path)
    if not path.exists():
        raise ReadError(path, "no such file")
    if path.is_dir():
        raise ReadError(path, "is a directory")
    size = path.stat().st_size
    if size == 0:
        raise ReadError(path, "empty file (0 bytes)")
    if size > MAX_TEXT_BYTES and _looks_textual(path):
        raise ReadError(path, f"too large for a dispatch ({size / 1e6:.1f} MB > {MAX_TEXT_BYTES / 1e6:.0f} MB)")
    if size > MAX_FILE_BYTES:
        raise ReadError(path, f"too large for a dispatch ({size / 1e6:.0f} MB > {MAX_FILE_BYTES / 1e6:.0f} MB)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot be read ({exc.strerror or exc})") from None


def _looks_textual(path: Path) -> bool:
    """Peek at the head only: a huge text file is refused before it is read whole."""
    with open(path, "rb") as handle:
        return sniff(handle.read(4096))[0] == "text/plain"


def read(path: Path | str) -> Document:
    """The text of a dispatch file, whatever its format, with its source described."""
    path = Path(path)
    data = file_bytes(path)
    media_type, label = sniff(data)
    reader = reader_for(media_type)
    if reader is None:
        raise ReadError(path, f"{label}: not a format congvan reads")
    with limits.budget(path):  # CONGVAN_READ_TIMEOUT: the whole document, not just each page
        document = reader(path, data)
    source = document.source.model_copy(update={
        "path": str(path), "sha256": hashlib.sha256(data).hexdigest(), "media_type": media_type})
    return document.model_copy(update={"source": source})


__all__ = ["ReadError", "read", "READERS", "sniff"]
