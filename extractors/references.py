"""Documents a dispatch cites: "Chỉ thị số 46-CT/TW ngày 22/6/2015 của Bộ Chính trị về …".

Finding is separate from building: `find_citations` yields raw candidates (type,
number or law title, span); `extract_references` reads each candidate's date,
issuer and title from the words that follow it, merges repeated mentions (a
later mention only fills what the first lacked) and drops the document's own
number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from extractors.dates import DATE, parse_date_match
from extractors.rules import alternation, load_rules
from pipeline.segment import UPPER, SegmentedDoc
from schemas import Reference

NUMBER = (
    r"\d{1,6}[A-Za-z]?(?:\s?[-/]\s?(?:\d{2,4}(?![\d/]\d)|[A-ZĐa-zđ][\wĐđ&.]*?(?=[\s,;:)(/\-]|\.\s|\.$|$)))*"
    r"(?:\s?[-/]\s?[A-ZĐ][\wĐđ&]*)"
)


@dataclass(frozen=True)
class Citation:
    doc_type: str
    number: str | None
    title: str | None
    start: int
    end: int


@cache
def _patterns() -> dict[str, re.Pattern]:
    rules = load_rules("references")
    types = load_rules("doc_types")
    words = alternation(types.words() + rules["extra_type_words"])
    num = rf"(?P<num>{NUMBER})"
    more = rf"(?P<more>(?:\s*(?:,|và|;)\s*(?:số\s*)?{NUMBER}(?=\s|[,;.)]|$))*)"
    laws = alternation(rules["law_words"])
    stops = alternation(rules["law_title_stops"])
    return {
        "numbered": re.compile(rf"(?<![\w/])(?P<type>{words})\s*(?:số|Số|số:|Số:)?\s*:?\s*{num}{more}"),
        "number": re.compile(NUMBER),
        "law": re.compile(
            rf"(?<![\w])(?P<type>{laws})\s+(?P<title>(?:sửa đổi, bổ sung[^;()\n]*?|[{UPPER}][^;,.()\n“”\"]*?))"
            rf"(?P<year>\s+(?:năm\s+)?\d{{4}})?(?=\s+(?:{stops})(?!\w)|[;,.()\n“”\"]|$)"),
        "issuer": re.compile(rf"^\s*,?\s*(?:của|do)\s+(?P<issuer>[{UPPER}](?:(?!\s(?:{alternation(rules['issuer_stops'])})(?!\w))[^,;.()“”\"\n:])*)"),
        "date": re.compile(rf"^\s*,?\s*(?:được\s+)?(?:ban hành\s+)?(?:ngày|ngày:)\s*(?={DATE.pattern})"),
        "title": re.compile(r"^\s*,?\s*(?:về|V/v)\s+(?:việc\s+)?(?P<title>“[^”]+”|\"[^\"]+\"|[^;\n(]+?)(?=[;\n(]|\.\s|\.$|$)"),
    }


def find_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    end = len(text) if end is None else end
    pats = _patterns()
    types = load_rules("doc_types")
    found: list[Citation] = []
    for m in pats["numbered"].finditer(text, start, end):
        kind = types.canonical(m.group("type")) or "Công văn"
        found.append(Citation(kind, m.group("num"), None, m.start(), m.end("num")))
        for extra in pats["number"].finditer(m.group("more") or ""):
            base = m.start("more")
            number = extra.group(0)
            found.append(Citation(_type_of(number) or kind, number, None, base + extra.start(), base + extra.end()))
    for m in pats["law"].finditer(text, start, end):
        if re.match(r"\s*(?:số|Số)\s*\d", text[m.end():m.end() + 8]):
            continue
        title = f"{m.group('type')} {m.group('title')}{m.group('year') or ''}"
        kind = types.canonical(m.group("type")) or m.group("type")
        found.append(Citation(kind, None, re.sub(r"\s+", " ", title).strip(), m.start(), m.end()))
    return drop_overlaps(found)


def _type_of(number: str) -> str | None:
    symbol = re.search(r"[/-]\s?([A-ZĐ][A-Za-zĐđ]*)", number)
    return load_rules("doc_types").by_symbol(symbol.group(1)) if symbol else None


def drop_overlaps(citations: list[Citation]) -> list[Citation]:
    """Overlap policy: the longest citation wins; ties go to the earlier one."""
    kept: list[Citation] = []
    for c in sorted(citations, key=lambda c: (-(c.end - c.start), c.start)):
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _attributes(text: str, pos: int, limit: int, default_year: int | None) -> dict:
    """date / issuer / title read from the words after a citation, in any order."""
    pats = _patterns()
    out: dict = {}
    window = text[pos:limit]
    for _ in range(3):
        date_m = pats["date"].match(window)
        if date_m and "date" not in out:
            dm = DATE.match(window, date_m.end())
            out["date"] = parse_date_match(dm, default_year)
            window = window[dm.end():]
            continue
        iss = pats["issuer"].match(window)
        if iss and "issuer" not in out:
            out["issuer"] = re.sub(r"\s+", " ", iss.group("issuer")).strip(" ,")
            window = window[iss.end():]
            continue
        title = pats["title"].match(window)
        if title and "title" not in out:
            out["title"] = re.sub(r"\s+", " ", title.group("title")).strip(" “”\"")
            window = window[title.end():]
            continue
        break
    return out


def _key(number: str | None, title: str | None) -> str:
    if number:
        return re.sub(r"\s+", "", number).upper()
    return re.sub(r"\s+", " ", (title or "").lower())


def extract_references(doc: SegmentedDoc, own_number: str | None, issued: str | None) -> list[Reference]:
    text = doc.text
    body = doc.part("body")
    start = doc.part("subject").start if doc.part("subject") else (body.start if body else 0)
    end = body.end if body else len(text)
    default_year = int(issued[:4]) if issued else None
    citations = find_citations(text, start, end)
    refs: dict[str, Reference] = {}
    own = _key(own_number, None) if own_number else None
    for i, c in enumerate(citations):
        key = _key(c.number, c.title)
        if key == own or (c.number and c.number.strip().startswith("/")):
            continue
        limit = citations[i + 1].start if i + 1 < len(citations) else min(end, c.end + 400)
        attrs = _attributes(text, c.end, min(limit, c.end + 400), default_year)
        number = re.sub(r"\s+", " ", c.number).strip() if c.number else None
        ref = Reference(doc_type=c.doc_type, number=number, span=(c.start, c.end),
                        title=c.title or attrs.get("title"), date=attrs.get("date"), issuer=attrs.get("issuer"))
        _merge(refs, key, ref)
    return list(refs.values())


def _merge(refs: dict[str, Reference], key: str, ref: Reference) -> None:
    """A later mention fills only what the first one lacked."""
    if not ref.number:
        for k, existing in refs.items():
            if not existing.number and (k.startswith(key) or key.startswith(k)):
                return
    if key not in refs:
        refs[key] = ref
        return
    first = refs[key]
    updates = {f: getattr(ref, f) for f in ("date", "issuer", "title") if getattr(first, f) is None and getattr(ref, f)}
    if updates:
        refs[key] = replace_model(first, updates)


def replace_model(model: Reference, updates: dict) -> Reference:
    return model.model_copy(update=updates)


__all__ = ["Citation", "find_citations", "drop_overlaps", "extract_references", "replace"]
