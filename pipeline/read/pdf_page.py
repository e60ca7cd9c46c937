"""One page of a text-layer PDF as pdfplumber gives it: words with their positions (legacy
TCVN3/VNI fonts converted by their font, fake-bold doubles and stray spaces removed), grouped
into lines, ruled tables row by row, and whether the page is a scan that needs OCR."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipeline.read import legacy_fonts
from pipeline.read.columns import Line, Word, cell_text, group_lines, inside, row_lines
from pipeline.read.furniture import MARGIN

OCR_BELOW_CHARS = 100      # fewer body characters than this over a large image: a scanned page
OCR_IMAGE_SHARE = 0.10     # ... "large": images cover at least this share of the page


@dataclass
class PageText:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    needs_ocr: bool = False
    text: str | None = None       # set once the page is laid out (or read by OCR)
    confidence: float | None = None


def page_text(page) -> PageText:
    """Words and lines of one pdfplumber page; whether it needs OCR."""
    out = PageText(page.page_number, float(page.width), float(page.height))
    if has_doubled_chars(page.chars):
        page = page.dedupe_chars()
    tables = ruled_tables(page)
    every_word = page_words(page)
    words = [w for w in every_word if not any(inside(w, box) for box, _ in tables)]
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
        lines += row_lines([(cell, cell_text(words, cell) if cell else "") for cell in row.cells], row.bbox)
    return lines
