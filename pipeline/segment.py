"""Split a dispatch into the parts Nghị định 30/2020/NĐ-CP lays out.

Parts (any may be missing): ``gazette`` (Công báo running header), ``name_block``,
``national`` (quốc hiệu), ``number``, ``place_date``, ``doc_type``, ``subject``,
``kinh_gui``, ``body``, ``noi_nhan``, ``signature``. Each is a `Segment` of the
normalised text. Real input runs parts together on one line (portal copies) or
wraps them over several (PDF text layers), so parts are found by anchors over the
text, not line by line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.normalize import NormText, normalize, starts_item
from extractors.rules import load_rules

UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
LOWER = "a-zđâăêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
NATIONAL = re.compile(
    r"C[ỘO]NG\s*H[ÒO][AÀ]?\s*X[ÃA]\s*H[ỘO]I\s*CH[ỦU]\s*NGH[ĨI]A\s*VI[ỆE]T\s*NAM"
    r"|Độc\s*lập\s*[-–—]+\s*Tự\s*do\s*[-–—]+\s*Hạnh\s*phúc",
    re.I,
)
RULE_LINE = re.compile(r"[-_–—=.]{3,}")
NUMBER = re.compile(
    # OCR reads 'Số:' as 'Sô:' / 'Só:'; those only count with their colon
    r"(?:(?<![\w/])S[ốỐ]\s*(?::|\s)|(?<![\w/])S[ôÔóÓ]\s*:|(?:^|(?<=\s\s))số\s*:)\s*(?P<value>[^\s]*(?:\s?/\s?[^\s]+)?)", re.M)
_PLACE_WORD = rf"[{UPPER}a-zàáảãạ][^\W\d_]*"
PLACE_DATE = re.compile(
    rf"(?P<place>(?<![\w/\-])(?:(?:TP|Tp)\.\s?)?[{UPPER}][^\W\d_]*"
    rf"(?:[ \t]{{1,2}}{_PLACE_WORD}){{0,5}}(?:[ \t]*\n[ \t]*[{UPPER}][^\W\d_]*(?:[ \t]{{1,2}}{_PLACE_WORD}){{0,2}})?)"
    rf"\s*[,.]\s*ngày\s*(?P<day>\d{{1,2}}|[.…_ ]*)\s*"
    r"tháng\s*(?P<month>\d{1,2}|\d\s\d|[.…_ ]*)\s*năm\s*(?P<year>\d{4})",
)
KINH_GUI = re.compile(rf"Kính\s+gửi\s*:?|(?<=[{UPPER}])\s+điện\s*:", re.I)
NOI_NHAN = re.compile(r"Nơi\s+nh[ậâa]n\s*:")  # 'Nơi nhân:' is how OCR often reads it
VV = re.compile(r"(?<!\w)(?:V/v|V/V|Về việc)\s*:?\s*")
CLOSING = re.compile(r"\./\.|(?<=\s)/\.(?=\s|$)|\.\s/\.")
GAZETTE = re.compile(r"^C[ÔO]NG\s+BÁO/.*$|^\d{1,4}$", re.M)
# Page furniture of PDF text layers: running headers, page numbers, signature stamps.
FURNITURE = re.compile(
    r"^(?:C[ÔO]NG\s+BÁO/.*|\d{1,4}|Ký bởi:.*|Cơ quan:.*|Ngày ký:.*|Thời gian ký:.*|Email:.*|Người ký:.*)$"
)
BLANK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Segment:
    kind: str
    start: int
    end: int
    text: str

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass
class SegmentedDoc:
    norm: NormText
    parts: dict[str, Segment] = field(default_factory=dict)
    matches: dict[str, re.Match] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.norm.text

    def part(self, kind: str) -> Segment | None:
        return self.parts.get(kind)

    def add(self, kind: str, start: int, end: int) -> None:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end > start:
            self.parts[kind] = Segment(kind, start, end, self.text[start:end])

    @cached_property
    def body_start(self) -> int:
        return self.parts["body"].start if "body" in self.parts else 0


def segment(raw_or_norm: str | NormText) -> SegmentedDoc:
    norm = raw_or_norm if isinstance(raw_or_norm, NormText) else normalize(raw_or_norm)
    doc = SegmentedDoc(norm)
    text = norm.text
    head_start, head_limit = _header_window(text)
    _find_header(doc, text, head_start, head_limit)
    body_start = _body_start(doc, text)
    body_end, tail_start = _body_end(doc, text, body_start)
    doc.add("body", body_start, body_end)
    _find_tail(doc, text, tail_start)
    return doc


def _header_window(text: str) -> tuple[int, int]:
    """Where the header is: the first ~2,500 chars, or around a quốc hiệu printed later
    (portal copies sometimes open with a news summary of the document)."""
    first = NATIONAL.search(text, 0, min(len(text), 8000))
    start = 0
    if first and first.start() > 1500:
        line = text.rfind("\n\n", 0, first.start() - 150)
        start = max(0, first.start() - 400, line + 1 if line >= 0 else 0)
    return start, min(len(text), start + 2500)


def find_place_date(text: str, start: int, end: int) -> re.Match | None:
    """'<place>, ngày … tháng … năm …'; a place wraps onto the date's line only when it
    opens its own line ('Thành phố Hồ Chí\nMinh, ngày …'), not after a subject's last words."""
    m = PLACE_DATE.search(text, start, end)
    if m and "\n" in m.group("place"):
        first_line = m.group("place").split("\n")[0]
        if (m.start() > 0 and text[m.start() - 1] != "\n") or first_line.isupper():
            return PLACE_DATE.search(text, text.index("\n", m.start()) + 1, end)
    return m


