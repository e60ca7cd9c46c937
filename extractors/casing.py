"""Upper-case header lines ("SỞ GIÁO DỤC VÀ ĐÀO TẠO") written in normal case."""
from __future__ import annotations

import re

from extractors.rules import load_rules


def _words() -> dict:
    return load_rules("casing")


def normal_case(text: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG' → 'Ủy ban nhân dân tỉnh Tuyên Quang'."""
    if not text or not _mostly_upper(text):
        return text
    rules = _words()
    keep = set(rules["keep_upper"])
    proper_after = set(rules["proper_after"])
    capital_after = set(rules["capital_after"])
    out: list[str] = []
    proper = False
    tokens = re.split(r"(\s+)", text)
    words = [t for t in tokens if t and not t.isspace()]
    for i, word in enumerate(words):
        low = word.lower()
        prev = out[-1].lower() if out else ""
        if word in keep or any(ch.isdigit() for ch in word) or _is_abbreviation(word, rules):
            out.append(word)
        elif i == 0 or proper or prev in capital_after or _pair(out) in capital_after:
            out.append(word[:1] + word[1:].lower())
        else:
            out.append(low)
        pair = f"{prev} {low}" if prev else low
        if low in proper_after or pair in proper_after:
            proper = True
    return _phrases(" ".join(out), rules["phrases"])


def _pair(out: list[str]) -> str:
    return " ".join(out[-2:]).lower()


def _phrases(text: str, phrases: list[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", phrase, text, flags=re.I)
    return text


def _is_abbreviation(word: str, rules: dict) -> bool:
    letters = re.sub(r"[^\w]", "", word)
    return len(letters) >= 2 and not re.search(r"[AEIOUYĂÂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ]", letters)


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
