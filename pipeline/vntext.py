"""Vietnamese text helpers that never change a string's length.

Every function here maps an NFC string to another string of the *same length*,
character for character, so offsets found in the result are offsets in the input.
That is what lets matching run on a folded or tone-normalised copy while every
span still points into the original text.
"""
from __future__ import annotations

import re
import unicodedata

def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _old_tone_table() -> dict[str, str]:
    """'oà' → 'òa', 'uỷ' → 'ủy', … for every tone and case (built from Unicode, not typed in)."""
    table = {}
    for tone in "\u0300\u0301\u0303\u0309\u0323":  # huyền, sắc, ngã, hỏi, nặng
        for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
            for f, s_ in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                old = f + nfc(s_ + tone)
                table[old] = nfc(f + tone) + s_
    return table


_OLD_TONES = _old_tone_table()
# Old-style placement puts the tone on the second vowel of a syllable-final "oa", "oe",
# "uy" (hoà, khoẻ, uỷ); the contract's canonical form puts it on the first (hòa, khỏe,
# ủy). "qu" is a consonant, so "quý" is left alone.
_OLD_TONE = re.compile(
    "(?<![qQ])(?:" + "|".join(re.escape(k) for k in _OLD_TONES) + r")(?!\w)"
)


def new_tones(text: str) -> str:
    """hoà→hòa, uỷ→ủy, thuý→thúy, khoẻ→khỏe; same length as the (NFC) input."""
    return _OLD_TONE.sub(lambda m: _OLD_TONES[m.group(0)], text)


# Cyrillic letters that look like Latin ones: a document symbol typed with a Russian keyboard layout
# ('16495/BТС-PTHT') matches nothing until they are read as the Latin letters they show
_CONFUSABLE = str.maketrans("АВЕКМНОРСТХУаеорсхуІіЈј", "ABEKMHOPCTXYaeopcxyIiJj")
_MIXED_TOKEN = re.compile(r"[^\s,;:()]*[\u0400-\u04FF][^\s,;:()]*")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9/\u00C0-\u024F\u1EA0-\u1EF9]")  # Latin (Vietnamese too), digits, '/'



def latin_confusables(text: str) -> str:
    """Cyrillic look-alikes read as Latin in tokens that also hold Latin letters, digits or '/'
    ('BТС' → 'BTC'); a wholly Cyrillic word is left alone. Same length as the input."""
    def fix(m: re.Match) -> str:
        token = m.group(0)
        return token.translate(_CONFUSABLE) if _LATIN_OR_DIGIT.search(token) else token
    return _MIXED_TOKEN.sub(fix, text)


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    base = unicodedata.normalize("NFD", ch)[0]
    return base if len(base) == 1 else ch


_FOLD_TABLE: dict[str, str] = {}


def fold(text: str) -> str:
    """Drop diacritics (ắ→a, đ→d) char for char: 'an ninh trật tự' → 'an ninh trat tu'."""
    out = []
    for ch in text:
        f = _FOLD_TABLE.get(ch)
        if f is None:
            f = _FOLD_TABLE[ch] = _fold_char(ch) if ord(ch) > 127 else ch
        out.append(f)
    return "".join(out)


def collapse_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
