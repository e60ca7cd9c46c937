"""Normalise extracted text while keeping an offset map back to the original.

`normalize(raw)` returns a `NormText`: the cleaned text plus, for every character
of it, the offset of the character of `raw` it came from. Cleaning is:
Unicode NFC (decomposed accents composed), old-style tone marks moved to the
canonical vowel (hoà→hòa, uỷ→ủy, length-preserving), odd spaces and zero-width
characters made plain, markdown emphasis markers dropped, CRLF made LF. Every
rule therefore sees one spelling, and every span still maps to the original.

`unwrap(lines)` rejoins hard-wrapped lines into paragraphs, keeping bullets and
numbering at the start of their own paragraph.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from pipeline.vntext import latin_confusables, new_tones

_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u202f\u3000\t\f\v"), " ")
_DROP = set("\u200b\u200c\u200d\ufeff\u00ad\r")
_MARKDOWN = re.compile(r"\*\*")


@dataclass(frozen=True)
class NormText:
    text: str
    offsets: tuple[int, ...]  # offsets[i] = index in the original of text[i]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` to the original text."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else self.original_length
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def _clusters(raw: str) -> Iterable[tuple[int, str]]:
    """Yield (offset, base char + its combining marks)."""
    start = 0
    for i in range(1, len(raw) + 1):
        if i == len(raw) or not unicodedata.combining(raw[i]):
            yield start, raw[start:i]
            start = i


def normalize(raw: str) -> NormText:
    chars: list[str] = []
    offsets: list[int] = []
    for pos, cluster in _clusters(raw):
        if cluster[0] in _DROP:
            continue
        composed = unicodedata.normalize("NFC", cluster).translate(_SPACE_LIKE)
        for ch in composed:
            chars.append(ch)
            offsets.append(pos)
    # hoà→hòa, uỷ→ủy: one spelling for every rule; 'BТС' typed in Cyrillic → 'BTC'; same length
    text = latin_confusables(new_tones("".join(chars)))
    keep = _markdown_mask(text)
    if keep is not None:
        text = "".join(c for c, k in zip(text, keep) if k)
        offsets = [o for o, k in zip(offsets, keep) if k]
    return NormText(text, tuple(offsets), len(raw))


def _markdown_mask(text: str) -> list[bool] | None:
    matches = list(_MARKDOWN.finditer(text))
    if not matches:
        return None
    keep = [True] * len(text)
    for m in matches:
        for i in range(m.start(), m.end()):
            keep[i] = False
    return keep


# ---------------------------------------------------------------- unwrapping

@dataclass(frozen=True)
class Line:
    text: str
    start: int  # offset of text[0] in the normalised document

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Non-empty lines of text[start:end], stripped, with their offsets."""
    end = len(text) if end is None else end
    lines = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = m.start() + start, m.end() + start
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        if s < e:
            lines.append(Line(text[s:e], s))
    return lines


# A line that starts a new paragraph: a list marker or a label.
ITEM_MARKER = re.compile(
    r"^(?:"
    r"(?P<roman>[IVXLC]{1,6})[.)]\s"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){1,3}\.?|\d{1,2}[.)])\s(?=\S)"
    r"|(?P<letter>[a-zđ])[.)]\s"
    r"|\((?P<paren>\d{1,2}|[ivx]{1,5}|[a-zđ])\)\s"
    r"|(?P<bullet>[-–+•*])\s*(?=\S)"
    r"|(?P<article>Điều\s+\d+)[.:]\s"
    r")"
)
_SENTENCE_END = re.compile(r"[.:;!?…”\"]\s*(?:/\.)?$|/\.$")


def starts_item(line: str) -> bool:
    m = ITEM_MARKER.match(line)
    if not m:
        return False
    if m.group("num") is not None and re.match(r"\d{1,2}\s+(?:tháng|năm|ngày|giờ|%)", line):
        return False
    return True


def unwrap(lines: Sequence[Line]) -> list[list[Line]]:
    """Group hard-wrapped lines into paragraphs (lists of their lines)."""
    paragraphs: list[list[Line]] = []
    for line in lines:
        if paragraphs and _continues(paragraphs[-1][-1].text, line.text):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def _continues(previous: str, line: str) -> bool:
    """Is `line` the hard-wrapped continuation of `previous`?"""
    if ITEM_MARKER.fullmatch(previous + " "):  # a bare "-" or "1." line
        return True
    if starts_item(line):
        return False
    if line[:1].islower() and not previous.endswith((".", ":", "!", "?")):
        return True
    if _SENTENCE_END.search(previous) or len(previous) > 110:
        return False
    if previous.isupper() != line.isupper() and min(len(previous), len(line)) > 3:
        return False
    if line[:1].islower():
        return True
    # a short item line that names no action is a heading: "1. Mục đích", "2. Sở GDĐT tỉnh Đồng Tháp"
    return not (starts_item(previous) and len(previous) < 45 and not _opens_with_action(previous))


def _opens_with_action(line: str) -> bool:
    from extractors.rules import load_rules  # data only; loaded once

    content = ITEM_MARKER.sub("", line, count=1).strip().lower()
    return any(content.startswith(v + " ") for v in load_rules("tasks")["action_verbs"])
