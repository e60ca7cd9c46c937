"""The signature block: authority (KT./TL./TM./Q.), title and the signer's name."""
from __future__ import annotations

import re

from extractors.casing import normal_case
from extractors.rules import load_rules
from pipeline.segment import LOWER, UPPER, SegmentedDoc
from schemas import Signer

_W = rf"[{UPPER}][{LOWER}]+"
# 2-4 capitalised words; a PDF layer may wrap after the family name ("Bùi\nXuân Cường")
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
# 2-4 capitalised words ending its line; a PDF layer may wrap it ("Bùi\nXuân Cường", "Lê Tấn\nCận")
_NAME = re.compile(rf"{_W}(?:{_GAP}{_W}){{1,3}}(?=[ \t]*(?:\n|$|[(\[]))")
_RECIPIENT_LINE = re.compile(r"^\s*(?:[-+•]|Nơi\s+nhận|Nơi$|nhận:|L[ưu]u\b)", re.M)


def _tail(doc: SegmentedDoc) -> tuple[str, int]:
    body = doc.part("body")
    start = body.end if body else 0
    return doc.text[start:], start


def _blank_recipient_lines(text: str) -> str:
    """Blank the Nơi nhận lines (they interleave with the signature in PDF layers)."""
    out = []
    for line in text.split("\n"):
        if _RECIPIENT_LINE.match(line) and not (load_rules("signer_titles").authority_pattern().search(line)
                                                or _upper_title(line)):
            out.append(" " * len(line))
        else:
            out.append(_strip_recipient_prefix(line))
    return "\n".join(out)


def _strip_recipient_prefix(line: str) -> str:
    """'- Lưu: VT, KGVX (3). KT. BỘ TRƯỞNG' keeps only the signature part."""
    rules = load_rules("signer_titles")
    m = rules.authority_pattern().search(line) or _upper_title(line)
    if m and _RECIPIENT_LINE.match(line):
        return " " * m.start() + line[m.start():]
    return line


def _upper_title(line: str) -> re.Match | None:
    """An upper-case title run ('BỘ TRƯỞNG, CHỦ NHIỆM') inside a Nơi nhận line."""
    for m in load_rules("signer_titles").title_pattern().finditer(line):
        if m.group(0).isupper():
            return m
    return None


def extract_signer(doc: SegmentedDoc) -> Signer | None:
    tail, offset = _tail(doc)
    tail = _blank_recipient_lines(tail[:3000])
    titles = load_rules("signer_titles")
    title_re = titles.title_pattern()
    best = None
    for m in re.finditer(rf"(?P<block>(?:[{UPPER}][{UPPER}.,]*[ \t\n]+|[\[\]|*]+[ \t\n]+){{1,14}})(?P<name>{_NAME.pattern})", tail):
        block = m.group("block")
        found = list(title_re.finditer(block))
        if found or titles.authority_pattern().search(block):
            best = (m, found)
            break
    if best is None:
        return None
    m, found = best
    block = m.group("block")
    auth = titles.authority_pattern().search(block)
    title_start, title = _title(block, found, auth)
    authority = None
    if auth and auth.start() < title_start:
        authority = normal_case(re.sub(r"\s+", " ", block[auth.start():title_start]).strip(" ,"))
        authority = re.sub(r"^(KT|TL|TM|TUQ|Q)\s*\.\s*", lambda x: x.group(1).upper() + ". ", authority, flags=re.I)
    name = re.sub(r"\s+", " ", m.group("name"))
    return Signer(name=name, title=title, authority=authority,
                  span=(offset + m.start(), offset + m.end()))


def _title(block: str, found: list[re.Match], auth: re.Match | None) -> tuple[int, str]:
    """(offset, text) of the title: the last line above the name when the block has lines
    ('TRƯỞNG THUẾ TỈNH / PHÓ TRƯỞNG THUẾ TỈNH'), else the last title run on the line."""
    lines = [(mm.start(), mm.group(0).strip()) for mm in re.finditer(r"[^\n]+", block) if mm.group(0).strip(" [].|*")]
    if len(lines) > 1 or not found:
        start, text = lines[-1]
        if len(lines) > 1 and re.search(r"(?:\bVÀ|\bCỦA|[-,&])$", lines[-2][1]) and not (auth and auth.start() >= lines[-2][0]):
            start, text = lines[-2][0], lines[-2][1] + " " + text  # 'GIÁM ĐỐC SỞ GIÁO DỤC VÀ / ĐÀO TẠO' 
        in_line = [f for f in found if f.start() >= start]
        if len(in_line) > 1:
            return _title_text(block, in_line, auth)
        if not (auth and auth.start() >= start):
            return start, normal_case(text.strip(" ,[]|*"))
    return _title_text(block, found, auth)


def _title_text(block: str, found: list[re.Match], auth: re.Match | None) -> tuple[int, str]:
    """The title line just above the name; 'BỘ TRƯỞNG, CHỦ NHIỆM' stays whole."""
    last = found[-1]
    start = last.start()
    for prev in reversed(found[:-1]):
        between = block[prev.end():start]
        if re.fullmatch(r"\s*,\s*", between) and not (auth and auth.end() > prev.start()):
            start = prev.start()
        else:
            break
    return start, normal_case(re.sub(r"\s+", " ", block[start:last.end()]).strip(" ,"))
