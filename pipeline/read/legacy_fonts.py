"""Vietnamese typed in legacy 8-bit fonts (TCVN3/ABC `.VnTime`, VNI `VNI-Times`) back to Unicode.

Such text reaches us as Windows-1252 letters ("Céng hoµ", "Coäng hoøa"): DOCX runs and PDF
text layers store the font's byte values, not the letters the font draws. The tables live in
`legacy_fonts.json` (with examples a test proves); this module only

- names the encoding of a font (`font_encoding(".VnTimeH") == ("tcvn3", True)`),
- converts a string (`to_unicode(text, "vni")`), longest sequence first,
- detects an encoding from the text alone (`detect`): the one whose conversion turns the most
  words into well-formed Vietnamese syllables, and only when it clearly beats leaving it as is.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("legacy_fonts.json")
ENCODINGS = ("tcvn3", "vni")
_KEYS = {
    "tcvn3": {"font_prefixes", "upper_font_suffix", "map", "examples", "font_examples"},
    "vni": {"font_prefixes", "map", "examples", "font_examples"},
}

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE = re.compile(r"(?:[-_ ,]?(?:Bold|Italic|Oblique|Regular|Normal|BoldItalic|BoldOblique|Bd|It|MT|PS))+$")


@dataclass(frozen=True)
class Table:
    name: str
    font_prefixes: tuple[str, ...]
    upper_font_suffix: str | None
    pattern: re.Pattern
    mapping: dict[str, str]
    examples: tuple[tuple[str, str], ...]
    font_examples: tuple[tuple[str, str | None], ...]

    def convert(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.mapping[m.group(0)], text)


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    unknown = set(raw) - set(ENCODINGS) - {"_about"}
    if unknown:
        raise ValueError(f"{DATA.name}: unknown encodings {sorted(unknown)}")
    return {name: _table(name, raw[name]) for name in ENCODINGS}


def _table(name: str, entry: dict) -> Table:
    if set(entry) != _KEYS[name]:
        raise ValueError(f"{DATA.name}: {name} has keys {sorted(entry)}, expected {sorted(_KEYS[name])}")
    mapping = dict(entry["map"])
    if not all(isinstance(k, str) and k and isinstance(v, str) and v for k, v in mapping.items()):
        raise ValueError(f"{DATA.name}: {name} map must be non-empty strings")
    keys = sorted(mapping, key=len, reverse=True)  # longest first: "oâ" before "ô"
    return Table(
        name=name,
        font_prefixes=tuple(p.lower() for p in entry["font_prefixes"]),
        upper_font_suffix=entry.get("upper_font_suffix"),
        pattern=re.compile("|".join(re.escape(k) for k in keys)),
        mapping=mapping,
        examples=tuple((a, b) for a, b in entry["examples"]),
        font_examples=tuple((a, b) for a, b in entry["font_examples"]),
    )


# ---------------------------------------------------------------- fonts

def font_family(font: str | None) -> str:
    """'BCDEEE+.VnTimeH,Bold' → '.VnTimeH': no subset tag, no style suffix."""
    name = _SUBSET.sub("", (font or "").strip())
    name = name.split(",")[0]
    return _STYLE.sub("", name).strip()


@lru_cache(maxsize=512)
def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """(encoding, prints upper case) of a legacy Vietnamese font; None for a Unicode font."""
    family = font_family(font)
    lowered = family.lower()
    found = [(len(p), name) for name, table in tables().items() for p in table.font_prefixes
             if lowered.startswith(p)]
    if not found:
        return None
    name = max(found)[1]  # the longest prefix: "vni-" wins over "vn"
    suffix = tables()[name].upper_font_suffix
    return name, bool(suffix) and family.endswith(suffix)


# ---------------------------------------------------------------- conversion

_PRIVATE_SYMBOL = re.compile("[\uf020-\uf0ff]")


def to_unicode(text: str, encoding: str, upper: bool = False) -> str:
    """Convert `text` typed in a legacy font; `upper` for fonts that print every letter upper case."""
    text = _PRIVATE_SYMBOL.sub(lambda m: chr(ord(m.group(0)) - 0xF000), text)  # symbol-font code points
    if encoding == "tcvn3":
        text = _TCVN3_HYPHEN_U.sub("\u00ad", text)
    out = tables()[encoding].convert(text)
    out = unicodedata.normalize("NFC", out)
    return out.upper() if upper else _upper_shouted_words(out)


# In TCVN3 'ư' is byte 0xAD (soft hyphen), which some PDF producers write as '-': a hyphen
# glued between two lower-case letters is that 'ư' ("tr-êng" → "trường").
_TCVN3_HYPHEN_U = re.compile(r"(?<=[a-z])-(?=[a-z\u00a0-\u00ff])")
_WORD = re.compile(r"\w+")


def _upper_shouted_words(text: str) -> str:
    """'CộNG' → 'CỘNG': capitals typed around toned letters that exist only in lower case
    (two capitals at least, so 'Sở', 'Tự' stay as they are)."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        shouted = not re.search(r"[a-z]", word) and len(re.findall(r"[A-Z]", word)) >= 2
        return word.upper() if shouted else word
    return _WORD.sub(fix, text)


# ---------------------------------------------------------------- detection

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEUS = (r"(?:uyê|uya|uyu|iêu|yêu|oai|oay|oeo|uôi|ươi|ươu|"
            r"ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|ươ|ưa|ưi|ưu|uy|yê|"
            r"[aăâeêioôơuưy])")
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE = re.compile(rf"^{_ONSET}{_NUCLEUS}{_CODA}$")
_TONES = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))
_LETTERS = re.compile(r"[^\W\d_]+")


def is_syllable(word: str) -> bool:
    """A well-formed Vietnamese syllable: onset, vowel nucleus, coda, at most one tone mark."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in decomposed if ord(c) in _TONES) > 1:
        return False
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", decomposed.translate(_TONES))))


def _non_ascii_words(text: str) -> list[str]:
    return [w for w in _LETTERS.findall(text) if not w.isascii()]


def syllable_share(text: str) -> float:
    """Share of the words with a non-ASCII letter that are Vietnamese syllables."""
    words = _non_ascii_words(text)
    return sum(map(is_syllable, words)) / len(words) if words else 1.0


MIN_WORDS = 5     # fewer legacy-looking words than this: leave the text alone
MIN_GAIN = 0.25   # a conversion must make this much more of those words syllables


def detect(text: str) -> str | None:
    """The legacy encoding `text` was typed in, or None when it reads as Unicode already."""
    words = _non_ascii_words(text)
    if len(words) < MIN_WORDS:
        return None
    sample = " ".join(words[:3000])
    plain = syllable_share(sample)
    scores = {name: syllable_share(to_unicode(sample, name)) for name in ENCODINGS}
    best = max(scores, key=scores.get)
    return best if scores[best] >= plain + MIN_GAIN else None


# Letters only Unicode has: legacy-font text never contains them, so a line with one is Unicode.
_UNICODE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
                           "\u1ea0-\u1ef9]")


def fix_text(text: str) -> tuple[str, str | None]:
    """(text in Unicode, the legacy encoding found or None). The encoding is detected on the
    whole text; lines already holding Unicode-only Vietnamese letters are left as they are."""
    encoding = detect(text)
    if not encoding:
        return text, None
    lines = text.split("\n")
    fixed = [line if _UNICODE_ONLY.search(line) else to_unicode(line, encoding) for line in lines]
    return "\n".join(fixed), encoding
