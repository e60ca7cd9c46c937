"""Export to gold (CONTRACT §2) from what officers reviewed, and scoring against it: the gold
scores 1.0 against itself; the machine's record loses exactly what the officers corrected."""
from __future__ import annotations

import json

import pytest

from pipeline.evaluate import ListCount, ScalarCount, evaluate_dir, saved_predictions, score_key
from pipeline.gold import anchor, export_gold, gold_record
from pipeline.review import Actor, add_task, approve, reject_task, update_task
from pipeline.store.db import Store
from pipeline.store.models import Dispatch
from reviewkit import NEVER, case, load

OFFICER = Actor("can.bo.b")
CORRECTED = "2018-10-15"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Officers reviewed four samples: s01 one deadline corrected, s02 one task rejected, 048 one task
    added, 044 approved as it was; 046 was approved by the gate (nobody checked it: not gold)."""
    folder = tmp_path_factory.mktemp("gold")
    store = Store.open(f"sqlite:///{folder / 'store.sqlite3'}")
    ids = load(store, {"044": NEVER, "046": 0.0, "048": NEVER, "s01": NEVER, "s02": NEVER})
    with store.session() as session:
        update_task(session, session.get(Dispatch, ids["s01"]).tasks[0].id, {"due_date": CORRECTED}, OFFICER)
        reject_task(session, session.get(Dispatch, ids["s02"]).tasks[1].id, OFFICER)
        row = session.get(Dispatch, ids["048"])
        start = row.text.index("Chi\ntiết liên hệ")
        add_task(session, row.id, start, row.text.index("02439411232.") + len("02439411232."), OFFICER)
        for name in ("044", "048", "s01", "s02"):
            approve(session, ids[name], OFFICER)
    with store.session() as session:
        done = export_gold(session, folder / "out")
        records = {name: session.get(Dispatch, i).record for name, i in ids.items()}
    store.close()
    stems = {name: next(e.stem for e in done if e.dispatch_id == i) for name, i in ids.items()
             if any(e.dispatch_id == i for e in done)}
    return folder / "out", done, stems, records


def test_only_dispatches_an_officer_approved_are_exported_with_text_and_machine_record(exported):
    out, done, stems, records = exported
    assert sorted(stems) == ["044", "048", "s01", "s02"]           # 046: approved by "auto"
    assert [e.tasks for e in sorted(done, key=lambda e: e.stem)] == [12, 6, 5, 6]
    for name, stem in stems.items():
        gold = json.loads((out / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
        machine = json.loads((out / "machine" / f"{stem}.json").read_text(encoding="utf-8"))
        text = (out / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        assert gold["number"] == records[name]["number"] and len(gold["tasks"]) == len(records[name]["tasks"])
        assert all(set(t) == {"anchor", "deadline", "optional"} for t in gold["tasks"])
        assert all(text[t["span"][0]:t["span"][1]] for t in machine["tasks"])
    assert sorted(p.name for p in (out / "gold").iterdir()) == sorted(f"{s}.json" for s in stems.values())


def test_the_gold_scores_one_on_every_field_against_itself(exported):
    out = exported[0]
    report, docs = evaluate_dir(out / "gold", saved_predictions(out / "gold"))
    assert (report.documents, report.failures) == (4, 0)
    assert {"number", "issued_date", "issuer", "subject", "recipients", "references", "tasks",
            "tasks.deadline"} <= set(report.counts)
    for name, count in report.counts.items():
        assert all(v == 1.0 for v in count.metrics().values() if v is not None), name


# (machine record against the officers' gold) per document: tasks (tp, predicted, gold), deadlines (right, of)
MACHINE = {
    "044": (ListCount(12, 12, 12), ScalarCount(12, 12)),   # approved as it was
    "s01": (ListCount(5, 5, 5), ScalarCount(4, 5)),        # one deadline of five corrected
    "s02": (ListCount(6, 7, 6), ScalarCount(6, 6)),        # one task of seven rejected: precision 6/7
    "048": (ListCount(5, 5, 6), ScalarCount(5, 5)),        # one task added: recall 5/6
}


@pytest.mark.parametrize("name", list(MACHINE))
def test_the_machine_record_scores_exactly_what_the_officers_corrected(exported, name):
    out, _, stems, _ = exported
    report, docs = evaluate_dir(out / "gold", saved_predictions(out / "machine"))
    doc = docs[stems[name]]
    assert (doc.counts["tasks"], doc.counts["tasks.deadline"]) == MACHINE[name]
    others = {field: count for field, count in doc.counts.items() if not field.startswith("tasks")}
    assert others and all(v == 1.0 for c in others.values() for v in c.metrics().values() if v is not None)
    if name == "s01":
        [error] = [e for e in doc.errors if e.field == "tasks.deadline"]
        assert error.expected == {"date": CORRECTED, "recurrence": None}


def test_the_cli_scores_the_machine_records_against_the_gold(exported):
    from typer.testing import CliRunner

    from pipeline.cli import app

    out = exported[0]
    result = CliRunner().invoke(app, ["evaluate", str(out / "gold"), "--predictions", str(out / "machine"), "--json"])
    assert result.exit_code == 0, result.output
    fields = json.loads(result.stdout)["fields"]
    assert {k: fields["tasks"][k] for k in ("tp", "n_pred", "n_gold")} == {"tp": 28, "n_pred": 29, "n_gold": 29}
    assert fields["tasks"]["precision"] == pytest.approx(28 / 29) and fields["tasks"]["recall"] == pytest.approx(28 / 29)
    assert (fields["tasks.deadline"]["right"], fields["tasks.deadline"]["total"]) == (27, 28)
    assert fields["number"]["accuracy"] == 1.0


def _words(text: str) -> int:
    return len(text.split())


def test_every_anchor_is_5_to_15_words_of_its_task_and_in_no_other_task(exported):
    out, _, stems, records = exported
    for name, stem in stems.items():
        gold = json.loads((out / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
        texts = [" ".join(t["text"].split()) for t in records[name]["tasks"]]
        keys = [score_key(t) for t in texts]
        for i, task in enumerate(gold["tasks"]):
            words = _words(task["anchor"])
            assert 5 <= words <= 15 or (task["anchor"] == texts[i] and words < 5), (name, i)
            assert task["anchor"] in texts[i]
            assert [k for k in keys if score_key(task["anchor"]) in k] == [keys[i]], (name, i)


# real task texts of the samples, as an officer may leave them side by side
REPORT = "Báo cáo theo đề cương mà Đoàn kiểm tra yêu cầu."
BUDGET = ("Phối hợp Văn phòng Sở và Phòng Kế hoạch - Tài chính dự trù kinh phí và quyết toán kinh phí.")
TALK_2 = ("2. Tham luận “Kinh nghiệm tổ chức ôn thi TN môn Lịch sử năm 2025 đạt hiệu quả tốt” - Trường THPT "
          "Thống Linh hỗ trợ thực hiện.")
TALK_4 = ("4. Tham luận “Ứng dụng công nghệ thông tin trong công tác ôn thi TN môn Lịch sử” - Trường THPT "
          "Trường Xuân hỗ trợ thực hiện.")


@pytest.mark.parametrize("texts, expected", [
    case("short tasks: the whole text", [REPORT, "Báo cáo kết quả."], [REPORT, "Báo cáo kết quả."]),
    case("a longer task holding a shorter one: the first 8-word window reaching past it",
         [REPORT, f"{REPORT} {BUDGET}"], [REPORT, "cương mà Đoàn kiểm tra yêu cầu. Phối"]),
    case("044's talks share their tail: the first 8 words",
         [TALK_2, TALK_4], ["2. Tham luận “Kinh nghiệm tổ chức ôn", "4. Tham luận “Ứng dụng công nghệ thông"]),
])
def test_anchor_choice(texts, expected):
    anchors = [anchor(t, texts, i) for i, t in enumerate(texts)]
    assert anchors == expected
    gold = gold_record({"tasks": [{"text": t, "deadline": {"date": None, "recurrence": None}} for t in texts]})
    assert [t["anchor"] for t in gold["tasks"]] == expected
