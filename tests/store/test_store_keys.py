"""The normal forms the store matches on."""
from __future__ import annotations

import pytest

from pipeline.store.keys import doc_key, due_by, like_phrase, number_key, query_number_key, search_key
from storekit import case


@pytest.mark.parametrize("text, expected", [
    case("accents-folded", "an ninh trật tự", " an ninh trat tu "),
    case("punctuation-and-case", "AN NINH, TRẬT TỰ", " an ninh trat tu "),
    case("d-stroke", "Đảm bảo", " dam bao "),
    case("old-tones-same-as-new", "Khánh Hoà", " khanh hoa "),
    case("decomposed-input", "tr\u00e2\u0323t", " trat "),
    case("empty", "", " "),
])
def test_search_key(text, expected):
    assert search_key(text) == expected


def test_a_phrase_matches_whole_words_only():
    assert like_phrase("an ninh") == "% an ninh %"
    assert like_phrase(" ,; ") is None


@pytest.mark.parametrize("number, expected", [
    case("spaces-and-case", "2094/ sgdđt-hssv", "2094/SGDDT-HSSV"),
    case("accents-optional", "2094/SGDDT-HSSV", "2094/SGDDT-HSSV"),
    case("none", None, None),
])
def test_number_key(number, expected):
    assert number_key(number) == expected


@pytest.mark.parametrize("typed, expected", [
    case("type-word-dropped", "Chỉ thị 46-CT/TW", "46-CT/TW"),
    case("number-alone", "46-ct/tw", "46-CT/TW"),
])
def test_query_number_key(typed, expected):
    assert query_number_key(typed) == expected


@pytest.mark.parametrize("number, issuer, issued, expected", [
    case("full", "2094/SGDĐT-HSSV", "Sở GD&ĐT", "2018-09-04", "2094/SGDDT-HSSV|so gd dt|2018"),
    case("issuer-unknown", "2094/SGDĐT-HSSV", None, "2018-09-04", "2094/SGDDT-HSSV||2018"),
    case("blank-serial-never-a-key", "/SGDĐT-CTTT", "Sở GD&ĐT", "2019-06", None),
    case("no-number", None, "Sở GD&ĐT", "2019-06-01", None),
    case("no-year", "12/UBND", "UBND huyện", None, None),
])
def test_doc_key(number, issuer, issued, expected):
    assert doc_key(number, issuer, issued) == expected


@pytest.mark.parametrize("date, expected", [
    case("day", "2018-10-20", "2018-10-20"),
    case("month-ends-on-its-last-day", "2019-06", "2019-06-30"),
    case("leap-february", "2024-02", "2024-02-29"),
    case("year", "2019", "2019-12-31"),
    case("none", None, None),
    case("garbage", "2019-13", None),
])
def test_due_by(date, expected):
    assert due_by(date) == expected