def _first(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    return pattern.search(text, start, end)


def _find_header(doc: SegmentedDoc, text: str, start: int, limit: int) -> None:
    nationals = list(NATIONAL.finditer(text, start, limit))
    nationals = [m for m in nationals if m.start() - nationals[0].end() < 300]
    number = _first(NUMBER, text, start, limit)
    if number and nationals and number.start() > nationals[-1].end() + 400:
        number = None
    date = find_place_date(text, start, limit)
    if nationals:
        doc.add("national", nationals[0].start(), nationals[-1].end())
        doc.matches["national_last"] = nationals[-1]
    if number:
        doc.matches["number"] = number
        doc.add("number", number.start(), number.end())
    if date:
        doc.matches["place_date"] = date
        doc.add("place_date", date.start(), date.end())
    if nationals or number:
        ends = [number.start()] if number else [m.start() for m in (date,) if m]
        name_end = min(ends + [nationals[-1].end() + 200 if nationals else limit])
        doc.add("name_block", start, name_end)
    _find_type_and_subject(doc, text, limit)
    kg = _first(KINH_GUI, text, start, limit if doc.parts else min(limit, 400))
    if kg:
        doc.matches["kinh_gui"] = kg


def _anchor_ends(doc: SegmentedDoc) -> list[int]:
    return [m.end() for k, m in doc.matches.items() if k in ("number", "place_date", "national_last")]


def _find_type_and_subject(doc: SegmentedDoc, text: str, limit: int) -> None:
    after = max(_anchor_ends(doc), default=0)
    vv = VV.search(text, 0, min(limit, after + 600)) if doc.matches else None
    type_m = _type_word(text, max(0, (doc.matches.get("number").start() if "number" in doc.matches else 0)), limit)
    if type_m:
        doc.matches["doc_type"] = type_m
        doc.add("doc_type", type_m.start(1), type_m.end(1))
    number = doc.matches.get("number")
    if not vv and not type_m and number:
        vv = re.compile(r"(?m)^Về\s+(?=\S)").search(text, number.end(), min(limit, number.end() + 300))
    if vv and (not type_m or vv.start() < type_m.start()):
        doc.matches["vv"] = vv
        doc.add("subject", vv.end(), _subject_end(doc, text, vv.end(), limit))
    elif type_m:
        start = type_m.end()
        start += len(text[start:]) - len(text[start:].lstrip())
        lead = re.match(r"(?:V/[vV]|Về việc|VỀ VIỆC|Về|VỀ)\s*:?\s*(?=\S)", text[start:start + 20])
        if lead:
            start += lead.end()
        doc.add("subject", start, _subject_end(doc, text, start, limit, typed=True))


def _type_word(text: str, start: int, limit: int) -> re.Match | None:
    words = "|".join(re.escape(w) for w in load_rules("doc_types").upper_words())
    pattern = re.compile(rf"(?:^|(?<=\s))({words})(?=\s*\n|\s+[A-ZĐ\wÀ-ỹ]|$)(?!\s*(?:SỐ|số)\b)", re.M)
    for m in pattern.finditer(text, start, limit):
        before = text[max(0, m.start() - 2):m.start()]
        if text[m.start():m.end()].isupper() and (m.start() == 0 or before.endswith(("\n", " "))):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if _looks_like_type_line(text, line_start, m):
                return m
    return None


def _looks_like_type_line(text: str, line_start: int, m: re.Match) -> bool:
    prefix = text[line_start:m.start()]
    if NATIONAL.search(prefix):
        return False
    # the type word stands alone on its line, or after the date / number on a run-together line
    return not prefix.strip() or PLACE_DATE.search(prefix) is not None or NUMBER.search(prefix) is not None


_BODY_CUE = re.compile(
    r"(?:Căn cứ|Thực hiện|Theo|Xét|Để|Nhằm|Trong|Ngày|Tại|Trả lời|Sau khi|Hiện nay|Vừa qua|Qua|Trên cơ sở|Thời gian qua)\b"
)


def _subject_end(doc: SegmentedDoc, text: str, start: int, limit: int, typed: bool = False) -> int:
    stops = [limit]
    for pattern in (KINH_GUI, PLACE_DATE, NATIONAL, BLANK):
        m = pattern.search(text, start, limit)
        if m:
            stops.append(m.start())
    end = min(stops)
    lines = text[start:end].split("\n")
    kept, pos = [], start
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i > 0 and (_BODY_CUE.match(stripped) or (typed and _is_authority_line(stripped, kept))):
            break
        if i > 0 and re.match(r"(?:[IVX]+|\d+)\.\s", stripped):
            break
        if kept and _case_changes(kept[-1], stripped):  # an upper-case subject, then the body
            break
        kept.append(stripped)
        pos += len(line) + 1
    return min(pos, end)


def _case_changes(previous: str, line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    upper = letters and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return previous.isupper() and len(letters) > 12 and not upper


def _is_authority_line(line: str, kept: list[str]) -> bool:
    """'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH' under an upper-case subject starts the preamble."""
    if not line.isupper():
        return False
    return load_rules("org_heads").starts_authority(line) or (bool(kept) and not kept[-1].isupper())


def _body_start(doc: SegmentedDoc, text: str) -> int:
    kg = doc.matches.get("kinh_gui")
    if kg:
        end = _kinh_gui_end(text, kg.end())
        doc.add("kinh_gui", kg.end(), end)
        return end
    ends = [s.end for k, s in doc.parts.items() if k in ("subject", "doc_type", "place_date", "number", "national")]
    return max(ends, default=0)


def _kinh_gui_end(text: str, start: int) -> int:
    """Addressees: the rest of the line, or the '- ' bullet lines that follow (wrapped
    bullets go on until their ';' or '.')."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[start:line_end].strip()
    if rest and not rest.startswith(("-", "+", "•")):
        cut = re.search(r"(?<=[.;])\s+(?=[A-ZĐ(])|\s(?=\(Sau đây)", text[start:line_end])
        if cut and len(rest) > 160:
            return start + cut.start()
        return _wrapped_addressee_end(text, line_end, rest)
    pos = start if rest else line_end + 1
    if not rest:
        first = text[pos:text.find("\n", pos) if text.find("\n", pos) >= 0 else len(text)].strip()
        if first and not first.startswith(("-", "+", "•")):
            return pos + len(text[pos:].split("\n", 1)[0])
    while pos < len(text):
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        line = text[pos:nl].strip()
        if not line:
            pos = nl + 1
            if pos >= len(text) or not text[pos:].lstrip(" ").startswith(("-", "+", "•")):
                break
            continue
        if not line.startswith(("-", "+", "•")) and not line[:1].islower() and _closed(text, pos):
            break
        pos = nl + 1
    return min(pos, len(text))


def _wrapped_addressee_end(text: str, line_end: int, rest: str) -> int:
    """'Kính gửi: Bộ trưởng\nBộ Công Thương' — a one-line addressee wrapped onto a short next line."""
    if rest.endswith((".", ";", ":")) or line_end >= len(text):
        return line_end
    nxt_end = text.find("\n", line_end + 1)
    nxt_end = len(text) if nxt_end < 0 else nxt_end
    nxt = text[line_end + 1:nxt_end].strip()
    if nxt and (nxt[:1].islower() or len(nxt.split()) <= 6) and not _BODY_CUE.match(nxt) and not starts_item(nxt):
        return nxt_end
    return line_end


def _closed(text: str, pos: int) -> bool:
    """Did the line before `pos` end an addressee (';', '.', ':' or a bare list)?"""
    return text[:pos].rstrip().endswith((";", ".", ":"))


def _body_end(doc: SegmentedDoc, text: str, body_start: int) -> tuple[int, int]:
    """(end of body, start of the signature / Nơi nhận tail)."""
    nn = [m for m in NOI_NHAN.finditer(text, body_start)]
    nn_start = nn[0].start() if nn else None
    closing = None
    for m in CLOSING.finditer(text, body_start, nn_start if nn_start else len(text)):
        closing = m
    if closing:
        return closing.end(), closing.end()
    if nn_start is not None:
        sig = _signature_before(text, body_start, nn_start)
        return (sig if sig else nn_start), (sig if sig else nn_start)
    sig = _signature_before(text, body_start, len(text)) or _authority_line(text, body_start)
    return (sig, sig) if sig else (len(text), len(text))


def _authority_line(text: str, start: int) -> int | None:
    """A line opening with an authority mark ('TM. CHÍNH PHỦ') ends the body when nothing else does."""
    line_mark = re.compile(rf"^[ \t]*(?:KT|TL|TM|TUQ|Q)\.[ \t]*[{UPPER}]", re.M)
    m = line_mark.search(text, start + (len(text) - start) // 4)
    return m.start() if m else None


def _signature_before(text: str, start: int, end: int) -> int | None:
    """Start of an authority line ('KT. GIÁM ĐỐC', 'TM. ỦY BAN NHÂN DÂN') near `end`."""
    pattern = load_rules("signer_titles").authority_pattern()
    found = None
    for m in pattern.finditer(text, max(start, end - 600), end):
        found = m
        break
    return found.start() if found else None


def _find_tail(doc: SegmentedDoc, text: str, tail_start: int) -> None:
    nn = NOI_NHAN.search(text, tail_start)
    if nn is None and "body" in doc.parts:
        nn = NOI_NHAN.search(text, doc.parts["body"].start)
    if nn:
        doc.matches["noi_nhan"] = nn
        doc.add("noi_nhan", nn.end(), _noi_nhan_end(text, nn.end()))
    doc.add("signature", tail_start, min(len(text), tail_start + 1500))


def _noi_nhan_end(text: str, start: int) -> int:
    lu = re.search(r"[-–]?\s*L[ưu]u\s*:?[^\n;]*?(?:\)|\.|\n|$)", text[start:start + 3000])
    return start + lu.end() if lu else min(len(text), start + 1500)
