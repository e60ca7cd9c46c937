"""Deadlines of a task: absolute, relative to the issue date, or recurring.

Cue words live in rules/deadlines.json; one parser maps them to a Deadline.
Relative deadlines resolve against the issue date that is passed in, never
against today.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache

from extractors.dates import DATE, parse_date_match
from extractors.rules import alternation, load_rules
from schemas import Deadline

_NUM_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
              "mười lăm": 15, "hai mươi": 20, "ba mươi": 30}


@cache
def _patterns() -> dict:
    rules = load_rules("deadlines")
    rec = rules["recurrence"]
    return {
        "absolute": re.compile(
            rf"(?<!\w)(?:{alternation(rules['absolute'])})\s*:?\s*"
            rf"(?:\d{{1,2}}\s*(?:giờ|h)(?:\s*\d{{1,2}}\s*(?:phút)?)?\s*,?\s*(?:ngày\s*)?)?(?={DATE.pattern})", re.I),
        "relative": re.compile(
            rf"(?<!\w)(?:{alternation(rules['relative'])})\s+(?P<n>\d{{1,3}}|{alternation(list(_NUM_WORDS))})"
            rf"\s*(?:\(\d+\)\s*)?(?P<unit>ngày làm việc|ngày|tuần|tháng)\s*(?:,\s*)?"
            rf"(?P<anchor>{alternation(rules['relative_anchor'])})", re.I),
        "recurrence": re.compile(rf"(?<!\w)(?:{alternation(list(rec))})(?!\w)", re.I),
        "trigger": re.compile(rf"(?<!\w)(?:{alternation(rules['recurrence_triggers'])})(?!\w)", re.I),
        "day_month": re.compile(r"\d{1,2}\s?/\s?\d{1,2}\s*$|tháng\s+\d{1,2}\s*$|ngày\s+\d{1,2}\s*$"),
        "map": {k.lower(): v for k, v in rec.items()},
    }


def _add(start: date, n: int, unit: str) -> date:
    if unit == "ngày làm việc":
        d, left = start, n
        while left:
            d += timedelta(days=1)
            left -= d.weekday() < 5
        return d
    if unit == "tuần":
        return start + timedelta(weeks=n)
    if unit == "tháng":
        month = start.month - 1 + n
        year, month = start.year + month // 12, month % 12 + 1
        return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    return start + timedelta(days=n)


def _recurrence(text: str) -> tuple[str | None, re.Match | None]:
    pats = _patterns()
    for m in pats["recurrence"].finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        after = text[m.end():m.end() + 40]
        near_trigger = pats["trigger"].search(before[-40:] + " " + after[:25])
        after_date = pats["day_month"].search(before.rstrip())
        if near_trigger or after_date:
            return pats["map"][" ".join(m.group(0).lower().split())], m
    return None, None


def _next_year(iso_date: str) -> str:
    d = date.fromisoformat(iso_date)
    try:
        return d.replace(year=d.year + 1).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28).isoformat()


def find_deadline(text: str, issued: str | None) -> Deadline:
    """The first deadline stated in `text` (a task's sentence or item)."""
    pats = _patterns()
    default_year = int(issued[:4]) if issued else None
    recurrence, rec_m = _recurrence(text)
    abs_m = pats["absolute"].search(text)
    if abs_m:
        dm = DATE.match(text, abs_m.end())
        value = parse_date_match(dm, default_year)
        printed_year = dm.group("y1") or dm.group("y2")
        if value and len(value) == 10:
            if recurrence in ("yearly", "monthly") and not printed_year:
                value = None
            elif not printed_year and issued and len(issued) == 10 and value < issued:
                value = _next_year(value)  # 'trước ngày 10/01' in a December dispatch
            return Deadline(date=value, recurrence=recurrence, text=text[abs_m.start():dm.end()],
                            span=(abs_m.start(), dm.end()))
    rel = pats["relative"].search(text)
    if rel and issued and len(issued) == 10:
        n_raw = rel.group("n").lower()
        n = int(n_raw) if n_raw.isdigit() else _NUM_WORDS.get(n_raw, 0)
        due = _add(date.fromisoformat(issued), n, rel.group("unit").lower())
        return Deadline(date=due.isoformat(), recurrence=recurrence, text=rel.group(0), span=rel.span())
    if recurrence:
        start = max(0, rec_m.start() - 10)
        return Deadline(date=None, recurrence=recurrence, text=text[start:rec_m.end()].strip(), span=(start, rec_m.end()))
    return Deadline()


def schedule_deadline(cell: str, issued: str | None) -> Deadline:
    """The due date in the time cell of a schedule table: a cue and its date ('Trước ngày
    27/6/2026'), else the last date printed (a range '29/6/2026 - 09/7/2026' is due at its end,
    'Tháng 7/2026' in that month), else a recurrence word alone ('Hằng tháng')."""
    found = find_deadline(cell, issued)
    if found.date:
        return found
    default_year = int(issued[:4]) if issued else None
    dated = [(m, value) for m in DATE.finditer(cell) if (value := parse_date_match(m, default_year))]
    if dated:
        first, (last, value) = dated[0][0], dated[-1]
        return Deadline(date=value, recurrence=found.recurrence, text=cell[first.start():last.end()].strip(),
                        span=(first.start(), last.end()))
    if found.recurrence:
        return found
    word = _patterns()["recurrence"].search(cell)
    if word:
        return Deadline(date=None, recurrence=_patterns()["map"][" ".join(word.group(0).lower().split())],
                        text=word.group(0), span=word.span())
    return found


def deadline_spans(text: str) -> list[tuple[int, int]]:
    """Where each absolute due date is stated in `text` ('trước ngày 20/4/2026' …), in order."""
    pats = _patterns()
    spans = []
    for m in pats["absolute"].finditer(text):
        dm = DATE.match(text, m.end())
        if dm and (dm.group("y1") or dm.group("y2") or dm.group("m1")):
            spans.append((m.start(), dm.end()))
    return spans
