"""The normal forms the store matches on: search text, document numbers, duplicate keys, due dates."""
from __future__ import annotations

import calendar
import re

from pipeline.vntext import fold, new_tones, nfc

_NON_WORD = re.compile(r"[^0-9a-z]+")


def search_key(text: str | None) -> str:
    """Lower case, diacritics folded, anything but letters and digits a single space, padded with
    one space at each end: 'An ninh, trật tự' → ' an ninh trat tu '. A phrase then matches as whole
    words with `LIKE '% an ninh trat tu %'`, with or without its accents and punctuation."""
    if not text:
        return " "
    words = _NON_WORD.sub(" ", fold(new_tones(nfc(text)).lower())).split()
    return " " + " ".join(words) + " " if words else " "


def like_phrase(text: str) -> str | None:
    """The LIKE pattern that finds `text` as a phrase in a `search_key` column (None: no words)."""
    key = search_key(text)
    return f"%{key}%" if key.strip() else None


def number_key(number: str | None) -> str | None:
    """A document number as compared (CONTRACT §3: upper case, no spaces; also no accents):
    '2094/SGDĐT-HSSV' and '2094/SGDDT-HSSV' are one number."""
    if not number:
        return None
    key = fold(nfc(re.sub(r"\s+", "", number))).upper()
    return key or None


def query_number_key(text: str) -> str | None:
    """`number_key` of what an analyst types: 'Chỉ thị 46-CT/TW' → '46-CT/TW'."""
    tokens = [t for t in text.split() if any(c.isdigit() for c in t)]
    return number_key(max(tokens, key=len) if tokens else text)


def has_serial(number_key_: str | None) -> bool:
    """A number with its serial printed ('2094/SGDĐT-HSSV'), not a blank one ('/SGDĐT-CTTT')."""
    return bool(number_key_) and number_key_[0].isdigit()


def doc_key(number: str | None, issuer: str | None, issued_date: str | None) -> str | None:
    """(number, issuer, year) of a dispatch, or None when the number has no serial or the year is
    unknown: blank numbers repeat across dispatches and cannot identify one."""
    key = number_key(number)
    if not has_serial(key) or not issued_date or not issued_date[:4].isdigit():
        return None
    return f"{key}|{search_key(issuer).strip()}|{issued_date[:4]}"


def due_by(date: str | None) -> str | None:
    """The last day a (possibly partial) ISO date covers: '2019-06' → '2019-06-30'."""
    if not date:
        return None
    parts = date.split("-")
    try:
        if len(parts) == 1:
            return f"{int(parts[0]):04d}-12-31"
        year, month = int(parts[0]), int(parts[1])
        if len(parts) == 2:
            return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
        return f"{year:04d}-{month:02d}-{int(parts[2]):02d}"
    except (ValueError, calendar.IllegalMonthError):
        return None
