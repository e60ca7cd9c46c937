"""Every example (and counter-example) printed in extractors/rules/*.json is proved here, through
the public extractors; and the rule reader rejects a file with a key it does not know.

A rule file that gains an "examples" list without a test below fails
`test_every_rule_file_with_examples_is_covered`.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from extractors import rules as rules_module
from extractors.casing import normal_case
from extractors.deadlines import find_deadline
from extractors.metadata import name_block_bodies
from extractors.references import find_citations
from extractors.rules import RuleFileError
from pipeline.evaluate import score_key
from pipeline.extract import extract_text
from pipeline.segment import segment

RULES = Path(rules_module.__file__).parent
HEADER = (
    "UBND TỈNH KHÁNH HÒA\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 999/SGDĐT-VP\nKhánh Hòa, ngày 10 tháng 10 năm 2025\n"
    "V/v triển khai nhiệm vụ năm học 2025-2026\nKính gửi: Các đơn vị trực thuộc Sở.\n"
)
BODY = "\nSở Giáo dục và Đào tạo đề nghị các đơn vị triển khai thực hiện nghiêm túc các nội dung trên./.\n"
TAIL = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Văn An\n"


def _load(name: str) -> dict:
    return json.loads((RULES / f"{name}.json").read_text(encoding="utf-8"))


def _flat(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", text).strip() if text is not None else None


def _short(text: str) -> str:
    """An ASCII row id: 'Định kỳ hằng quý' -> 'Dinh ky hang quy'."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"\s+", " ", "".join(c for c in folded if not unicodedata.combining(c)))[:40]


def _params(name: str, key: str = "examples") -> list:
    return [pytest.param(ex, id=f"{name}-{i}-{_short(ex if isinstance(ex, str) else ex.get('text', str(ex)))}")
            for i, ex in enumerate(_load(name).get(key, []))]


# ---------------------------------------------------------------- coverage of the rule files

COVERED = {"doc_types", "deadlines", "references", "recipients", "signer_titles", "casing", "org_heads", "tasks",
           "confidence"}


def _has_examples(data: dict) -> bool:
    return "examples" in data or any("examples" in e for e in data.get("entries", []) if isinstance(e, dict))


def test_every_rule_file_with_examples_is_covered() -> None:
    with_examples = {p.stem for p in RULES.glob("*.json") if _has_examples(json.loads(p.read_text("utf-8")))}
    assert with_examples <= COVERED, f"rule files with examples and no test: {sorted(with_examples - COVERED)}"
    assert with_examples, "no rule file carries examples"


# ---------------------------------------------------------------- doc_types: each example is one citation of its type

def _doc_type_params() -> list:
    data = _load("doc_types")
    return [pytest.param(entry["name"], ex, data["header_words"], id=f"doc_types-{_short(entry['name'])}-{_short(ex)}")
            for entry in data["entries"] for ex in entry.get("examples", [])]


@pytest.mark.parametrize("name, example, header_words", _doc_type_params())
def test_doc_type_example(name: str, example: str, header_words: list[str]) -> None:
    head = next((w for w in header_words if example.startswith(w + " ")), None)
    if head:  # printed as the type line of a header ("GIẤY MỜI Dự hội nghị")
        text = (HEADER.split("V/v")[0] + head + "\n" + example[len(head) + 1:] + "\nKính gửi: Các đơn vị.\n"
                + BODY + TAIL)
        assert extract_text(text).doc_type == name
        return
    assert [c.doc_type for c in find_citations(example)] == [name]


# ---------------------------------------------------------------- deadlines

@pytest.mark.parametrize("example", _params("deadlines"))
def test_deadline_example(example: dict) -> None:
    deadline = find_deadline(example["text"], example.get("issued"))
    assert (deadline.date, deadline.recurrence) == (example["date"], example["recurrence"])


@pytest.mark.parametrize("text", _params("deadlines", "counter_examples"))
def test_deadline_counter_example(text: str) -> None:
    deadline = find_deadline(text, "2025-10-10")
    assert (deadline.date, deadline.recurrence) == (None, None)


# ---------------------------------------------------------------- references

@pytest.mark.parametrize("example", _params("references"))
def test_reference_example(example: dict) -> None:
    refs = extract_text(HEADER + example["text"] + BODY + TAIL).references
    numbers = example.get("numbers") or ([example["number"]] if "number" in example else [None])
    assert [r.number for r in refs] == numbers
    first = refs[0]
    if "date" in example:
        assert first.date == example["date"]
    if "issuer" in example:
        assert score_key(first.issuer or "") == score_key(example["issuer"])
    if "title" in example:
        assert score_key(first.title or "") == score_key(example["title"])


# ---------------------------------------------------------------- recipients: one Nơi nhận line, split into entries

