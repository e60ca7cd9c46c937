"""Addressees: "Kính gửi" (role to) and "Nơi nhận" (role cc, with purpose)."""
from __future__ import annotations

import re
from functools import cache

from extractors.rules import alternation, load_rules
from pipeline.segment import SegmentedDoc
from schemas import Recipient

Span = tuple[int, int]


@cache
def _rules() -> dict:
    data = load_rules("recipients")
    after = "|".join(re.escape(w) for w in sorted(data["no_split_after"], key=len, reverse=True))
    before = "|".join(re.escape(w) for w in sorted(data["no_split_before"], key=len, reverse=True))
    return {
        "head": re.compile(rf"^(?:{alternation(data['heads'])})(?!\w)|^\w*[A-ZĐ]\w*[A-ZĐ]"),
        "excluded": re.compile("|".join(data["excluded"]), re.I),
        "after": re.compile(rf"(?:^|\s)(?:{after})$"),
        "before": re.compile(rf"^(?:{before})(?!\w)"),
        "purpose": re.compile(
            r"\(\s*((?:" + "|".join(re.escape(c) for c in data["purpose_cues"]) + r")[^()]*)\)", re.I),
    }


def _pieces(text: str, start: int, separators: str) -> list[tuple[str, int]]:
    """Split text[...] at top-level separators (not inside parentheses), with offsets."""
    out, depth, last = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if depth == 0 and ch in separators:
            out.append((text[last:i], start + last))
            last = i + 1
    out.append((text[last:], start + last))
    return out


def _bullets(text: str, start: int) -> list[tuple[str, int]]:
    """Entries of a list printed as '- A;' lines or flattened '- A; - B'."""
    parts = re.split(r"(?:^|\n|(?<=[;.)])\s)\s*[-–+•]\s+", text)
    out, pos = [], 0
    for part in parts:
        idx = text.find(part, pos)
        pos = idx + len(part)
        if part.strip():
            out.append((part, start + idx))
    return out


def _clean(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ;,.-–:")
    return name


def _split_commas(entry: str, offset: int) -> list[tuple[str, int]]:
    """The comma rule: split between separately named bodies, not inside one name.

    Whatever follows a colon is one organ's units or members and stays whole
    ('TTg, các PTTg: Vương Đình Huệ, Trịnh Đình Dũng' → 'TTg' | 'các PTTg: …')."""
    colon = entry.find(":")
    head, tail = (entry, "") if colon < 0 else (entry[:colon], entry[colon:])
    pieces = _pieces(head, offset, ",")
    pieces[-1] = (pieces[-1][0] + tail, pieces[-1][1])
    merged: list[list] = []
    for text, off in pieces:
        if merged and not _starts_body(merged[-1][0], text):
            merged[-1][0] += "," + text
        else:
            merged.append([text, off])
    return [(t, o) for t, o in merged]


_TIGHT_ABBREVIATIONS = re.compile(r"(?<![\w&])[A-ZĐ]{1,4}$")  # 'Ủy ban KH,CN&MT', 'Bộ VH,TT&DL'


def _starts_body(before: str, piece: str) -> bool:
    rules = _rules()
    if _TIGHT_ABBREVIATIONS.search(before) and piece[:1].isupper():  # a comma with no space between initials
        return False
    piece, before = piece.strip(), before.strip()
    if rules["after"].search(before) or rules["before"].match(piece):
        return False
    return bool(rules["head"].match(piece))


def _entries(text: str, start: int, role: str) -> list[Recipient]:
    rules = _rules()
    out: list[Recipient] = []
    for bullet, b_off in _bullets(text, start):
        if rules["excluded"].search(_clean(bullet)):
            continue
        purpose_m = rules["purpose"].search(bullet)
        purpose = purpose_m.group(1).strip() if purpose_m else None
        body = rules["purpose"].sub(lambda m: " " * len(m.group(0)), bullet)
        parts = _pieces(body, b_off, ";")
        # 'VPCP: BTCN, …; Trợ lý, Thư ký: TTg, …' — after an organ's colon, each ';' part is one of its units
        units = ":" in parts[0][0]
        for i, (part, p_off) in enumerate(parts):
            whole = role != "cc" or (units and i > 0)
            pieces = [(part, p_off)] if whole else _split_commas(part, p_off)
            for piece, off in pieces:
                name = _clean(piece)
                if not name or rules["excluded"].search(name) or _is_fragment(name):
                    continue
                lead = len(piece) - len(piece.lstrip(" ;,.-–:\n"))
                out.append(Recipient(name=name, role=role, purpose=purpose if role == "cc" else None,
                                     span=(off + lead, off + lead + len(piece.strip(" ;,.-–:\n")))))
    return out


def _is_fragment(name: str) -> bool:
    """OCR of a signature column read into the list: '_Ti', 'ỘTRƯỞNG'."""
    if len(name) < 2 or not name[0].isalnum():
        return True
    return " " not in name and name.isupper() and bool(re.search(r"TRƯỞNG|ĐỐC|TỊCH|NHIỆM", name))


def _noi_nhan_text(doc: SegmentedDoc) -> tuple[str, int] | None:
    part = doc.part("noi_nhan")
    if not part:
        return None
    text = part.text
    auth = load_rules("signer_titles").authority_pattern()
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        letters = [c for c in stripped if c.isalpha()]
        is_sig = auth.match(stripped) or (letters and stripped.isupper() and not stripped.startswith(("-", "+")))
        lines.append(" " * len(line) if is_sig else line)
    return "\n".join(lines), part.start


def extract_recipients(doc: SegmentedDoc) -> list[Recipient]:
    out: list[Recipient] = []
    kg = doc.part("kinh_gui")
    if kg:
        text = kg.text
        if not re.search(r"(?:^|\n|;)\s*[-+•]", text):
            text = "- " + text
            out += [r.model_copy(update={"span": (r.span[0] - 2, r.span[1] - 2)})
                    for r in _entries(text, kg.start, "to")]
        else:
            out += _entries(text, kg.start, "to")
    nn = _noi_nhan_text(doc)
    if nn:
        out += _entries(nn[0], nn[1], "cc")
    return out
