"""Vietnamese text helpers that never change a string's length.

Every function here maps an NFC string to another string of the *same length*,
character for character, so offsets found in the result are offsets in the input.
That is what lets matching run on a folded or tone-normalised copy while every
span still points into the original text.
"""
from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng

# Old-style placement puts the tone on the second vowel of a syllable-final
# "oa", "oe", "uy" (hoà, khoẻ, uỷ); the contract's canonical form puts it on the
# first (hòa, khỏe, ủy). "qu" is a consonant, so "quý" is left alone.
_OLD_TONE = re.compile(
    rf"(?<![qQ])(?P<v1>[oOuU])(?P<v2>[aAeEyY])(?P<tone>[{_TONES}])(?!\w)"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _move_tone(match: re.Match) -> str:
    v1, v2 = match.group("v1"), match.group("v2")
    if (v1 in "oO") != (v2 in "aAeE"):  # only oa, oe, uy
        return match.group(0)
    return v1 + match.group("tone") + v2


def _syllable_tones(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", _OLD_TONE.sub(_move_tone, decomposed))


_WORD = re.compile(r"\w+")


def new_tones(text: str) -> str:
    """hoà→hòa, uỷ→ủy, thuý→thúy, khoẻ→khỏe; same length as the (NFC) input."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        fixed = _syllable_tones(word)
        return fixed if len(fixed) == len(word) else word
    return _WORD.sub(fix, text)


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


def match_key(text: str) -> str:
    """The form rules match on: NFC, new-style tones, lower case; same length as input."""
    lowered = new_tones(nfc(text)).lower()
    return lowered if len(lowered) == len(text) else new_tones(nfc(text))


def collapse_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
