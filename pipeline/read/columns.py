"""Words on a page into lines, and the two-column blocks of a dispatch unfolded.

A dispatch prints two blocks side by side twice: the header of page 1 (name block and số on the
left, quốc hiệu and place and date on the right) and the closing block (Nơi nhận on the left,
the signature on the right). Read row by row, their halves run together ("BỘ TÀI CHÍNH CỘNG HÒA
…"); unfolded, the left block comes first, then the right. The same code serves text layers
(positions in points) and OCR (positions in pixels): the smallest gutter is a parameter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

MIN_GUTTER_PT = 6.0  # points of white space that separate two columns
NOI_NHAN = re.compile(r"^N[ơo]i\s*nh[ậâa]n\b", re.I)


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Line:
    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in sorted(self.words, key=lambda w: w.x0))


@dataclass(frozen=True, order=True)
class Zone:
    """Lines [start, end) of a page that print two columns split at x = `split`."""
    start: int
    end: int
    split: float


def group_lines(words: list[Word]) -> list[Line]:
    """Words into lines: a word joins the line it overlaps vertically by half its height."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        line = lines[-1] if lines else None
        if line is not None:
            overlap = min(line.bottom, word.bottom) - max(line.top, word.top)
            if overlap >= 0.5 * min(word.bottom - word.top, line.bottom - line.top):
                line.words.append(word)
                continue
        lines.append(Line([word]))
    return lines


Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def inside(word: Word, box: Box) -> bool:
    """Does the word's centre fall inside the box?"""
    x0, top, x1, bottom = box
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def cell_text(words: list[Word], cell: Box) -> str:
    """A table cell's text: the words whose centres fall inside it, line by line."""
    found = [w for w in words if inside(w, cell)]
    return " ".join(line.text for line in group_lines(found)) if found else ""


def row_lines(cells: list[tuple[Box | None, str]], box: Box) -> list[Line]:
    """A table row as lines: three cells or more are one line, cells joined by " | " (a cell
    covered by its neighbour, None, is an empty one); two cells are a line each, left then right."""
    if not any(text for _, text in cells):
        return []
    x0, top, x1, bottom = box
    if sum(1 for cell, _ in cells if cell) >= 3:
        return [Line([Word(" | ".join(text for _, text in cells), x0, x1, top, bottom)])]
    return [Line([Word(text, cell[0], cell[2], top, bottom)]) for cell, text in cells if cell and text]


def unfold(lines: list[Line], split: float) -> list[str]:
    """The lines of a two-column zone: every left half, then every right half."""
    left = [Line([w for w in line.words if w.x1 <= split]) for line in lines]
    right = [Line([w for w in line.words if w.x0 >= split]) for line in lines]
    return [line.text for line in left + right if line.words]


def column_run(lines: list[Line], start: int, lo: float, hi: float, min_gutter: float) -> tuple[int, float | None]:
    """From `start`, the lines that share a vertical gutter between lo and hi: (end, split x)."""
    free = [(lo, hi)]
    end = start
    pad = min_gutter / 6
    for line in lines[start:]:
        narrowed = subtract(free, [(w.x0 - pad, w.x1 + pad) for w in line.words])
        narrowed = [gap for gap in narrowed if gap[1] - gap[0] >= min_gutter]
        if not narrowed:
            break
        free, end = narrowed, end + 1
    if end == start:
        return start, None
    gap = max(free, key=lambda g: g[1] - g[0])
    return end, (gap[0] + gap[1]) / 2


def subtract(free: list[tuple[float, float]], spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The intervals of `free` not covered by any of `spans`."""
    for s0, s1 in spans:
        out = []
        for f0, f1 in free:
            if s1 <= f0 or s0 >= f1:
                out.append((f0, f1))
                continue
            if s0 > f0:
                out.append((f0, s0))
            if s1 < f1:
                out.append((s1, f1))
        free = out
    return free


def two_sided(lines: list[Line], split: float) -> bool:
    """Does some line print on both sides of the split?"""
    return any(any(w.x1 <= split for w in line.words) and any(w.x0 >= split for w in line.words)
               for line in lines)


def header_zone(lines: list[Line], width: float, height: float, min_gutter: float,
                first_lines: int = 3) -> Zone | None:
    """The two-column header at the top of page 1, opening within its first lines."""
    lo, hi = 0.3 * width, 0.7 * width
    for start in range(min(first_lines, len(lines))):
        if lines[start].top > 0.4 * height:
            break
        end, split = column_run(lines, start, lo, hi, min_gutter)
        if split is not None and end - start >= 2 and two_sided(lines[start:end], split):
            return Zone(start, end, split)
    return None


def tail_zone(lines: list[Line], width: float, min_gutter: float, max_gap: float) -> Zone | None:
    """Nơi nhận on the left, the signature on the right, and signature lines just above them
    (no further than `max_gap` apart)."""
    at = next((i for i, line in enumerate(lines) if NOI_NHAN.match(line.text)), None)
    if at is None:
        return None
    end, split = column_run(lines, at, 0.3 * width, 0.75 * width, min_gutter)
    if split is None or end - at < 2 or not two_sided(lines[at:end], split):
        return None
    start = at
    while start > 0 and lines[start - 1].x0 >= split and lines[start].top - lines[start - 1].bottom < max_gap:
        start -= 1
    return Zone(start, end, split)


def unfold_zones(lines: list[Line], zones: Iterable[Zone | None]) -> list[str]:
    """The page's lines in reading order: each zone's columns unfolded left, then right."""
    out: list[str] = []
    i = 0
    for zone in sorted(z for z in zones if z):
        if zone.start < i:
            continue
        out += [line.text for line in lines[i:zone.start]]
        out += unfold(lines[zone.start:zone.end], zone.split)
        i = zone.end
    out += [line.text for line in lines[i:]]
    return [t for t in out if t.strip()]
