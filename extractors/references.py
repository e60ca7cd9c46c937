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

NUMBER = (  # a part ending in '.' ends the number: '40/2009/QH12.\n- Trường hợp …' is no '-Trường' part
    r"\d{1,6}[A-Za-z]?(?:(?<!\.)\s?[-/]\s?(?:\d{2,4}(?![\d/]\d)|[A-ZĐa-zđ][\wĐđ&.]*?(?=[\s,;:)(/\-]|\.\s|\.$|$)))*"
    r"(?:(?<!\.)\s?[-/]\s?[A-ZĐ][\wĐđ]*(?:&\s?[A-ZĐ][\wĐđ]*)?)"
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
    org = (rf"(?:[Ll]iên\s+[Bb]ộ\s[^;.()\n:]{{1,150}}?"
           rf"|(?:{alternation(rules['issuer_heads'])})\s[^,;.():]{{1,90}}?)")
    stops = alternation(rules["law_title_stops"])
    return {
        "numbered": re.compile(rf"(?<![\w/])(?P<type>{words})\s*(?:số|Số|SỐ)?\s*:?\s*{num}{more}"),
        "pre_issuer": re.compile(
            rf"(?:^|\s)(?:{alternation(rules['issuer_lead_ins'])})\s+(?P<org>{org})\s*(?:{alternation(rules['issuer_lead_outs'])})"
            rf"(?:\s+(?:{words})\s+số)?\s*$"
            rf"|(?:^|[\s,;.])(?P<org2>{org})\s*(?:\([^()]{{0,80}}\)\s*)?(?:{alternation(rules['issuer_verbs'])})\s*$"
            # 'báo cáo của Tổng công ty … về việc … (Công văn số …'
            rf"|(?:^|\s)của\s+(?P<org3>{org})\s+(?:về|tại)\s[^()]{{0,200}}\(\s*$"
),
        # 'ý kiến của các Bộ: Lao động - … (Công văn số …), Tài chính (Công văn số …'
        "members": re.compile(
            r"[Cc]ác\s+(?P<plural>Bộ|Sở|Ban)\s*:(?:[^()]*\([^()]*\)\s*,)*\s*(?P<member>[^():,]{2,80}?)\s*\(\s*$"),
        "pre_date": re.compile(rf"(?:Ngày|ngày)\s*(?={DATE.pattern})"),
        "number": re.compile(NUMBER),
        "bare": re.compile(rf"(?<!\w)(?:số|Số)\s*:?\s*(?P<num>{NUMBER})"),
        "aside": re.compile(r"^\s*\([^()]{1,40}\)"),
        "law": re.compile(
            rf"(?<![\w])(?P<type>{laws})\s+(?P<title>sửa\s+đổi,\s+bổ\s+sung[^;()]{{5,200}}?"
            rf"(?=\s+(?:ngày|số\s+\d|năm\s+\d)|\s+(?:về|để|tới|đến|cho|gửi|đã|được|phù hợp)\s|[;(]|\.\s|$)"
            rf"|(?:[{UPPER}]|{alternation(rules['law_lower_openers'])})[^;,.()\n“”\"]*?|(?=\s*năm\s+\d{{4}}))"
            rf"(?:(?P<year>\s*(?:năm\s+)?\d{{4}}(?:\s*(?:,|và)\s*\d{{4}})*)(?!\d)|(?=\s+(?:{stops})(?!\w)|[;,.()\n“”\"]|$))"),
        "issuer": re.compile(
            rf"^\s*,?\s*(?:của|do|CỦA|Của)\s+(?P<issuer>"
            rf"(?:[Ll]iên\s+[Bb]ộ|[Cc]ác\s+[Bb]ộ)\s*:\s*[^;()“”\"]{{1,120}}?(?=\s+(?:ngày|về|tại|quy định|hướng dẫn)(?!\w)|[;()]|\.\s|$)"
            rf"|[{UPPER}](?:(?!\s+(?i:{alternation(rules['issuer_stops'])})(?!\w)|\s+và\s+(?:{words}))"
            rf"(?:[^,;.()“”\":]|,\s(?=Chủ\s+nhiệm)|\([A-ZĐ][A-ZĐ0-9 &-]{{1,15}}\)))*)"),
        "date": re.compile(rf"^\s*,?\s*(?:được\s+)?(?:ban hành\s+)?(?:ngày|ngày:|NGÀY)\s*(?={DATE.pattern})"),
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
        if re.search(r"(?:dự\s+án|dự\s+thảo)\s*$", text[max(0, m.start() - 12):m.start()], re.I):
            continue  # a draft law is subject matter, not a cited document
        kind = types.canonical(m.group("type")) or m.group("type")
        base = re.sub(r"\s+", " ", f"{m.group('type')} {m.group('title')}").strip()
        if not m.group("title").strip() and not m.group("year"):
            continue
        years = re.findall(r"\d{4}", m.group("year") or "")
        prefix = " năm " if years and "năm" in (m.group("year") or "") else " "
        for year in years or [None]:
            title = base + (prefix + year if year else "")
            found.append(Citation(kind, None, title, m.start(), m.end()))
    for m in pats["bare"].finditer(text, start, end):
        number = m.group("num")
        kind = _type_of(number)
        if kind and re.search(r"[A-ZĐ]{2,}", number):
            found.append(Citation(kind, number, None, m.start("num") - 1, m.end("num")))
    return drop_overlaps(found)


def _type_of(number: str) -> str | None:
    symbol = re.search(r"[/-]\s?([A-ZĐ][A-Za-zĐđ]*)", number)
    return load_rules("doc_types").by_symbol(symbol.group(1)) if symbol else None


def drop_overlaps(citations: list[Citation]) -> list[Citation]:
    """Overlap policy: the longest citation wins; ties go to the earlier one."""
    kept: list[Citation] = []
    for c in sorted(citations, key=lambda c: (-(c.end - c.start), c.start)):
        if all(c.end <= k.start or c.start >= k.end or (c.start, c.end) == (k.start, k.end) for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _attributes(text: str, pos: int, limit: int, default_year: int | None) -> dict:
    """date / issuer / title read from the words after a citation, in any order."""
    pats = _patterns()
    out: dict = {}
    window = text[pos:limit]
    total = len(window)
    for _ in range(4):
        aside = pats["aside"].match(window)
        if aside and out:
            window = window[aside.end():]
        date_m = pats["date"].match(window)
        if date_m and "date" not in out:
            dm = DATE.match(window, date_m.end())
            out["date"] = parse_date_match(dm, default_year)
            window = window[dm.end():]
            continue
        iss = pats["issuer"].match(window)
        if iss and "issuer" not in out:
            out["issuer"] = _trim_issuer(iss.group("issuer"))
            window = window[iss.end():]
            continue
        title = pats["title"].match(window)
        if title and "title" not in out:
            out["title"] = re.sub(r"\s+", " ", title.group("title")).strip(" “”\"")
            window = window[title.end():]
            continue
        break
    out["_end"] = pos + (total - len(window))
    return out


def _before(text: str, start: int, end: int, default_year: int | None) -> dict:
    """Issuer (and date) printed before a citation: 'ý kiến của Bộ Tài chính tại Công văn số …'."""
    pats = _patterns()
    window = re.sub(r"\s+", " ", text[start:end])
    m = pats["pre_issuer"].search(window)
    if not m:
        members = pats["members"].search(re.sub(r"\s+", " ", text[max(0, end - 500):end]))
        return {"issuer": _member_issuer(members)} if members else {}
    group = next(g for g in ("org", "org2", "org3") if m.group(g))
    org = m.group(group).strip()
    out = {"issuer": org}
    head = window[:m.start(group)]
    date_m = None
    for date_m in pats["pre_date"].finditer(head):
        pass
    if date_m and len(head) - date_m.end() < 40:
        dm = DATE.match(head, date_m.end())
        out["date"] = parse_date_match(dm, default_year) if dm else None
    return out


def _member_issuer(m: re.Match) -> str:
    """'các Bộ: Tài chính (Công văn …' → 'Bộ Tài chính'."""
    member = m.group("member").strip()
    plural = m.group("plural")
    return member if re.match(rf"(?:{plural}|Ban|Ủy ban)\b", member) else f"{plural} {member}"


def _initials(words: list[str]) -> str:
    """'Bộ Giáo dục và Đào tạo' → 'BGDĐT' (every syllable but the connectors)."""
    return "".join(w[0].upper() for w in words if w[:1].isalpha() and w.lower() not in ("và", "của"))


def _trim_issuer(issuer: str) -> str:
    """'Thủ tướng Chính phủ và' (the next citation follows) → 'Thủ tướng Chính phủ'."""
    issuer = re.sub(r"\s+", " ", issuer).strip(" ,")
    issuer = re.sub(r"(?:\s+(?:và|của|cùng|với))+$", "", issuer)
    aside = re.search(r"\s*\(([^()]+)\)$", issuer)
    if aside:  # '(GDĐT)' after 'Bộ Giáo dục và Đào tạo' defines an abbreviation; '(PV GAS)' names the body
        short = aside.group(1).replace(" ", "")
        words = issuer[:aside.start()].split()
        if _initials(words)[-len(short):] == short:
            issuer = issuer[:aside.start()]
    return issuer


def _key(number: str | None, title: str | None) -> str:
    if number:
        return re.sub(r"\s+", "", number).upper()
    words = load_rules("references")["law_abbreviations"]
    expanded = " ".join(words.get(w, w) for w in (title or "").split())
    return re.sub(r"\s+", " ", expanded.lower().replace(" năm ", " "))


def extract_references(doc: SegmentedDoc, own_number: str | None, issued: str | None) -> list[Reference]:
    text = doc.text
    body = doc.part("body")
    start = doc.part("subject").start if doc.part("subject") else (body.start if body else 0)
    end = len(text)
    default_year = int(issued[:4]) if issued else None
    recipients = doc.part("noi_nhan")
    citations = [c for c in find_citations(text, start, end)
                 if not (recipients and recipients.start <= c.start < recipients.end)]
    own = _key(own_number, None) if own_number else None
    kept = [c for c in citations if _key(c.number, c.title) != own and not (c.number and c.number.strip().startswith("/"))]
    attrs = [_citation_attributes(text, kept, i, end, default_year) for i in range(len(kept))]
    _share_issuers(text, kept, attrs)
    refs: dict[str, Reference] = {}
    for c, a in zip(kept, attrs):
        key = _key(c.number, c.title)
        if not c.number and a.get("date"):
            key += "@" + a["date"]
        number = re.sub(r"\s+", " ", c.number).strip() if c.number else None
        ref = Reference(doc_type=c.doc_type, number=number, span=(c.start, c.end),
                        title=c.title or a.get("title"), date=a.get("date"), issuer=a.get("issuer"))
        _merge(refs, key, ref)
    return list(refs.values())


def _citation_attributes(text: str, cites: list[Citation], i: int, end: int, default_year: int | None) -> dict:
    c = cites[i]
    limit = cites[i + 1].start if i + 1 < len(cites) else min(end, c.end + 400)
    attrs = _attributes(text, c.end, min(limit, c.end + 400), default_year)
    if not attrs.get("issuer"):
        before = max(cites[i - 1].end if i else 0, c.start - 220)
        attrs.update({k: v for k, v in _before(text, before, c.start, default_year).items() if not attrs.get(k)})
    attrs["_end"] = attrs.get("_end", c.end)
    return attrs


def _share_issuers(text: str, cites: list[Citation], attrs: list[dict]) -> None:
    """'Chỉ thị số 31-CT/TU ngày …, Kế hoạch số 134-KH/TU ngày … của Ban Thường vụ Tỉnh ủy':
    citations joined by ',' / 'và' that carry no issuer share the issuer of the last one."""
    for i in range(len(cites) - 2, -1, -1):
        if attrs[i].get("issuer") or not attrs[i + 1].get("issuer"):
            continue
        between = text[attrs[i]["_end"]:cites[i + 1].start]
        if re.fullmatch(r"\s*(?:,|và|,\s*và)\s*(?:các\s+)?(?:\w+\s+){0,3}?", between):
            attrs[i]["issuer"] = attrs[i + 1]["issuer"]


def _merge(refs: dict[str, Reference], key: str, ref: Reference) -> None:
    """A later mention fills only what the first one lacked; a fuller law title replaces a bare one."""
    if not ref.number:
        for k, existing in list(refs.items()):
            if existing.number or ("@" in k and "@" in key and k != key):
                continue
            old, new = k.split("@")[0], key.split("@")[0]
            if old == new or old.startswith(new):
                _fill(refs, k, ref)
                return
            if new.startswith(old):
                del refs[k]
                refs[key] = ref
                _fill(refs, key, existing)
                return
    if key not in refs:
        refs[key] = ref
        return
    _fill(refs, key, ref)


def _fill(refs: dict[str, Reference], key: str, ref: Reference) -> None:
    first = refs[key]
    updates = {f: getattr(ref, f) for f in ("date", "issuer", "title") if getattr(first, f) is None and getattr(ref, f)}
    if updates:
        refs[key] = replace_model(first, updates)


def replace_model(model: Reference, updates: dict) -> Reference:
    return model.model_copy(update=updates)


__all__ = ["Citation", "find_citations", "drop_overlaps", "extract_references", "replace"]
