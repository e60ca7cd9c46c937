"""pipeline.nlp (offset-exact underthesea words, spaCy Doc, rule EntityRuler) and the review page."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from extractors.rules import RuleFileError
from extractors.rules import build_patterns
from pipeline import nlp
from schemas import Deadline, Dispatch, Reference, Task

CORPUS = Path("/work/shared/corpus/text")
NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

# ---------------------------------------------------------------- word spans

TRICKY = [
    ("plain", "Sở Giáo dục và Đào tạo đề nghị các trường triển khai thực hiện."),
    ("nfd", NFD("Sở Giáo dục và Đào tạo đề nghị các trường triển khai thực hiện.")),
    ("old-tones", "Uỷ ban nhân dân tỉnh Khánh Hoà; hoà nhập, khoẻ mạnh, thuỷ lợi"),
    ("nfd-old-tones", NFD("UỶ BAN NHÂN DÂN TỈNH KHÁNH HOÀ")),
    ("party-number", "Chỉ thị số 46-CT/TW ngày 22/6/2015 của Ban Bí thư"),
    ("decree-number", "Nghị định số 06/2013/NĐ-CP ngày 09/01/2013 của Chính phủ"),
    ("closing", "Đề nghị các đơn vị nghiêm túc thực hiện./."),
    ("closing-spaced", "thực hiện. /."),
    ("url", "Xem tại https://moet.gov.vn/van-ban/Pages/chi-tiet.aspx?ItemID=1234 và email: vp@moet.gov.vn"),
    ("spaces-newlines", "V/v tăng cường công tác xây dựng  \nmô hình tự quản\n\n\n  Kính gửi:\t- Các phòng;\r\n"),
    ("bullets", "- Các phòng GD&ĐT;\n• Các đơn vị trực thuộc Sở;\n+ Lưu: VT, CTTT."),
    ("emoji", "Hoàn thành 😀👍🏽 trước ngày 30/5 ✔️"),
    ("zero-width", "Sở\u200bGiáo dục\ufeff và\u00a0Đào tạo"),
    ("eth", "ðiều chỉnh Ðào tạo nghành"),
    ("stray-mark", "\u0301a \u0323 b"),
    ("only-space", " \n\t "),
    ("empty", ""),
    ("dots", "......... ngày … tháng … năm 2019 ___"),
]


def _check_cover(text: str, spans: list[tuple[int, int]]) -> None:
    covered = [0] * len(text)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        for i in range(start, end):
            covered[i] += 1
    assert all(prev[1] <= nxt[0] for prev, nxt in zip(spans, spans[1:])), "spans out of order or overlapping"
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i] == 1, f"char {i} {ch!r} covered {covered[i]} times"


@pytest.mark.parametrize("text", [t for _, t in TRICKY], ids=[i for i, _ in TRICKY])
def test_word_spans_cover_every_non_space_char_once(text):
    _check_cover(text, nlp.word_spans(text))


@pytest.mark.parametrize("text", [t for _, t in TRICKY], ids=[i for i, _ in TRICKY])
def test_make_doc_keeps_the_text_exactly(text):
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert [t.idx for t in doc] == sorted(t.idx for t in doc)


def test_word_spans_survive_an_underthesea_failure(monkeypatch):
    def boom(text):
        raise RuntimeError("model failed")
    monkeypatch.setattr(nlp, "_underthesea", lambda: (boom, None))
    text = "Sở Giáo dục  và\nĐào tạo./."
    assert [text[s:e] for s, e in nlp.word_spans(text)] == ["Sở", "Giáo", "dục", "và", "Đào", "tạo./."]


@pytest.mark.parametrize("text", [
    "Sở Giáo dục và Đào tạo đề nghị các trường triển khai thực hiện",
    "Ủy ban nhân dân tỉnh Khánh Hòa",
    "Định kỳ hằng quý báo cáo về Bộ Lao động - Thương binh và Xã hội",
], ids=["sgddt", "ubnd", "dinh-ky"])
def test_decomposed_text_gets_the_same_words(text):
    nfc_words = [text[s:e] for s, e in nlp.word_spans(text)]
    nfd = NFD(text)
    nfd_words = [unicodedata.normalize("NFC", nfd[s:e]) for s, e in nlp.word_spans(nfd)]
    assert nfd_words == nfc_words


@pytest.mark.parametrize("text, words", [
    ("Chỉ thị số 46-CT/TW", ["46", "-", "CT", "/", "TW"]),
    ("Nghị định số 06/2013/NĐ-CP", ["06/2013", "/", "NĐ-CP"]),
    ("thực hiện./.", [".", "/", "."]),
    ("tại https://moet.gov.vn/a?b=1 nhé", ["https://moet.gov.vn/a?b=1"]),
], ids=["party-number", "decree-number", "closing", "url"])
def test_pieces_are_the_printed_characters(text, words):
    got = [text[s:e] for s, e in nlp.word_spans(text)]
    assert got[-len(words):] == words or all(w in got for w in words)


@pytest.mark.parametrize("text, norms", [
    ("Uỷ ban Hoà", "ủy ban hòa"),
    (NFD("Đào tạo"), "đào tạo"),
    ("thực\nhiện", f"thực {nlp.LINE_BREAK} hiện"),
    ("thực\n\nhiện", "thực \n\n hiện"),
], ids=["old-tones", "nfd", "line-break", "blank-line"])
def test_norm_is_the_match_key(text, norms):
    assert " ".join(t.norm_ for t in nlp.make_doc(text)) == norms


def test_pos_tags():
    tags = nlp.pos_tags("Sở Giáo dục và Đào tạo đề nghị")
    assert ("đề nghị", "V") in tags
    assert nlp.pos_tags("  ") == []


# ---------------------------------------------------------------- the ruler

RULER_CASES = [
    ("recurrence-yearly", "Định kỳ hàng năm báo cáo về Sở Giáo dục và Đào tạo qua Phòng Chính trị, tư tưởng.",
     [("RECURRENCE", "hàng năm", "yearly"), ("ACTION DIRECTIVE", "báo cáo", None),
      ("ORG", "Sở Giáo dục và Đào tạo", None)]),
    ("deadline-before", "báo cáo Thủ tướng Chính phủ trước ngày 30 tháng 5 năm 2013.",
     [("ACTION DIRECTIVE", "báo cáo", None), ("DEADLINE_CUE", "trước ngày", "absolute")]),
    ("closing-directive", "Đề nghị các trường triển khai thực hiện đúng nội dung của Công văn này./.",
     [("DIRECTIVE", "Đề nghị", None), ("ORG", "các trường", None), ("ACTION", "triển khai thực hiện", None)]),
    ("decomposed", NFD("Đề nghị các trường triển khai thực hiện"),
     [("DIRECTIVE", NFD("Đề nghị"), None), ("ACTION", NFD("triển khai thực hiện"), None)]),
    ("wrapped-line", "các đơn vị trực thuộc tập trung thực\nhiện các công tác trọng tâm sau:",
     [("ORG", "các đơn vị", None), ("ACTION DIRECTIVE", "thực\nhiện", None)]),
    ("upper-case-old-tones", "UỶ BAN NHÂN DÂN TỈNH KHÁNH HOÀ", [("ORG", "UỶ BAN NHÂN DÂN", None)]),
    ("upper-case-recurrence", "BÁO CÁO HÀNG THÁNG", [("RECURRENCE", "HÀNG THÁNG", "monthly")]),
    ("deadline-latest", "Các đơn vị gửi báo cáo về Sở chậm nhất ngày 15 tháng 10 năm 2019.",
     [("DEADLINE_CUE", "chậm nhất ngày", "absolute"), ("ACTION DIRECTIVE", "gửi", None)]),
    ("semiannual", "Định kỳ 6 tháng một lần, các Bộ tổng hợp báo cáo Thủ tướng Chính phủ.",
     [("RECURRENCE", "6 tháng một lần", "semiannual")]),
    ("urgent", "yêu cầu Bộ Lao động - Thương binh và Xã hội khẩn trương hoàn thành việc ban hành Thông tư",
     [("DIRECTIVE", "yêu cầu", None), ("ACTION DIRECTIVE", "hoàn thành", None)]),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in RULER_CASES], ids=[i for i, _, _ in RULER_CASES])
def test_ruler_finds_cues_in_real_sentences(text, expected):
    doc = nlp.annotate(text)
    assert doc.text == text
    ents = {(e.text, e.label_, e.ent_id_ or None) for e in doc.ents}
    for labels, phrase, ent_id in expected:
        assert any(t == phrase and lab in labels.split() and i == ent_id for t, lab, i in ents), (phrase, ents)


@pytest.mark.parametrize("text, phrase", [
    ("đảm bảo giao thông thông suốt", "giao"),
    ("các điều kiện cần thiết", "cần"),
    ("Cộng hòa xã hội chủ nghĩa Việt Nam Độc lập - Tự do - Hạnh phúc", "lập"),
    ("phân bổ tỷ lệ chi phí quản lý", "chi"),
], ids=["giao-thong", "can-thiet", "doc-lap", "chi-phi"])
def test_ruler_keeps_to_whole_words(text, phrase):
    assert phrase not in {e.text.lower() for e in nlp.annotate(text).ents}


def test_variants_find_phrases_segmented_or_wrapped_otherwise_than_alone():
    plain = nlp.build_nlp(with_variants=False)
    text = "tập trung thực\nhiện; Ủy ban nhân dân tỉnh"
    assert "thực\nhiện" not in {e.text for e in plain(text).ents}
    assert {"thực\nhiện", "Ủy ban nhân dân"} <= {e.text for e in nlp.annotate(text).ents}


@pytest.mark.parametrize("phrase, count", [("giao", 1), ("báo cáo", 3), ("triển khai thực hiện", 27),
                                           ("một hai ba bốn năm sáu bảy", 0)])
def test_variants_count_groupings_and_breaks(phrase, count):
    assert len(nlp.variants(phrase)) == count


# ---------------------------------------------------------------- patterns.jsonl

def test_patterns_file_is_valid_and_labelled():
    patterns = nlp.load_patterns()
    labels = {p["label"] for p in patterns}
    assert labels == {"ACTION", "DIRECTIVE", "DEADLINE_CUE", "RECURRENCE", "ORG"}
    keys = [p["pattern"].lower() for p in patterns]
    assert len(keys) == len(set(keys)), "a phrase listed twice"
    assert {p["id"] for p in patterns if p["label"] == "RECURRENCE"} <= {
        "daily", "weekly", "monthly", "quarterly", "semiannual", "yearly"}


def test_patterns_file_is_reproducible():
    expected = build_patterns.render(build_patterns.build())
    assert nlp.PATTERNS_PATH.read_text(encoding="utf-8") == expected, \
        "patterns.jsonl is stale: run python -m extractors.rules.build_patterns"


@pytest.mark.parametrize("phrase, labels, label", [
    ("báo cáo", ["DIRECTIVE", "ACTION"], "DIRECTIVE"),
    ("trước", ["ACTION", "DEADLINE_CUE"], "DEADLINE_CUE"),
    ("cử", ["ORG", "ACTION"], "ACTION"),
], ids=["directive-over-action", "deadline-first", "action-over-org"])
def test_overlap_policy(phrase, labels, label):
    assert build_patterns.label_of(labels) == label


def _with_examples():
    return [p for p in nlp.load_patterns() if p.get("examples")]


@pytest.mark.parametrize("pattern", _with_examples(), ids=lambda p: f"{p['label']}:{p['pattern']}")
def test_every_pattern_matches_its_examples(pattern):
    ruler = nlp.nlp().get_pipe("entity_ruler")
    flags = 0 if pattern["label"] in build_patterns.CASED_LABELS else re.I
    rx = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, pattern["pattern"].split())) + r"(?!\w)", flags)
    for example in pattern["examples"]:
        doc = nlp.make_doc(example)
        found = {(doc[s:e].start_char, doc[s:e].end_char, doc.vocab.strings[m].split("||")[0])
                 for m, s, e in ruler.match(doc)}
        for m in rx.finditer(example):
            assert (m.start(), m.end(), pattern["label"]) in found, example


@pytest.mark.parametrize("line, message", [
    ('{"label": "ACTION", "pattern": "giao", "note": "x"}', "unknown keys ['note']"),
    ('{"label": "ACTION"}', "missing keys ['pattern']"),
    ('{"label": "ACTION", "pattern": [{"LOWER": "giao"}]}', "non-empty phrase string"),
    ('{"label": "", "pattern": "giao"}', "label must be"),
    ('{"label": "ACTION", "pattern": "giao", "examples": "giao việc"}', "examples must be"),
    ('["ACTION", "giao"]', "JSON object"),
    ('{"label": "ACTION", "pattern": "giao"', "not JSON"),
], ids=["unknown-key", "missing-pattern", "token-pattern", "empty-label", "examples-not-list", "not-object", "bad-json"])
def test_pattern_file_errors(tmp_path, line, message):
    path = tmp_path / "patterns.jsonl"
    path.write_text('{"label": "ACTION", "pattern": "giao"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=re.escape(f"patterns.jsonl:2: ")) as err:
        nlp.load_patterns(path)
    assert message in str(err.value)


# ---------------------------------------------------------------- review page

def _plain(html: str) -> str:
    """The page's text without tags and span labels."""
    html = re.sub(r"<span [^>]*z-index: 10[^>]*>\s*[A-Z_]+\s*</span>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_review_page_shows_overlapping_spans(tmp_path):
    text = "Căn cứ Công văn số 12/SGDĐT, các trường báo cáo về Sở trước ngày 20/4/2026./."
    task_start = text.index("các trường")
    record = Dispatch(
        references=[Reference(doc_type="Công văn", number="12/SGDĐT", span=(7, 27))],
        tasks=[Task(text=text[task_start:-3], span=(task_start, len(text) - 3),
                    deadline=Deadline(date="2026-04-20", span=(text.index("trước"), len(text) - 3)))],
        spans={"number": (18, 27)},
    )
    source = tmp_path / "cv.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "cv.html"
    from pipeline.review_html import review_doc, write_html
    doc = review_doc(text, record)
    assert [(s.label_, s.text) for s in doc.spans["review"]] == [
        ("NUMBER", "12/SGDĐT"), ("REFERENCE", "Công văn số 12/SGDĐT"),
        ("TASK", text[task_start:-3]), ("DEADLINE", "trước ngày 20/4/2026")]
    write_html(source, record, out)
    page = out.read_text(encoding="utf-8")
    for label in ("NUMBER", "REFERENCE", "TASK", "DEADLINE"):
        assert label in page
    assert "<title>cv.txt</title>" in page and "<h2" in page


@pytest.mark.skipif(not list(CORPUS.glob("s02_*.txt")), reason="corpus absent")
def test_review_page_of_a_real_dispatch(tmp_path):
    from pipeline.extract import extract_text
    from pipeline.review_html import write_html
    source = next(CORPUS.glob("s02_*.txt"))
    text = source.read_bytes().decode("utf-8-sig")
    record = extract_text(text)
    assert record.tasks
    out = tmp_path / "s02.html"
    write_html(source, record, out)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and source.name in page
    assert not re.search(r"<script|<link|\bsrc=|@import|url\(", page), "the page must not fetch anything"
    for label in ["TASK", "SUBJECT", "DATE"]:
        assert label in page
    plain = _plain(page)
    for task in record.tasks:
        words = text[task.span[0]:task.span[1]].split()[:6]
        assert " ".join(words) in plain
    assert page.count("<br>") >= text.count("\n") - 1


@pytest.mark.skipif(not CORPUS.exists(), reason="corpus absent")
@pytest.mark.parametrize("name", ["s01_", "s02_", "104_", "105_"])
def test_corpus_texts_are_covered(name):
    paths = sorted(CORPUS.glob(f"{name}*.txt"))
    if not paths:
        pytest.skip(f"no {name}* text")
    text = paths[0].read_text(encoding="utf-8")
    _check_cover(text, nlp.word_spans(text))
    assert nlp.annotate(text).text == text
