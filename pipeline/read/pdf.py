"""Born-digital PDFs: the text layer read with its layout, page by page.

pypdfium2 opens the file first (fast): it refuses encrypted and damaged files and counts the
pages before anything is parsed. pdfplumber then gives every word with its position, and the
text is rebuilt the way the dispatch reads:

- words are grouped into lines by their vertical position;
- running page furniture is dropped: bare page numbers, the Công báo running header, and any
  line repeated in the top or bottom margin of most pages;
- the two-column header of page 1 (name block and số on the left, quốc hiệu and date on the
  right) comes out as two blocks, left then right, and so does the closing block (Nơi nhận on
  the left, signature on the right);
- ruled tables come out row by row (cells of rows of three or more joined by " | ");
- fonts of the TCVN3 and VNI families are converted to Unicode.

Pages whose text layer is missing or negligible (scans; a mixed PDF is decided page by page)
are read by OCR. `Document.pages` maps every character offset to its page.

One page's words, lines and tables: `pdf_page`; furniture: `furniture`; the two columns: `columns`.
"""
from __future__ import annotations

import io
import time
import unicodedata
from pathlib import Path

from pipeline.read import legacy_fonts, limits
from pipeline.read.columns import MIN_GUTTER_PT as MIN_GUTTER
from pipeline.read.columns import header_zone, tail_zone, unfold_zones
from pipeline.read.errors import ReadError
from pipeline.read.furniture import drop_furniture
from pipeline.read.pdf_page import PageText, page_text
from schemas import Document, Page, Source

MAX_PAGES = 500            # no dispatch is longer; a 2,000-page file is refused before parsing
MAX_CHARS = 3_000_000      # text of all pages, counted by pdfium before pdfplumber parses
TIME_LIMIT = 180.0         # seconds for the whole text layer (≈ 22 pages/s: 500 pages take ~25 s)
OCR_REVIEW_BELOW = 70.0    # mean OCR word confidence under which a person should check the text


# ---------------------------------------------------------------- entry point

def read_pdf(path: Path, data: bytes) -> Document:
    count = check_pdf(path, data)
    pages, warnings = text_layer(path, data, count)
    scanned = [p.number for p in pages if p.needs_ocr]
    if scanned:
        ocr_pages(path, pages, scanned)
    drop_furniture(pages)
    for page in pages:
        if page.text is None:
            page.text, encoding = legacy_fonts.fix_text("\n".join(layout(page)))
            if encoding:
                warnings.append(f"page {page.number}: text in {encoding.upper()} fonts converted to Unicode")
    if looks_truncated(data):
        warnings.append("the file looks truncated (no %%EOF at its end): read what was there")
    return assemble(path, pages, count, warnings)


def looks_truncated(data: bytes) -> bool:
    """A PDF ends with %%EOF (white space after it is fine); an earlier revision's does not count."""
    last = data.rfind(b"%%EOF")
    return last < 0 or bool(data[last + 5:].strip(b"\r\n\t \0"))


def check_pdf(path: Path, data: bytes) -> int:
    """Page count, from pypdfium2; refuse encrypted, damaged, too long or too large files."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium.raw.FPDF_ERR_PASSWORD, pdfium.raw.FPDF_ERR_SECURITY):
            raise ReadError(path, "encrypted PDF: it needs a password to open") from None
        raise ReadError(path, f"damaged or truncated PDF ({exc})") from None
    try:
        count = len(document)
        if count == 0:
            raise ReadError(path, "a PDF with no pages")
        if count > MAX_PAGES:
            raise ReadError(path, f"too many pages for a dispatch ({count} > {MAX_PAGES})")
        chars = 0
        for index in range(count):
            page = document[index]
            textpage = page.get_textpage()
            chars += textpage.count_chars()
            textpage.close()
            page.close()
            if chars > MAX_CHARS:
                raise ReadError(path, f"too much text for a dispatch (over {MAX_CHARS:,} characters)")
        return count
    finally:
        document.close()


# ---------------------------------------------------------------- the text layer

def text_layer(path: Path, data: bytes, count: int) -> tuple[list[PageText], list[str]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    started = time.monotonic()
    pages: list[PageText] = []
    try:
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            for page in pdf.pages:
                limits.check(f"reading the text layer (page {page.page_number})")
                pages.append(page_text(page))
                page.close()
                if time.monotonic() - started > TIME_LIMIT:
                    raise ReadError(path, f"the text layer took over {TIME_LIMIT:.0f} s to read")
    except ReadError:
        raise
    except PDFPasswordIncorrect:
        raise ReadError(path, "encrypted PDF: it needs a password to open") from None
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        if "password" in str(exc).lower() or type(exc.__cause__ or exc).__name__ == "PDFPasswordIncorrect":
            raise ReadError(path, "encrypted PDF: it needs a password to open") from None
        raise ReadError(path, f"damaged PDF ({type(exc).__name__}: {exc})") from None
    warnings = [] if len(pages) == count else [f"pdfplumber read {len(pages)} of {count} pages"]
    return pages, warnings


# ---------------------------------------------------------------- two-column blocks

def layout(page: PageText) -> list[str]:
    """The page's lines in reading order: column blocks unfolded left, then right."""
    header = header_zone(page.lines, page.width, page.height, MIN_GUTTER) if page.number == 1 else None
    tail = tail_zone(page.lines, page.width, MIN_GUTTER, max_gap=40)
    return unfold_zones(page.lines, (header, tail))


# ---------------------------------------------------------------- OCR and assembly

def ocr_pages(path: Path, pages: list[PageText], numbers: list[int]) -> None:
    try:
        from pipeline.read.ocr import ocr_pdf_pages
    except ImportError:
        raise ReadError(path, "scanned pages need OCR, which is not available") from None
    results = ocr_pdf_pages(path, numbers)
    by_number = {p.number: p for p in pages}
    for number, (text, confidence) in zip(numbers, results):
        page = by_number[number]
        page.text, page.confidence, page.lines = text.strip("\n"), confidence, []


def assemble(path: Path, pages: list[PageText], count: int, warnings: list[str]) -> Document:
    parts, page_map, offset = [], [], 0
    for i, page in enumerate(pages):
        chunk = unicodedata.normalize("NFC", page.text) + ("\n" if i < len(pages) - 1 else "")
        page_map.append(Page(number=page.number, start=offset, end=offset + len(chunk),
                             ocr=page.needs_ocr, confidence=page.confidence))
        parts.append(chunk)
        offset += len(chunk)
    text = "".join(parts)
    if not text.strip():
        raise ReadError(path, "a PDF with no text (no text layer and nothing to OCR)")
    ocr = [p for p in pages if p.needs_ocr]
    confidences = [p.confidence for p in ocr if p.confidence is not None]
    mean = sum(confidences) / len(confidences) if confidences else None
    for p in ocr:
        warnings.append(f"page {p.number}: no usable text layer, read by OCR")
    source = Source(media_type="application/pdf", pages=count, ocr=bool(ocr), ocr_confidence=mean,
                    needs_review=mean is not None and mean < OCR_REVIEW_BELOW)
    return Document(text=text, source=source, pages=page_map, warnings=warnings)
