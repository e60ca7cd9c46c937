"""Schedule tables of a plan: each row an obligation, its due date and its units in their cells.

A plan's "Tiến độ thực hiện" prints a table "TT | Nội dung công việc | Thời gian thực hiện | Đơn vị
chủ trì/phối hợp". Every reader emits a row of three cells or more as one line, cells joined by
" | " (PDF text layer, DOCX, OCR). A table is a schedule when its header row names a content
column and a time column (`schedule_columns` of rules/tasks.json); each row under it then
stands for one task. Rows of a table whose header names no time (a list of procedures, of
beneficiaries, of schools) are left alone. The table runs while its lines are rows of the
header's width; a repeated header (a table going on over a page) keeps it going.

This module finds the rows (`find_schedule_rows`); `extractors.tasks` builds the tasks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extractors.rules import alternation, load_rules
from pipeline.normalize import Line, split_lines
from pipeline.segment import SegmentedDoc

ROLES = ("content", "time", "units")


@dataclass(frozen=True)
class Cell:
    start: int  # offsets in the normalised text, white space stripped
    end: int
    text: str


@dataclass(frozen=True)
class ScheduleRow:
    start: int
    end: int
    content: Cell
    time: Cell | None
    units: tuple[Cell, ...]


@cache
def _headings() -> dict[str, re.Pattern]:
    columns = load_rules("tasks")["schedule_columns"]
    return {role: re.compile(rf"^(?:{alternation(columns[role])})(?!\w)", re.I) for role in ROLES}


def cells(line: Line) -> list[Cell]:
    """The cells of a " | " row, with their offsets (an empty cell is an empty text)."""
    out, start = [], line.start
    for part in line.text.split("|"):
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        out.append(Cell(start + lead, start + lead + len(text), text))
        start += len(part) + 1
    return out


def header_roles(row: list[Cell]) -> dict[str, list[int]] | None:
    """Column indices by role, when the row is a schedule's header (a content and a time column)."""
    pats = _headings()
    roles: dict[str, list[int]] = {role: [] for role in ROLES}
    for i, cell in enumerate(row):
        role = next((r for r in ROLES if pats[r].match(cell.text)), None)
        if role:
            roles[role].append(i)
    if not roles["content"] or not roles["time"]:
        return None
    return roles


def _row(line: Line, row: list[Cell], roles: dict[str, list[int]]) -> ScheduleRow | None:
    """A row of the table as a schedule row; None for an empty or a group heading row (no time, no unit)."""
    content = row[roles["content"][0]]
    time = row[roles["time"][0]]
    units = tuple(row[i] for i in roles["units"] if row[i].text)
    if not content.text or not (time.text or units):
        return None
    return ScheduleRow(line.start, line.end, content, time if time.text else None, units)


def find_schedule_rows(doc: SegmentedDoc) -> tuple[list[ScheduleRow], set[int]]:
    """The schedule rows of the body, and the starts of every line of the schedule tables
    (header and heading rows too): those lines are not read again as sentences."""
    body = doc.part("body")
    if not body:
        return [], set()
    found: list[ScheduleRow] = []
    taken: set[int] = set()
    roles, width = None, 0
    for line in split_lines(doc.text, body.start, body.end):
        row = cells(line) if "|" in line.text else []
        if len(row) < 3:
            roles = None
            continue
        header = header_roles(row)
        if header:
            roles, width = header, len(row)
            taken.add(line.start)
            continue
        if roles is None or len(row) != width:
            continue
        taken.add(line.start)
        item = _row(line, row, roles)
        if item:
            found.append(item)
    return found, taken


def split_units(cell: Cell) -> list[str]:
    """The units a cell names: parts between ';' (or the items of a '- …' list), as printed."""
    text = re.sub(r"\s+", " ", cell.text)
    parts = re.split(r"(?:^|\s)[-+•]\s+", text) if re.match(r"[-+•]\s", text) else text.split(";")
    return [p.strip(" ,;.") for p in parts if p.strip(" ,;.")]
