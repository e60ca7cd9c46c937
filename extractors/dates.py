"""Dates as Vietnamese dispatches print them, parsed to ISO 8601.

"04/9/2018", "04-9-2018", "04.9.2018", "ngày 04 tháng 9 năm 2018", "tháng 6 năm 2019"
(blank day → "2019-06"), "20/4" (year taken from a reference year the caller passes in).
"""
from __future__ import annotations

import re
from datetime import date

DATE_NUMERIC = r"(?P<d1>\d{1,2})\s?[/.\-]\s?(?P<m1>\d{1,2})(?:\s?[/.\-]\s?(?P<y1>\d{4}))?(?![\d/])"
DATE_WORDS = (
    r"(?:(?:ngày\s*)?(?P<d2>\d{1,2})\s*)?tháng\s*(?P<m2>\d{1,2})\s*(?:(?:năm|/)\s*(?P<y2>\d{4}))?"
)
DATE = re.compile(rf"(?:ngày\s*)?(?:{DATE_NUMERIC}|{DATE_WORDS})", re.I)


def _valid(y: int, m: int, d: int | None) -> bool:
    try:
        date(y, m, d or 1)
        return True
    except ValueError:
        return False


def iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if not _valid(year, month, day):
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def parse_date_match(m: re.Match, default_year: int | None = None) -> str | None:
    """ISO date of a DATE match; a missing year comes from `default_year`."""
    groups = m.groupdict()
    if groups.get("m1"):
        day, month, year = int(groups["d1"]), int(groups["m1"]), groups.get("y1")
    elif groups.get("m2"):
        day = int(groups["d2"]) if groups.get("d2") else None
        month, year = int(groups["m2"]), groups.get("y2")
    else:
        return None
    year_i = int(year) if year else default_year
    if day is None and not year:
        return None
    return iso(year_i, month, day)


def parse_date(text: str, default_year: int | None = None) -> str | None:
    m = DATE.search(text)
    return parse_date_match(m, default_year) if m else None


def year_of(iso_date: str | None) -> int | None:
    return int(iso_date[:4]) if iso_date else None
