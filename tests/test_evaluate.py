"""Scoring against gold (CONTRACT §3): tables of named cases, then the corpus scored against itself."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from rich.console import Console

from pipeline.evaluate import (
    SIM,
    DocScore,
    ErrorRecord,
    ListCount,
    ScalarCount,
    aggregate,
    evaluate_dir,
    greedy_match,
    load_gold,
    max_matching,
    render_errors,
    render_report,
    score_document,
    score_key,
    similar,
    text_path_for,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
GOLD_FILES = sorted((CORPUS / "gold").glob("*.json")) if CORPUS.exists() else []


def case(name: str, *values):
    return pytest.param(*values, id=name)


# ---------------------------------------------------------------- score_key

SCORE_KEY_CASES = [
    case("ubnd", "UBND tỉnh Khánh Hòa", "ủy ban nhân dân tỉnh khánh hòa"),
    case("hdnd", "HĐND huyện", "hội đồng nhân dân huyện"),
    case("gd&dt inside a name", "Sở GD&ĐT", "sở giáo dục và đào tạo"),
    case("gddt", "Sở GDĐT tỉnh Đồng Tháp", "sở giáo dục và đào tạo tỉnh đồng tháp"),
    case("gd-dt", "Phòng GD-ĐT huyện", "phòng giáo dục và đào tạo huyện"),
    case("tw", "Ban Chấp hành TW Đảng", "ban chấp hành trung ương đảng"),
    case("antq", "bảo vệ ANTQ trong nhà trường", "bảo vệ an ninh tổ quốc trong nhà trường"),
    case("antt", "đảm bảo ANTT", "đảm bảo an ninh trật tự"),
    case("abbreviation in parentheses", "(UBND)", "ủy ban nhân dân"),
    case("abbreviation before comma", "HĐND, UBND tỉnh", "hội đồng nhân dân, ủy ban nhân dân tỉnh"),
    case("tw inside a number kept", "46-CT/TW", "46-ct/tw"),
    case("ubnd inside a number kept", "1161/UBND-VP", "1161/ubnd-vp"),
    case("not a whole token", "SGDĐT UBNDX", "sgdđt ubndx"),
    case("old tone hoà", "Khánh Hoà", "khánh hòa"),
    case("old tone uỷ", "Uỷ ban", "ủy ban"),
    case("old tone thuý", "Diệu Thuý", "diệu thúy"),
    case("quý is not old style", "Quý I", "quý i"),
    case("nfd input", unicodedata.normalize("NFD", "Hòa Bình"), "hòa bình"),
    case("case folding", "CÔNG VĂN", "công văn"),
    case("white space", "Văn   phòng\n Chính\tphủ", "văn phòng chính phủ"),
    case("bullet and semicolon", "  - Như trên;  ", "như trên"),
    case("quotes and full stop", "“Tăng cường an ninh”./.", "tăng cường an ninh"),
    case("inner punctuation kept", "Bộ Lao động - Thương binh và Xã hội.", "bộ lao động - thương binh và xã hội"),
    case("blank number keeps its slash", "/SGDĐT-CTTT", "/sgdđt-cttt"),
]


@pytest.mark.parametrize("text, expected", SCORE_KEY_CASES)
def test_score_key(text, expected):
    assert score_key(text) == expected


SIMILAR_CASES = [
    case("same after normalisation", "UBND tỉnh Khánh Hòa", "Ủy ban nhân dân tỉnh Khánh Hoà", True),
    case("abbreviation", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", True),
    case("word order", "Tài chính Bộ", "Bộ Tài chính", True),
    case("ocr typo", "Văn phòng Chinh phủ", "Văn phòng Chính phủ", True),
    case("different ministry", "Bộ Tài chính", "Bộ Công an", False),
    case("different law", "Luật Đất đai", "Luật Lâm nghiệp", False),
    case("different province", "UBND tỉnh Khánh Hòa", "UBND tỉnh Ninh Bình", False),
]


@pytest.mark.parametrize("a, b, same", SIMILAR_CASES)
def test_similar(a, b, same):
    s = similar(a, b)
    assert 0.0 <= s <= 1.0
    assert (s >= SIM) is same
    assert s == pytest.approx(similar(b, a))


# ---------------------------------------------------------------- scalars

def nest(name: str, value) -> dict:
    """'signer.name', 'X' → {'signer': {'name': 'X'}}."""
    head, _, rest = name.partition(".")
    return {head: nest(rest, value) if rest else value}


SCALAR_CASES = [
    case("number equal", "number", "2094/SGDĐT-HSSV", " 2094/SGDĐT-HSSV", True),
    case("number differs", "number", "2094/SGDĐT-HSSV", "2094/SGDĐT-HSSH", False),
    case("blank number needs its slash", "number", "/SGDĐT-CTTT", "SGDĐT-CTTT", False),
    case("number null both", "number", None, None, True),
    case("number null in gold only", "number", None, "123/UBND", False),
    case("partial date is not a full date", "issued_date", "2019-06", "2019-06-01", False),
    case("date equal", "issued_date", "2018-09-04", "2018-09-04", True),
    case("doc_type case", "doc_type", "Công văn", "CÔNG VĂN", True),
    case("doc_type differs", "doc_type", "Công văn", "Công điện", False),
    case("urgency old tone", "urgency", "Hỏa tốc", "HOẢ TỐC", True),
    case("urgency null vs value", "urgency", None, "Khẩn", False),
    case("issuer abbreviation", "issuer", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", True),
    case("issuer differs", "issuer", "Bộ Tài chính", "Bộ Công an", False),
    case("issuer missing in pred", "issuer", "Bộ Tài chính", None, False),
    case("parent issuer", "parent_issuer", "UBND tỉnh Đồng Tháp", "Ủy ban nhân dân tỉnh Đồng Tháp", True),
    case("place", "place", "Khánh Hòa", "Khánh Hoà", True),
    case("subject small difference", "subject",
         "đẩy mạnh phong trào toàn dân bảo vệ ANTQ trong nhà trường",
         "V/v đẩy mạnh phong trào toàn dân bảo vệ an ninh tổ quốc trong nhà trường", True),
    case("subject different", "subject", "tổ chức thi tốt nghiệp", "chi trả trợ cấp qua bưu điện", False),
    case("signer name case", "signer.name", "Lê Đình Thuần", "LÊ ĐÌNH THUẦN", True),
    case("signer title differs", "signer.title", "Phó Giám đốc", "Phó Chủ tịch", False),
]


@pytest.mark.parametrize("field, gold_value, pred_value, right", SCALAR_CASES)
def test_scalar_field(field, gold_value, pred_value, right):
    score = score_document(nest(field, pred_value), nest(field, gold_value))
    assert score.counts[field] == ScalarCount(int(right), 1)
    assert len(score.errors) == (0 if right else 1)


UNSCORED_CASES = [
    case("gold lacks issuer", {"place": "Hà Nội"}, {"issuer": "Bộ Tài chính"}, "issuer"),
    case("gold signer lacks title", {"signer": {"name": "A"}}, {"signer": {"title": "B"}}, "signer.title"),
    case("gold lacks tasks", {"number": "1/UBND"}, {"tasks": [{"text": "x"}]}, "tasks"),
]


@pytest.mark.parametrize("gold, pred, field", UNSCORED_CASES)
def test_field_missing_from_gold_is_not_scored(gold, pred, field):
    assert field not in score_document(pred, gold).counts


def test_null_signer_in_gold_expects_no_signer():
    score = score_document({"signer": {"name": "Lê Văn A"}}, {"signer": None})
    assert score.counts["signer.name"] == ScalarCount(0, 1)
    assert score.counts["signer.title"] == ScalarCount(1, 1)


# ---------------------------------------------------------------- recipients

def to(name):
    return {"name": name, "role": "to"}


def cc(name):
    return {"name": name, "role": "cc"}


RECIPIENT_CASES = [
    case("exact", [to("Các trường THCS")], [to("Các trường THCS")], (1, 1, 1)),
    case("role matters", [to("UBND tỉnh")], [cc("UBND tỉnh")], (0, 1, 1)),
    case("abbreviation", [cc("UBND tỉnh")], [cc("Ủy ban nhân dân tỉnh")], (1, 1, 1)),
    case("each gold once", [to("Sở Tài chính")], [to("Sở Tài chính"), to("Sở Tài chính")], (1, 2, 1)),
    case("duplicates both matched", [cc("Lưu trữ"), cc("Lưu trữ")], [cc("Lưu trữ"), cc("Lưu trữ")], (2, 2, 2)),
    case("missed", [to("Bộ Tài chính"), cc("Bộ Công an")], [], (0, 0, 2)),
    case("spurious", [], [cc("Bộ Công an")], (0, 1, 0)),
    case("dissimilar", [to("Bộ Tài chính")], [to("Bộ Công an")], (0, 1, 1)),
    # pred 0 is close to both golds: best-first gives it gold 1 and leaves gold 0 for pred 1
    case("best similarity first",
         [to("UBND tỉnh Ninh Bình"), to("UBND tỉnh Hòa Bình")],
         [to("UBND tỉnh Hòa Bình"), to("UBND tỉnh Ninh Thuận")], (2, 2, 2)),
]


@pytest.mark.parametrize("gold, pred, counts", RECIPIENT_CASES)
def test_recipients(gold, pred, counts):
    score = score_document({"recipients": pred}, {"recipients": gold})
    assert score.counts["recipients"] == ListCount(*counts)
    tp, n_pred, n_gold = counts
    assert len(score.errors) == (n_pred - tp) + (n_gold - tp)


# ---------------------------------------------------------------- references

def ref(number, doc_type="Công văn", **more):
    return {"doc_type": doc_type, "number": number, **more}


def law(title, doc_type="Luật", **more):
    return {"doc_type": doc_type, "number": None, "title": title, **more}


AMEND_BHYT = "Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế"

REFERENCE_CASES = [
    case("number exact", [ref("06/2013/NĐ-CP")], [ref("06/2013/NĐ-CP")], (1, 1, 1)),
    case("number case and spaces", [ref("06/2013/NĐ-CP")], [ref(" 06 / 2013/nđ-cp")], (1, 1, 1)),
    case("number differs", [ref("06/2013/NĐ-CP")], [ref("07/2013/NĐ-CP")], (0, 1, 1)),
    case("number needs a number", [ref("46-CT/TW")], [ref(None)], (0, 1, 1)),
    case("each gold once", [ref("46-CT/TW")], [ref("46-CT/TW"), ref("46-CT/TW")], (1, 2, 1)),
    case("law by name", [law("Luật Giáo dục")], [law("Luật Giáo dục")], (1, 1, 1)),
    case("law title without type word", [law("Luật Ngân sách nhà nước")],
         [law("Ngân sách nhà nước")], (1, 1, 1)),
    case("law title without type word, ocr typo", [law("Luật Đầu tư công")], [law("Đầu tư cong")], (1, 1, 1)),
    case("law title case", [law("Luật Tổ chức Chính phủ")], [law("LUẬT TỔ CHỨC CHÍNH PHỦ")], (1, 1, 1)),
    case("law other doc_type", [law("Bộ luật Lao động", "Bộ luật")], [law("Bộ luật Lao động", "Luật")], (0, 1, 1)),
    case("law other title", [law("Luật Đất đai")], [law("Luật Lâm nghiệp")], (0, 1, 1)),
    case("law without title", [law("Luật Đất đai")], [ref(None, "Luật")], (0, 1, 1)),
    case("missed and spurious", [ref("1/QĐ-TTg")], [ref("2/QĐ-TTg")], (0, 1, 1)),
]


@pytest.mark.parametrize("gold, pred, counts", REFERENCE_CASES)
def test_references(gold, pred, counts):
    score = score_document({"references": pred}, {"references": gold})
    assert score.counts["references"] == ListCount(*counts)


REFERENCE_ATTRIBUTE_CASES = [
    case("date right", ref("1/CT", date="2015-06-22"), ref("1/CT", date="2015-06-22"), "references.date", (1, 1)),
    case("date wrong", ref("1/CT", date="2015-06-22"), ref("1/CT", date="2015-06-21"), "references.date", (0, 1)),
    case("date null both", ref("1/CT", date=None), ref("1/CT"), "references.date", (1, 1)),
    case("date null in gold", ref("1/CT", date=None), ref("1/CT", date="2015"), "references.date", (0, 1)),
    case("date not in gold", ref("1/CT"), ref("1/CT", date="2015"), "references.date", (0, 0)),
    case("issuer abbreviation", ref("1/CT", issuer="UBND huyện"), ref("1/CT", issuer="Ủy ban nhân dân huyện"),
         "references.issuer", (1, 1)),
    case("issuer wrong", ref("1/CT", issuer="Bộ Chính trị"), ref("1/CT", issuer="Chính phủ Việt Nam"),
         "references.issuer", (0, 1)),
    case("issuer missing in pred", ref("1/CT", issuer="Bộ Chính trị"), ref("1/CT"), "references.issuer", (0, 1)),
    case("issuer not in gold", ref("1/CT"), ref("1/CT", issuer="Chính phủ"), "references.issuer", (0, 0)),
    case("unmatched pair not scored", ref("1/CT", date="2015"), ref("2/CT", date="2015"), "references.date", (0, 0)),
]


@pytest.mark.parametrize("gold, pred, field, counts", REFERENCE_ATTRIBUTE_CASES)
def test_reference_attributes(gold, pred, field, counts):
    score = score_document({"references": [pred]}, {"references": [gold]})
    assert score.counts[field] == ScalarCount(*counts)


SAME_KEY_REFERENCE_CASES = [
    case("laws of one title", [law(AMEND_BHYT, date="2014-06-13"), law(AMEND_BHYT, date="2024-11-27")]),
    case("one number, two years", [ref("123/UBND-VX", date="2023-05-02"), ref("123/UBND-VX", date="2024-04-11")]),
]


@pytest.mark.parametrize("gold", SAME_KEY_REFERENCE_CASES)
def test_references_of_one_key_pair_by_date(gold):
    score = score_document({"references": list(reversed(gold))}, {"references": gold})
    assert score.counts["references"] == ListCount(2, 2, 2)
    assert score.counts["references.date"] == ScalarCount(2, 2)


# ---------------------------------------------------------------- tasks

def req(anchor, **more):
    return {"anchor": anchor, **more}


def opt(anchor):
    return {"anchor": anchor, "optional": True}


def pred_task(text, date=None, recurrence=None):
    return {"text": text, "deadline": {"date": date, "recurrence": recurrence}}


PLAN = "triển khai thực hiện kế hoạch"
REPORT = "báo cáo kết quả về Sở"
CLOSING = "Đề nghị các đơn vị triển khai thực hiện"

TASK_CASES = [
    case("contains anchor", [req(PLAN)], [pred_task(f"1. Các trường {PLAN} năm học.")], (1, 1, 1)),
    case("normalised containment",
         [req("UBND tỉnh chỉ đạo rà soát")], [pred_task("Đề nghị Ủy ban nhân dân tỉnh chỉ đạo\n  rà soát ngay.")],
         (1, 1, 1)),
    case("old tones in text", [req("Ủy ban nhân dân tỉnh Khánh Hòa")], [pred_task("Uỷ ban nhân dân tỉnh Khánh Hoà")],
         (1, 1, 1)),
    case("anchor not contained", [req(PLAN)], [pred_task("triển khai kế hoạch")], (0, 1, 1)),
    case("each gold once", [req(PLAN)], [pred_task(PLAN), pred_task(PLAN)], (1, 2, 1)),
    case("one prediction for one gold", [req(PLAN), req(REPORT)], [pred_task(f"{PLAN}; {REPORT}")], (1, 1, 2)),
    case("optional prediction ignored", [req(PLAN), opt(CLOSING)], [pred_task(PLAN), pred_task(CLOSING + ".")],
         (1, 1, 1)),
    case("optional gold not missed", [req(PLAN), opt(CLOSING)], [pred_task(PLAN)], (1, 1, 1)),
    case("only optional gold", [opt(CLOSING)], [pred_task(CLOSING)], (0, 0, 0)),
    case("background is a false positive", [req(PLAN)], [pred_task(PLAN), pred_task("Thực hiện Công văn số 1/UBND")],
         (1, 2, 1)),
    # greedy in gold order would give the two-anchor text to PLAN and lose REPORT
    case("bipartite matching", [req(PLAN), req(REPORT)],
         [pred_task(f"{PLAN} và {REPORT}"), pred_task(f"{PLAN} năm học")], (2, 2, 2)),
    case("required matched before optional ignored", [opt(PLAN), req(PLAN)], [pred_task(PLAN), pred_task(PLAN)],
         (1, 1, 1)),
]


@pytest.mark.parametrize("gold, pred, counts", TASK_CASES)
def test_tasks(gold, pred, counts):
    score = score_document({"tasks": pred}, {"tasks": gold})
    assert score.counts["tasks"] == ListCount(*counts)
    tp, n_pred, n_gold = counts
    assert len([e for e in score.errors if e.field == "tasks"]) == (n_pred - tp) + (n_gold - tp)


NONE_DEADLINE = {"date": None, "recurrence": None}

DEADLINE_CASES = [
    case("same date", {"date": "2013-05-30", "recurrence": None}, pred_task(PLAN, "2013-05-30"), (1, 1)),
    case("other date", {"date": "2013-05-30", "recurrence": None}, pred_task(PLAN, "2013-05-31"), (0, 1)),
    case("same recurrence", {"date": None, "recurrence": "yearly"}, pred_task(PLAN, None, "yearly"), (1, 1)),
    case("other recurrence", {"date": None, "recurrence": "yearly"}, pred_task(PLAN, None, "monthly"), (0, 1)),
    case("date right recurrence wrong", {"date": "2020-01-01", "recurrence": "yearly"},
         pred_task(PLAN, "2020-01-01"), (0, 1)),
    case("no deadline either side", NONE_DEADLINE, {"text": PLAN}, (1, 1)),
    case("pred deadline null", NONE_DEADLINE, {"text": PLAN, "deadline": None}, (1, 1)),
    case("pred lacks deadline", {"date": "2013-05-30", "recurrence": None}, {"text": PLAN}, (0, 1)),
    case("gold has no deadline key", None, pred_task(PLAN, "2013-05-30"), (0, 0)),
]


@pytest.mark.parametrize("gold_deadline, pred, counts", DEADLINE_CASES)
def test_task_deadline(gold_deadline, pred, counts):
    gold = req(PLAN) if gold_deadline is None else req(PLAN, deadline=gold_deadline)
    score = score_document({"tasks": [pred]}, {"tasks": [gold]})
    assert score.counts["tasks.deadline"] == ScalarCount(*counts)


def test_unmatched_task_deadline_not_scored():
    gold = {"tasks": [req(PLAN, deadline=NONE_DEADLINE)]}
    score = score_document({"tasks": [pred_task(REPORT)]}, gold)
    assert score.counts["tasks.deadline"] == ScalarCount(0, 0)


def test_duplicate_anchors_pair_by_deadline():
    """Same anchor twice (a summary repeating the body): the dated copy goes to the dated task."""
    gold = {"tasks": [req(REPORT, deadline={"date": "2025-11-27", "recurrence": None}), opt(REPORT)]}
    pred = {"tasks": [pred_task(REPORT), pred_task(REPORT, "2025-11-27")]}
    score = score_document(pred, gold)
    assert score.counts["tasks"] == ListCount(1, 1, 1)
    assert score.counts["tasks.deadline"] == ScalarCount(1, 1)


# ---------------------------------------------------------------- matching helpers

MAX_MATCHING_CASES = [
    case("empty", [], {}),
    case("no edges", [[]], {}),
    case("augmenting path", [[0, 1], [0]], {0: 1, 1: 0}),
    case("chain of three", [[0], [0, 1], [1, 2]], {0: 0, 1: 1, 2: 2}),
    case("more golds than preds", [[0], [0]], {0: 0}),
]


@pytest.mark.parametrize("edges, expected", MAX_MATCHING_CASES)
def test_max_matching(edges, expected):
    assert max_matching(edges) == expected


GREEDY_CASES = [
    case("best first", [((0.1,), 0, 0), ((0.0,), 0, 1), ((0.2,), 1, 0)], {1: 0, 0: 1}),
    case("each side once", [((0.0,), 0, 0), ((0.1,), 0, 1), ((0.2,), 1, 0)], {0: 0}),
]


@pytest.mark.parametrize("candidates, expected", GREEDY_CASES)
def test_greedy_match(candidates, expected):
    assert greedy_match(candidates) == expected


# ---------------------------------------------------------------- aggregation

def test_aggregate_micro_averages():
    scores = {
        "a": DocScore({"tasks": ListCount(1, 2, 2), "number": ScalarCount(1, 1)}),
        "b": DocScore({"tasks": ListCount(3, 3, 4), "number": ScalarCount(0, 1)}, failure="boom"),
    }
    report = aggregate(scores)
    rows = {row[0]: row[1:] for row in report.rows()}
    assert rows["tasks"] == pytest.approx((4 / 5, 4 / 6, 8 / 11, None, 6), nan_ok=False)
    assert rows["number"] == (None, None, None, 0.5, 2)
    assert list(rows) == ["number", "tasks"]
    assert (report.documents, report.failures) == (2, 1)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["fields"]["tasks"]["tp"] == 4
    assert data["fields"]["number"]["accuracy"] == 0.5


def test_metrics_undefined_without_support():
    rows = aggregate({"a": DocScore({"references": ListCount(0, 0, 0)})}).rows()
    assert rows == [("references", None, None, None, None, 0)]


# ---------------------------------------------------------------- files and rendering

def test_text_path_for():
    assert text_path_for(Path("/c/gold/001_x.json")) == Path("/c/text/001_x.txt")


def write_corpus(root: Path, docs: dict[str, dict]) -> Path:
    (root / "gold").mkdir()
    (root / "text").mkdir()
    for stem, gold in docs.items():
        (root / "gold" / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        (root / "text" / f"{stem}.txt").write_text(stem, encoding="utf-8")
    return root / "gold"


def test_evaluate_dir_carries_on_after_a_failure(tmp_path):
    gold_dir = write_corpus(tmp_path, {"good": {"number": "1/UBND"}, "bad": {"number": "2/UBND"}})

    def extract(path: Path) -> dict:
        if path.read_text(encoding="utf-8") == "bad":
            raise ValueError("unreadable")
        return {"number": "1/UBND"}

    report, scores = evaluate_dir(gold_dir, extract)
    assert set(load_gold(gold_dir)) == {"good", "bad"}
    assert scores["good"].failure is None
    assert scores["bad"].failure == "ValueError: unreadable"
    assert scores["bad"].errors[0] == ErrorRecord("extract", None, "ValueError: unreadable",
                                                  str(tmp_path / "text" / "bad.txt"))
    assert report.counts["number"] == ScalarCount(1, 2)
    assert report.failures == 1


def test_render_report_and_errors():
    scores = {"001": score_document({"number": "9/UBND"}, {"number": "1/UBND", "tasks": [req(PLAN)]})}
    console = Console(record=True, width=200)
    render_report(aggregate(scores), console)
    render_errors(scores, console)
    out = console.export_text()
    for text in ("field", "F1", "accuracy", "support", "number", "tasks", "1/UBND", "9/UBND", PLAN):
        assert text in out


# ---------------------------------------------------------------- the corpus against itself

def gold_as_prediction(gold: dict) -> dict:
    """A §1 object carrying exactly the gold's answers: anchors as task texts, deadlines kept."""
    pred = {k: v for k, v in gold.items() if k not in ("tasks", "notes")}
    pred["tasks"] = [{"text": t["anchor"], "deadline": t.get("deadline")} for t in gold.get("tasks", [])]
    return pred


@pytest.mark.skipif(not GOLD_FILES, reason="dev corpus not found")
@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_gold_scores_perfectly_against_itself(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    score = score_document(gold_as_prediction(gold), gold)
    assert score.errors == []
    for name, *metrics, _support in aggregate({gold_path.stem: score}).rows():
        assert all(m == 1.0 for m in metrics if m is not None), name
