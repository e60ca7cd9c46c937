"""TCVN3 (ABC) and VNI tables: every example in legacy_fonts.json converts, fonts are named right,
the tables cover the Vietnamese alphabet, and detection leaves Unicode text alone."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from pipeline.read import legacy_fonts

CORPUS_TEXT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "text"
RAW = json.loads(legacy_fonts.DATA.read_text(encoding="utf-8"))

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE_LOWER = sorted(({unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} | {"đ"})
                          - set("aeiouy"))  # the letters beyond ASCII


def case(name: str, *values):
    return pytest.param(*values, id=name)


@pytest.mark.parametrize("encoding,legacy,unicode_text", [
    case(f"{name}-{i}", name, legacy, text)
    for name in legacy_fonts.ENCODINGS for i, (legacy, text) in enumerate(RAW[name]["examples"])
])
def test_every_example_converts(encoding, legacy, unicode_text):
    assert legacy_fonts.to_unicode(legacy, encoding) == unicode_text


@pytest.mark.parametrize("font,expected", [
    case(f"{name}-{font}", font, expected)
    for name in legacy_fonts.ENCODINGS for font, expected in RAW[name]["font_examples"]
])
def test_fonts_are_named_by_their_encoding(font, expected):
    found = legacy_fonts.font_encoding(font)
    shown = None if found is None else found[0] + (" upper" if found[1] else "")
    assert shown == expected


def test_tcvn3_has_a_code_for_every_lower_case_letter_and_the_seven_capitals():
    values = set(RAW["tcvn3"]["map"].values())
    assert set(VIETNAMESE_LOWER) <= values
    assert set("ĂÂÊÔƠƯĐ") <= values


def test_vni_spells_every_letter_in_both_cases():
    values = set(RAW["vni"]["map"].values())
    wanted = set(VIETNAMESE_LOWER) | {c.upper() for c in VIETNAMESE_LOWER}
    assert wanted - {"í", "ì", "Í", "Ì"} <= values  # í, ì are the same code points in VNI


def test_every_table_value_is_one_nfc_letter():
    for name in legacy_fonts.ENCODINGS:
        for key, value in RAW[name]["map"].items():
            assert len(value) == 1 and unicodedata.normalize("NFC", value) == value, (name, key)


@pytest.mark.parametrize("text,upper,expected", [
    case("upper-font", "céng hßa x· héi", True, "CỘNG HÒA XÃ HỘI"),
    case("capitals-typed-around-toned-letters", "CéNG HßA", False, "CỘNG HÒA"),
    case("one-capital-word-stays", "Së Tù nhiªn", False, "Sở Tự nhiên"),
    case("soft-hyphen-is-u", "tr\u00adêng", False, "trường"),
    case("hyphen-written-for-u", "tr-êng n-íc", False, "trường nước"),
    case("symbol-font-code-points", "\uf053\uf0eb", False, "Sở"),
])
def test_tcvn3_details(text, upper, expected):
    assert legacy_fonts.to_unicode(text, "tcvn3", upper) == expected


@pytest.mark.parametrize("encoding", legacy_fonts.ENCODINGS)
def test_detects_each_encoding_from_the_letters_alone(encoding):
    sample = " ".join(legacy for legacy, _ in RAW[encoding]["examples"])
    assert legacy_fonts.detect(sample) == encoding
    converted, found = legacy_fonts.fix_text(sample)
    assert found == encoding
    assert converted == " ".join(text for _, text in RAW[encoding]["examples"])


@pytest.mark.parametrize("text", [
    case("unicode", "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Kính gửi các trường."),
    case("old-tone-spelling", "Ủy ban nhân dân tỉnh Khánh Hoà; hoá đơn; thuỷ lợi; Hoà Bình; toà án"),
    case("french-and-german", "café crème, déjà vu, naïve, Straße, Müller, Ångström, señor"),
    case("too-short", "Céng hoµ"),
])
def test_leaves_other_text_alone(text):
    assert legacy_fonts.detect(text) is None


def test_no_corpus_text_is_taken_for_a_legacy_encoding():
    texts = sorted(CORPUS_TEXT.glob("*.txt")) if CORPUS_TEXT.is_dir() else []
    if not texts:
        pytest.skip("shared corpus not beside the checkout")
    found = {p.name: legacy_fonts.detect(p.read_text(encoding="utf-8")) for p in texts}
    assert {name: enc for name, enc in found.items() if enc} == {}


def test_the_table_file_rejects_unknown_keys(tmp_path, monkeypatch):
    broken = dict(RAW, tcvn3=dict(RAW["tcvn3"], comment="not a key"))
    path = tmp_path / "legacy_fonts.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(legacy_fonts, "DATA", path)
    legacy_fonts.tables.cache_clear()
    try:
        with pytest.raises(ValueError, match="comment"):
            legacy_fonts.tables()
    finally:
        monkeypatch.undo()
        legacy_fonts.tables.cache_clear()
        legacy_fonts.font_encoding.cache_clear()


def test_a_mixed_text_converts_only_its_legacy_lines():
    legacy = "\n".join(legacy for legacy, _ in RAW["tcvn3"]["examples"])
    text = "Cộng hòa xã hội chủ nghĩa Việt Nam: bản dịch\n" + legacy
    converted, found = legacy_fonts.fix_text(text)
    assert found == "tcvn3"
    assert converted.split("\n") == ["Cộng hòa xã hội chủ nghĩa Việt Nam: bản dịch"] + [
        t for _, t in RAW["tcvn3"]["examples"]]
