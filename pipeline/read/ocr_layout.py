"""Tesseract's words laid out the way the dispatch reads.

Tesseract (`--psm 4`) gives lines row by row, across both columns of the header. Laid out here:
- its lines one per line, a blank line between its paragraphs;
- the two-column header of the first page and the closing block (Nơi nhận | signature) unfolded
  left block first, as the text-layer reader does (`pipeline.read.columns`), so a misread quốc
  hiệu cannot glue itself to the name block;
- a ruled table (`ocr_tables`) row by row, its cells joined by " | ", as a paragraph of its own
  where it stands, instead of Tesseract's lines running across its cells;
- the lines of a digital-signature stamp drawn in the page margin ("Ký bởi: …", "Cơ quan: …",
  "Ngày ký: …") dropped: a text layer does not carry them either.
"""
from __future__ import annotations

import re
from itertools import groupby

from pipeline.read.columns import MIN_GUTTER_PT, Line, Word, header_zone, inside, tail_zone, unfold
from pipeline.read.furniture import MARGIN
from pipeline.read.ocr_tables import TableGrid, table_lines
from pipeline.read.tesseract import Word as TessWord

# OCR reads the stamp's labels with a stray mark in front ("_ Cơ quan:", "x Ngày Ký:")
STAMP = re.compile(
    r"^(?:\S{1,2}\s+)?(?:Ký\s*bởi\b|Cơ\s*quan\s*:|Ngày\s*ký\s*:|Thời\s*gian\s*ký\s*:|Người\s*ký\s*:|Email\s*:)",
    re.I)
SIGNATURE_GAP_PT = 40.0  # signature lines above Nơi nhận belong to the closing block within this


def tesseract_lines(words: list[TessWord]) -> list[tuple[tuple[int, int], Line]]:
    """Tesseract's lines, each with the (block, paragraph) it belongs to."""
    lines = []
    for (block, par, _), line_words in groupby(words, key=lambda w: (w.block, w.par, w.line)):
        lines.append(((block, par), Line([Word(w.text, w.left, w.left + w.width, w.top, w.top + w.height)
                                         for w in line_words])))
    return lines


def with_tables(lines: list[tuple[tuple[int, int], Line]], words: list[TessWord],
                tables: tuple[TableGrid, ...]) -> list[tuple[tuple[int, int], Line]]:
    """Tesseract's lines with the words of each table taken out and the table's rows put in
    where the table starts, each table a paragraph of its own."""
    out = []
    for key, line in lines:
        rest = [w for w in line.words if not any(inside(w, table.box) for table in tables)]
        if rest:
            out.append((key, Line(rest)))
    for n, table in enumerate(tables):
        at = next((i for i, (_, line) in enumerate(out) if line.top >= table.box[1]), len(out))
        out[at:at] = [((-1, n), row) for row in table_lines(words, table)]
    return out


def is_stamp(line: Line, height: float) -> bool:
    in_margin = line.bottom <= MARGIN * height or line.top >= (1 - MARGIN) * height
    return in_margin and bool(STAMP.match(line.text))


def layout_text(words: list[TessWord], width: float | None = None, height: float | None = None,
                dpi: float = 300.0, first_page: bool = False, tables: tuple[TableGrid, ...] = ()) -> str:
    """The page's text: lines, paragraphs apart; ruled tables row by row; given the page size,
    stamps dropped and the two-column blocks unfolded (the header only on the first page)."""
    lines = tesseract_lines(words)
    if tables:
        lines = with_tables(lines, words, tables)
    if width is None or height is None:
        return render([(key, line.text) for key, line in lines])
    lines = [(key, line) for key, line in lines if not is_stamp(line, height)]
    bare = [line for _, line in lines]
    scale = dpi / 72
    zones = [tail_zone(bare, width, MIN_GUTTER_PT * scale, SIGNATURE_GAP_PT * scale)]
    if first_page:
        zones.append(header_zone(bare, width, height, MIN_GUTTER_PT * scale))
    out: list[tuple[tuple[int, int], str]] = []
    i = 0
    for zone in sorted(z for z in zones if z):
        if zone.start < i:
            continue
        out += [(key, line.text) for key, line in lines[i:zone.start]]
        key = lines[zone.start][0]
        out += [(key, text) for text in unfold(bare[zone.start:zone.end], zone.split)]
        i = zone.end
    out += [(key, line.text) for key, line in lines[i:]]
    return render(out)


def render(lines: list[tuple[tuple[int, int], str]]) -> str:
    """Lines of one paragraph joined by a newline, paragraphs by a blank line."""
    return "\n\n".join("\n".join(text for _, text in group)
                       for _, group in groupby(lines, key=lambda item: item[0]))
