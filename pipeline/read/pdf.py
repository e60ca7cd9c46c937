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
"""
from __future__ import annotations

import bisect
import io
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.read import legacy_fonts, limits
from pipeline.read.columns import MIN_GUTTER_PT as MIN_GUTTER
from pipeline.read.columns import Line, Word, group_lines, header_zone, tail_zone, unfold_zones
from pipeline.read.errors import ReadError
from schemas import Document, Page, Source

MAX_PAGES = 500            # no dispatch is longer; a 2,000-page file is refused before parsing
MAX_CHARS = 3_000_000      # text of all pages, counted by pdfium before pdfplumber parses
TIME_LIMIT = 180.0         # seconds for the whole text layer (≈ 22 pages/s: 500 pages take ~25 s)
MARGIN = 0.09              # share of the page height at top and bottom where furniture lives
OCR_BELOW_CHARS = 100      # fewer body characters than this over a large image: a scanned page
OCR_IMAGE_SHARE = 0.10     # ... "large": images cover at least this share of the page
OCR_REVIEW_BELOW = 70.0    # mean OCR word confidence under which a person should check the text

PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:Trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.I)
GAZETTE = re.compile(r"^C[ÔO]NG\s*BÁO\s*/\s*(?:Số|S[ốỐ])\b", re.I)


@dataclass
class PageText:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    needs_ocr: bool = False
    text: str | None = None       # set once the page is laid out (or read by OCR)
    confidence: float | None = None


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


def page_text(page) -> PageText:
    """Words and lines of one pdfplumber page; whether it needs OCR."""
    out = PageText(page.page_number, float(page.width), float(page.height))
    if has_doubled_chars(page.chars):
        page = page.dedupe_chars()
    tables = ruled_tables(page)
    every_word = page_words(page)
    words = [w for w in every_word if not any(_inside(w, box) for box, _ in tables)]
    out.needs_ocr = looks_scanned(page, every_word, out.height)
    out.lines = group_lines(words) + [table_line for _, rows in tables for table_line in rows]
    out.lines.sort(key=lambda line: (line.top, line.x0))
    return out


def has_doubled_chars(chars: list[dict]) -> bool:
    """Is some letter printed twice in the same place (a producer's fake bold)? Cheap check first:
    pdfplumber's dedupe_chars sorts every character and costs as much as the rest of the page."""
    seen, doubled = set(), 0
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        doubled += key in seen
        seen.add(key)
    return doubled > 0.02 * len(chars)


def page_words(page) -> list[Word]:
    words = []
    stray = stray_spaces(page.chars)
    if stray:
        page = page.filter(lambda obj: id(obj) not in stray)
    for w in page.extract_words(x_tolerance=2, y_tolerance=3, keep_blank_chars=False,
                                use_text_flow=False, return_chars=True):
        text = word_text(w["chars"])
        if text.strip():
            words.append(Word(text, float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"])))
    return words


def stray_spaces(chars: list[dict]) -> set[int]:
    """Space characters drawn inside a letter of the same line (Word leaves some: "21/C T-TTg");
    they would cut the word in two. Returned by id()."""
    letters: dict[int, list[tuple[float, float]]] = {}
    for c in chars:
        if not c["text"].isspace():
            letters.setdefault(round(c["top"]), []).append((c["x0"], c["x1"]))
    starts = {top: [x0 for x0, _ in sorted(spans)] for top, spans in letters.items()}
    for spans in letters.values():
        spans.sort()
    stray = set()
    for c in chars:
        width = c["x1"] - c["x0"]
        if not c["text"].isspace() or width <= 0:
            continue
        for top in range(round(c["top"]) - 2, round(c["top"]) + 3):
            if top not in letters:
                continue
            i = bisect.bisect_right(starts[top], c["x0"] + 0.1 * width)  # letters starting at or before it
            if any(x1 >= c["x1"] - 0.1 * width for _, x1 in letters[top][max(0, i - 2):i]):
                stray.add(id(c))
                break
    return stray


def word_text(chars: list[dict]) -> str:
    """A word's text, with runs in legacy Vietnamese fonts converted by their font."""
    out, run, run_font = [], [], None
    for char in chars:
        font = legacy_fonts.font_encoding(char.get("fontname"))
        if font != run_font and run:
            out.append(_convert(run, run_font))
            run = []
        run_font = font
        run.append(char["text"])
    if run:
        out.append(_convert(run, run_font))
    return "".join(out)


def _convert(run: list[str], font: tuple[str, bool] | None) -> str:
    text = "".join(run)
    return legacy_fonts.to_unicode(text, *font) if font else text


def looks_scanned(page, words: list[Word], height: float) -> bool:
    """A page to OCR: its text layer is missing, negligible next to a large image, or glyph ids."""
    body = sum(len(w.text) for w in words if MARGIN * height < w.top < (1 - MARGIN) * height)
    cids = sum(1 for c in page.chars if c.get("text", "").startswith("(cid:"))
    if page.chars and cids > 0.3 * len(page.chars):
        return True
    area = float(page.width * page.height) or 1.0
    covered = sum(_clipped_area(image, page) for image in page.images) / area
    return body < OCR_BELOW_CHARS and (covered >= OCR_IMAGE_SHARE or (body == 0 and bool(page.images)))


def _clipped_area(obj: dict, page) -> float:
    width = min(float(obj["x1"]), float(page.width)) - max(float(obj["x0"]), 0.0)
    height = min(float(obj["bottom"]), float(page.height)) - max(float(obj["top"]), 0.0)
    return max(width, 0.0) * max(height, 0.0)


# ---------------------------------------------------------------- tables

def ruled_tables(page) -> list[tuple[tuple[float, float, float, float], list[Line]]]:
    """Ruled tables of two columns or more: (bbox, their rows as lines). Rows of three cells or
    more are one line, cells joined by " | "; in a two-column table each cell is a line."""
    found = []
    for table in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
        rows = [row for row in table.rows if any(cell is not None for cell in row.cells)]
        width = max((len(row.cells) for row in rows), default=0)
        if len(rows) < 2 or width < 2:
            continue
        found.append((table.bbox, table_lines(page, table.bbox, rows)))
    return found


def table_lines(page, bbox, rows) -> list[Line]:
    words = page_words(page.within_bbox(bbox))
    lines = []
    for row in rows:
        cells = [_cell_text(words, cell) if cell else "" for cell in row.cells]
        top, bottom = row.bbox[1], row.bbox[3]
        if not any(cells):
            continue
        if len([c for c in row.cells if c]) >= 3:
            lines.append(Line([Word(" | ".join(cells), row.bbox[0], row.bbox[2], top, bottom)]))
        else:  # two cells: each a line of its own, left then right (as from a DOCX)
            lines += [Line([Word(text, cell[0], cell[2], top, bottom)]) for cell, text in zip(row.cells, cells)
                      if cell and text]
    return lines


def _cell_text(words: list[Word], cell) -> str:
    inside = [w for w in words if _inside(w, cell)]
    return " ".join(line.text for line in group_lines(inside)) if inside else ""


def _inside(word: Word, box) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


# ---------------------------------------------------------------- page furniture

def drop_furniture(pages: list[PageText]) -> None:
    """Remove page numbers, Công báo running headers and lines repeated in the margins."""
    repeated = repeated_margin_lines(pages)
    for page in pages:
        if page.text is not None:  # read by OCR: the first and last lines by their text alone
            rows = page.text.split("\n")
            filled = [i for i, row in enumerate(rows) if row.strip()]
            edge = set(filled[:2] + filled[-2:])
            page.text = "\n".join(t for i, t in enumerate(rows) if not (i in edge and is_furniture(t)))
            continue
        page.lines = [line for line in page.lines
                      if not (in_margin(line, page) and (is_furniture(line.text) or _key(line.text) in repeated))]


def is_furniture(text: str) -> bool:
    """A bare page number or a Công báo running header."""
    text = text.strip()
    return bool(PAGE_NUMBER.match(text) or GAZETTE.match(text))


def in_margin(line: Line, page: PageText) -> bool:
    return line.bottom <= MARGIN * page.height * 1.2 or line.top >= (1 - MARGIN) * page.height


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def repeated_margin_lines(pages: list[PageText]) -> set[str]:
    """Margin lines (digits ignored) printed on most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for page in pages:
        for key in {_key(line.text) for line in page.lines if in_margin(line, page)}:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, n in seen.items() if n >= max(3, 0.5 * len(pages))}


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