@pytest.mark.parametrize("example", _params("recipients"))
def test_recipients_example(example: dict) -> None:
    text = HEADER + BODY + f"Nơi nhận:\n- Như trên;\n- {example['text']};\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Văn An\n"
    cc = [_flat(r.name) for r in extract_text(text).recipients if r.role == "cc"]
    assert cc == example["entries"]


# ---------------------------------------------------------------- signer titles

@pytest.mark.parametrize("example", _params("signer_titles"))
def test_signer_example(example: dict) -> None:
    text = HEADER + BODY + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n" + example["text"] + "\n"
    signer = extract_text(text).signer
    assert signer is not None
    assert (_flat(signer.name), _flat(signer.title), _flat(signer.authority)) == (
        example["name"], example["title"], example["authority"])


# ---------------------------------------------------------------- casing

@pytest.mark.parametrize("example", _params("casing"))
def test_casing_example(example: dict) -> None:
    assert normal_case(example["text"]) == example["expected"]


# ---------------------------------------------------------------- org heads: name-block lines to bodies

def _name_block_text(lines: list[str]) -> str:
    return "\n".join(lines) + "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 1/CV-X\n" \
        "Hà Nội, ngày 05 tháng 11 năm 2025\nV/v thực hiện nhiệm vụ\nKính gửi: Các đơn vị.\n" + BODY + TAIL


@pytest.mark.parametrize("example", [pytest.param(ex, id=f"org_heads-{i}-{_short(' / '.join(ex['lines']))}")
                                     for i, ex in enumerate(_load("org_heads")["examples"])])
def test_org_heads_example(example: dict) -> None:
    text = _name_block_text(example["lines"])
    assert [_flat(b) for b, _ in name_block_bodies(segment(text))] == example["bodies"]
    dispatch = extract_text(text)
    bodies = example["bodies"]
    assert score_key(dispatch.issuer or "") == score_key(bodies[-1])
    parent = score_key(dispatch.parent_issuer) if dispatch.parent_issuer else None
    assert parent == (score_key(bodies[-2]) if len(bodies) > 1 else None)


# ---------------------------------------------------------------- tasks

@pytest.mark.parametrize("example", _params("tasks"))
def test_task_example(example: dict) -> None:
    tasks = extract_text(HEADER + example["text"] + "\n" + TAIL).tasks
    if not example["task"]:
        assert [t.text for t in tasks] == []
        return
    head = _flat(re.sub(r"/\.$", "", example["text"]))[:40]
    assert [head in _flat(t.text) for t in tasks] == [True]


# ---------------------------------------------------------------- the rule reader rejects unknown keys

def _write(directory: Path, name: str, data: dict) -> None:
    (directory / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


READER_CASES = [
    pytest.param({"description": "x", "absolute": [], "typo_key": []}, {"description", "absolute"}, None,
                 "typo_key", id="unknown-top-level-key"),
    pytest.param({"description": "x", "entries": [{"name": "Công văn", "words": [], "symbol": ["CV"]}]},
                 {"description", "entries"}, {"name", "words", "symbols"}, "symbol", id="unknown-entry-key"),
]


@pytest.mark.parametrize("data, allowed, entry_keys, bad", READER_CASES)
def test_read_rejects_unknown_keys(tmp_path, monkeypatch, data, allowed, entry_keys, bad) -> None:
    monkeypatch.setattr(rules_module, "RULES_DIR", tmp_path)
    _write(tmp_path, "probe", data)
    with pytest.raises(RuleFileError, match=bad):
        rules_module._read("probe", allowed, entry_keys)


def test_read_accepts_known_keys(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(rules_module, "RULES_DIR", tmp_path)
    _write(tmp_path, "probe", {"description": "x", "absolute": ["trước ngày"]})
    assert rules_module._read("probe", {"description", "absolute"}) == {"description": "x", "absolute": ["trước ngày"]}


def test_load_rules_rejects_a_rule_file_with_an_unknown_key(tmp_path, monkeypatch) -> None:
    """The loader itself (bypassing its cache, so other tests keep the real rules)."""
    good = _load("deadlines")
    monkeypatch.setattr(rules_module, "RULES_DIR", tmp_path)
    _write(tmp_path, "deadlines", {**good, "recurence": {}})
    with pytest.raises(RuleFileError, match="recurence"):
        rules_module.load_rules.__wrapped__("deadlines")


# ---------------------------------------------------------------- confidence: each example's header line is found that way

@pytest.mark.parametrize("example", _params("confidence"))
def test_confidence_example(example: dict) -> None:
    from extractors.confidence import field_evidence
    from pipeline.extract import extract_text

    text = f"SỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{example['text']}\nKính gửi: Các trường.\n"
    record = extract_text(text)
    assert field_evidence(record, "type_word", True)[example["field"]] == example["how"]
    assert 0 < record.confidence[example["field"]] <= 1
