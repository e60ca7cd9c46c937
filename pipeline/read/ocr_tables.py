"""Ruled tables of a scanned page: their cell grid from the page's rules, their rows from the words.

Tesseract reads a table line by line across its cells, so the cells of a row interleave ("Ban
hành kế hoạch; rà soát danh sách Trước ngày Phòng Đào tạo; Trung"). Here, as the text-layer
reader does (`pdf_page.ruled_tables`), a ruled table comes out row by row, its cells joined by
" | ".

- `find_tables(grey, across, reduction, dpi)`: the grids, from the long horizontal rules
  `preprocess` finds before erasing them. Two rules of the same extent, one below the other,
  bound a row when at least one vertical line crosses the whole space between them (a line of
  text cannot: it is shorter than its row); the vertical lines of that row are its cell edges,
  so a header cell over two columns stays one cell. Rows that share a rule make one table; a
  table has two rows or more. Vertical lines are measured row by row on the full page (dark over
  most of the row's height), because a thin scanned line breaks up too often to be found whole.
- `table_lines(words, grid)`: each row as layout lines: a cell's text is Tesseract's words whose
  centres fall inside it, line by line; its readings of a rule's remains ('|', '_', a flat
  '…' along a rule) are dropped or trimmed off the words they stick to.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from pipeline.read.columns import Line, Word, cell_text, inside, row_lines
from pipeline.read.tesseract import Word as TessWord

MM_PER_IN = 25.4
MIN_RULE_MM = 30.0       # a rule bounding a table row is at least this long
MIN_ROW_MM = 3.5         # a row is at least one line of text tall
SAME_EDGE_MM = 3.0       # the ends of two rules of one row, or a separator and a border, this close
RULE_GAP_MM = 1.0        # a rule broken by the scan for less than this is one rule
SEPARATOR_SHARE = 0.8    # a cell's edge is dark over this share of its row's height ...
DARK = 170               # ... "dark" on the grey page (a thin scanned line is grey, not black)
RULE_MARKS = "|_—¬`'ˆ~"     # a rule's remains, as Tesseract reads them at a word's ends
MIN_CONF = 10.0          # Tesseract's own rating of a word below which it is noise
FLAT, THIN = 0.35, 0.15  # a word flatter, or thinner, than this share of the table's word height
JUNK = set("|_—¬`'‘’\".,:;~^*°¡!¦[](){}“”")  # a dash stays: "29/6/2026 - 09/7/2026"


@dataclass(frozen=True)
class GridRow:
    """One row of a ruled table, in page pixels: its rules' heights and its cells' edges."""
    top: int
    bottom: int
    edges: tuple[int, ...]  # left border, every vertical line between cells, right border


@dataclass(frozen=True)
class TableGrid:
    rows: tuple[GridRow, ...]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (min(r.edges[0] for r in self.rows), self.rows[0].top,
                max(r.edges[-1] for r in self.rows), self.rows[-1].bottom)


# ---------------------------------------------------------------- the grid, from the image

def _px(mm: float, dpi: float) -> int:
    return max(1, round(mm * dpi / MM_PER_IN))


def _runs(indices: np.ndarray, gap: int) -> list[np.ndarray]:
    """Sorted indices split where two neighbours are more than `gap` apart."""
    return np.split(indices, np.flatnonzero(np.diff(indices) > gap) + 1) if indices.size else []


def horizontal_rules(across: np.ndarray, reduction: int, dpi: float) -> list[tuple[int, int, int]]:
    """(y, x0, x1) in page pixels of each horizontal rule at least MIN_RULE_MM long, top down."""
    scale_dpi = dpi / reduction
    out = []
    for rows in _runs(np.flatnonzero(across.any(axis=1)), 2):
        cols = np.flatnonzero(across[rows[0]:rows[-1] + 1].any(axis=0))
        for run in _runs(cols, _px(RULE_GAP_MM, scale_dpi)):
            if run[-1] - run[0] + 1 >= _px(MIN_RULE_MM, scale_dpi):
                out.append((int(rows.mean() * reduction + reduction // 2), int(run[0] * reduction),
                            int((run[-1] + 1) * reduction)))
    return sorted(out)


def cell_edges(dark: np.ndarray, top: int, bottom: int, x0: int, x1: int, dpi: float) -> tuple[int, ...] | None:
    """The edges of the cells between two rules (None: no line between cells crosses the row)."""
    inset, tolerance = _px(0.8, dpi), _px(SAME_EDGE_MM, dpi)
    left = max(0, x0 - tolerance)
    band = dark[top + inset:bottom - inset, left:x1 + tolerance]
    if band.shape[0] < 2 or band.shape[1] < 3:
        return None
    near = band.copy()  # a line a pixel or two off straight still counts
    near[:, 1:] |= band[:, :-1]
    near[:, :-1] |= band[:, 1:]
    lines = [left + int(run.mean()) for run in _runs(np.flatnonzero(near.mean(axis=0) >= SEPARATOR_SHARE), 1)]
    inner = [x for x in lines if x0 + tolerance < x < x1 - tolerance]
    return (x0, *inner, x1) if inner else None


def _same_extent(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int) -> bool:
    return abs(a[1] - b[1]) <= tolerance and abs(a[2] - b[2]) <= tolerance


def find_tables(grey: Image.Image, across: np.ndarray, reduction: int, dpi: float) -> tuple[TableGrid, ...]:
    """The ruled tables of a levelled page (`across`: its long horizontal runs at 1/`reduction`)."""
    rules = horizontal_rules(across, reduction, dpi)
    if len(rules) < 3:  # two rows need three rules
        return ()
    dark = np.asarray(grey) < DARK
    tolerance, min_row = _px(SAME_EDGE_MM, dpi), _px(MIN_ROW_MM, dpi)
    bands: list[tuple[int, int, GridRow]] = []  # (index of top rule, of bottom rule, row)
    for i, upper in enumerate(rules):
        j = next((j for j in range(i + 1, len(rules))
                  if rules[j][0] - upper[0] >= min_row and _same_extent(upper, rules[j], tolerance)), None)
        if j is None:
            continue
        edges = cell_edges(dark, upper[0], rules[j][0], upper[1], upper[2], dpi)
        if edges is None:
            continue
        if bands and bands[-1][1] == j:  # a doubled rule above: the tighter row
            bands.pop()
        bands.append((i, j, GridRow(upper[0], rules[j][0], edges)))
    tables: list[list[GridRow]] = []
    for k, (i, _, row) in enumerate(bands):
        if k and bands[k - 1][1] == i:
            tables[-1].append(row)
        else:
            tables.append([row])
    grids: list[TableGrid] = []
    for rows in tables:  # a run of rows under a rule drawn across part of a table is not another table
        grid = TableGrid(tuple(rows))
        if len(rows) >= 2 and not any(_overlap(grid.box, other.box) for other in grids):
            grids.append(grid)
    return tuple(grids)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# ---------------------------------------------------------------- the rows, from the words

def is_junk(text: str) -> bool:
    """What Tesseract reads in a rule's remains or a cell's corner: marks without a letter or digit."""
    return all(c in JUNK or c.isspace() for c in text)


def _trimmed(word: TessWord) -> Word | None:
    """The word without the rule marks Tesseract glued to its ends ("_—_-Đào"), its box narrowed
    in proportion; None when nothing is left."""
    left = word.text.lstrip(RULE_MARKS)
    if len(left) < len(word.text):  # a dash after the marks is the rule's too; a dash alone is print
        left = left.lstrip("-–")
    text = left.rstrip(RULE_MARKS)
    if not text or is_junk(text.replace("|", "")):
        return None
    per_char = word.width / len(word.text)
    x0 = word.left + per_char * (len(word.text) - len(left))
    x1 = word.left + word.width - per_char * (len(left) - len(text))
    text = text.replace("|", "")
    return Word(text, x0, x1, word.top, word.top + word.height)


def cell_words(words: list[TessWord], grid: TableGrid) -> list[Word]:
    """The words inside the table that are print: not a rule's remains (flat, or a hairline
    tall and thin: '_', '|', 'Ì'), not what Tesseract itself rates as noise."""
    inside_words = [w for w in words if inside(_word(w), grid.box)]
    if not inside_words:
        return []
    height = float(np.median([w.height for w in inside_words]))
    kept = []
    for w in inside_words:
        if w.conf < MIN_CONF or w.height < FLAT * height or w.width < THIN * height:
            continue
        trimmed = _trimmed(w)
        if trimmed is not None:
            kept.append(trimmed)
    return kept


def _word(w: TessWord) -> Word:
    return Word(w.text, w.left, w.left + w.width, w.top, w.top + w.height)


def table_lines(words: list[TessWord], grid: TableGrid) -> list[Line]:
    """The table's rows as lines (cells of three columns or more joined by " | ")."""
    kept = cell_words(words, grid)
    lines = []
    for row in grid.rows:
        cells = [(x0, row.top, x1, row.bottom) for x0, x1 in zip(row.edges, row.edges[1:])]
        box = (row.edges[0], row.top, row.edges[-1], row.bottom)
        lines += row_lines([(cell, cell_text(kept, cell)) for cell in cells], box)
    return lines
