"""What a dispatch is: type, number, place and date, issuer, subject, urgency."""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.casing import normal_case
from extractors.dates import iso
from extractors.rules import load_rules
from pipeline.segment import GAZETTE, NATIONAL, RULE_LINE, SegmentedDoc
from pipeline.vntext import collapse_spaces

Span = tuple[int, int]


@dataclass(frozen=True)
class Field:
    value: str | None
    span: Span | None = None
    how: str | None = None  # how it was found, for its confidence


# OCR of a 'Số:' line whose digits a stamp or form field overprinted: 'Sô1§4ØBGDĐT-GDPT'
_GARBLED_NUMBER = re.compile(r"(?m)^[ \t]*S[ốôoóỐÔ]\S{0,10}?(?P<symbol>[A-ZĐ]{2,}[A-ZĐ0-9]*-[A-ZĐ0-9][A-ZĐ0-9-]*)")


def number(doc: SegmentedDoc) -> Field:
    m = doc.matches.get("number")
    if not m:
        garbled = _GARBLED_NUMBER.search(doc.text, 0, doc.body_start or min(len(doc.text), 2500))
        if garbled:  # the symbol is legible, the digits are not: keep it as a blank number
            return Field("/" + garbled.group("symbol"), garbled.span("symbol"), "garbled")
        return Field(None)
    value = re.sub(r"\s+", "", m.group("value"))
    value = re.sub(r"^[.…_]+(?=/)", "", value)  # '.../KH-DCT': a number left blank with dots
    tail = re.match(r"\s?(-\s?[A-ZĐ][\wĐđ-]*)", doc.text[m.end():m.end() + 20])
    if tail and value.count("-") == 0:
        value += tail.group(1).replace(" ", "")
    if not value or not re.search(r"[/\-]", value):
        return Field(None)
    return Field(value, (m.start("value"), m.end()))


def issued(doc: SegmentedDoc) -> tuple[Field, Field]:
    """(issued_date, place) from '<place>, ngày … tháng … năm …'."""
    m = doc.matches.get("place_date")
    if not m:
        return Field(None), Field(None)
    day = int(m.group("day")) if m.group("day").strip(" .…_").isdigit() else None
    month_raw = m.group("month").replace(" ", "")
    month = int(month_raw) if month_raw.isdigit() else None
    value = iso(int(m.group("year")), month, day) or m.group("year")
    place = collapse_spaces(m.group("place"))
    return Field(value, (m.start("day"), m.end())), Field(place, (m.start("place"), m.end("place")))


def doc_type(doc: SegmentedDoc, number_value: str | None) -> Field:
    types = load_rules("doc_types")
    m = doc.matches.get("doc_type")
    if m:
        return Field(types.canonical(m.group(1)), (m.start(1), m.end(1)), "type_word")
    if "vv" in doc.matches:
        return Field("Công văn", how="vv")
    symbol = re.search(r"/([A-ZĐ][A-Za-zĐđ]*)-", number_value or "")
    by_symbol = types.by_symbol(symbol.group(1)) if symbol else None
    if by_symbol:
        return Field(by_symbol, how="symbol")
    return Field("Công văn", how="addressed") if "kinh_gui" in doc.matches else Field(None)


def subject(doc: SegmentedDoc) -> Field:
    part = doc.part("subject")
    if not part:
        return Field(None)
    text = collapse_spaces(part.text).strip(" :.")
    text = re.sub(r"^(?:V/[vV]|Về việc|VỀ VIỆC|Về|VỀ)\s*:?\s+", "", text)
    return Field(_sentence_case(text), part.span)


def _sentence_case(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        lowered = normal_case(text)
        return lowered
    return text


_SYMBOL = re.compile(r"[A-ZĐ]{2,}[A-ZĐ0-9]*-[A-ZĐ]{2,}|^S[ốôoó]\S*\d")
_JUNK_LINE = re.compile(r"^(?:Ký bởi|Cơ quan|Ngày ký|Thời gian ký|Email|Người ký)\b.*$", re.M)


def name_block_bodies(doc: SegmentedDoc) -> list[tuple[str, Span]]:
    """The bodies of the name block, top to bottom, each as printed."""
    part = doc.part("name_block")
    if not part:
        return []
    heads = load_rules("org_heads")
    date = doc.matches.get("place_date")
    lines = _name_lines(doc.text, part.start, part.end, date.span() if date else None)
    bodies: list[list] = []
    for text, start in lines:
        for piece, offset in _inline_pieces(text, heads):
            if bodies and (heads.is_incomplete(bodies[-1][0]) or len(bodies[-1][0].split()) < 2
                           or not heads.is_head(piece)):
                bodies[-1][0] += " " + piece
                bodies[-1][2] = start + offset + len(piece)
            else:
                bodies.append([piece, start + offset, start + offset + len(piece)])
    return [(collapse_spaces(b[0]), (b[1], b[2])) for b in bodies]


def _inline_pieces(text: str, heads) -> list[tuple[str, int]]:
    pieces, last = [], 0
    for m in heads.inline_split.finditer(text):
        pieces.append((text[last:m.start()], last))
        last = m.end()
    pieces.append((text[last:], last))
    return [(p, o) for p, o in pieces if p.strip()]


def _name_lines(text: str, start: int, end: int, date: tuple[int, int] | None = None) -> list[tuple[str, int]]:
    """Upper-case lines of the name block, with the quốc hiệu, rules and the date line cut out."""
    chunk = text[start:end]
    if date and start <= date[0] < end:
        a, b = date[0] - start, min(date[1], end) - start
        chunk = chunk[:a] + " " * (b - a) + chunk[b:]
    for pattern in (NATIONAL, RULE_LINE, GAZETTE, _JUNK_LINE):
        chunk = pattern.sub(lambda m: " " * len(m.group(0)), chunk)
    out = []
    for m in re.finditer(r"[^\n]+", chunk):
        line = m.group(0).strip()
        letters = [c for c in line if c.isalpha()]
        if _SYMBOL.search(line):  # an OCR-garbled 'Số: 1849/BGDĐT-GDPT' line is not a body
            continue
        if letters and sum(c.isupper() for c in letters) >= 0.7 * len(letters):
            out.append((line, start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))))
    return out


def issuer(doc: SegmentedDoc) -> tuple[Field, Field]:
    """(issuer, parent_issuer): the lowest body of the name block and the one above it."""
    bodies = name_block_bodies(doc)
    if not bodies:
        return Field(None), Field(None)
    low = Field(normal_case(bodies[-1][0]), bodies[-1][1])
    parent = Field(normal_case(bodies[-2][0]), bodies[-2][1]) if len(bodies) > 1 else Field(None)
    return low, parent


# a stamp, not a word of the subject: 'KHẨN TRƯƠNG', 'KHẨN CẤP' are not 'KHẨN'
_MARKS = re.compile(r"(?<!\w)(THƯỢNG KHẨN|HỎA TỐC HẸN GIỜ|HỎA TỐC|HOẢ TỐC|KHẨN)(?!\w)(?!\s*(?:TRƯƠNG|CẤP|trương|cấp))")
_SECRECY = re.compile(r"(?<!\w)(TUYỆT MẬT|TỐI MẬT|MẬT)(?!\w)")


def marks(doc: SegmentedDoc) -> tuple[Field, Field]:
    """(urgency, secrecy) stamps printed in the header."""
    end = doc.body_start or min(len(doc.text), 800)
    out = []
    for pattern in (_MARKS, _SECRECY):
        m = pattern.search(doc.text, 0, end)
        out.append(Field(normal_case(m.group(1)), m.span(1)) if m else Field(None))
    return out[0], out[1]
