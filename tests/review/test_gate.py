"""The review gate on the samples: which dispatches skip the officer, the CONGVAN_AUTO_APPROVE
setting, what a re-extraction keeps, and what the nightly batch sends while a dispatch waits."""
from __future__ import annotations

import csv
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipeline.ingest import reprocess
from pipeline.review import Actor, approve, reject_task, update_header, update_task
from pipeline.settings import Settings
from pipeline.store import repository as repo
from pipeline.store.db import Store
from pipeline.store.gate import passes, record_confidence
from pipeline.store.models import Dispatch, TaskStatus
from reviewkit import NEVER, REGISTRY_CSV, case, extracted, load, sqlite_copy

OFFICER = Actor("can.bo.a", remote="10.0.0.7")


def _confidences(name: str) -> tuple[float, float, list[float]]:
    """(lowest, highest, header values) of a sample's header fields and tasks."""
    _, record = extracted(name)
    header = list(record.confidence.values())
    values = header + [t.confidence for t in record.tasks if t.confidence is not None]
    return min(values), max(values), header


# ------------------------------------------------------------------ the rule

@pytest.mark.parametrize("name, threshold, review_status, reviewed_by, task_status", [
    case("0 is no gate: s01 (least certain) approved by auto", "s01", lambda lo, hi, h: 0.0,
         "approved", "auto", "open"),
    case("2.0 ('off'): even 044 waits", "044", lambda lo, hi, h: NEVER, "pending", None, "pending_review"),
    case("threshold exactly the lowest: approved (>=)", "048", lambda lo, hi, h: lo, "approved", "auto", "open"),
    case("halfway between lowest and highest: pending", "048", lambda lo, hi, h: (lo + hi) / 2,
         "pending", None, "pending_review"),
    case("header all clear, one task below: pending", "046", lambda lo, hi, h: min(h),
         "pending", None, "pending_review"),
    case("just below s02's lowest: approved", "s02", lambda lo, hi, h: lo - 0.01, "approved", "auto", "open"),
    case("just above s02's lowest: pending", "s02", lambda lo, hi, h: lo + 0.01, "pending", None, "pending_review"),
])
def test_the_gate_approves_a_dispatch_only_when_its_lowest_confidence_clears_the_threshold(
        tmp_path, name, threshold, review_status, reviewed_by, task_status):
    low, high, header = _confidences(name)
    assert low < high
    if name == "046":  # the row is about a task, not a header field, being the weakest
        assert low < min(header)
    store = Store.open(f"sqlite:///{tmp_path / 'gate.sqlite3'}")
    ids = load(store, threshold(low, high, header), names=(name,))
    with store.session() as session:
        row = session.get(Dispatch, ids[name])
        assert row.confidence == pytest.approx(low) == record_confidence(extracted(name)[1])
        assert (row.review_status, row.reviewed_by) == (review_status, reviewed_by)
        assert (row.reviewed_at is not None) == (reviewed_by is not None)
        assert row.tasks and {t.status for t in row.tasks} == {task_status}
        assert row.machine_record == row.record == extracted(name)[1].contract_json()
    store.close()


@pytest.mark.parametrize("confidence, threshold, expected", [
    case("nothing scored, gate off", None, 0.0, True),
    case("nothing scored, any threshold", None, 0.1, False),
    case("equal", 0.75, 0.75, True),
    case("below", 0.74, 0.75, False),
    case("perfect, never", 1.0, NEVER, False),
])
def test_passes(confidence, threshold, expected):
    assert passes(confidence, threshold) is expected


# ------------------------------------------------------------------ the setting

@pytest.mark.parametrize("value, expected", [
    case("unset: default 0.9", None, 0.9),
    case("empty: default 0.9", "", 0.9),
    case("a float", "0.75", 0.75),
    case("zero: gate off", "0", 0.0),
    case("off", "off", NEVER),
    case("OFF with spaces", " OFF ", NEVER),
    case("never", "never", NEVER),
    case("none", "none", NEVER),
])
def test_congvan_auto_approve_is_read_from_the_environment(tmp_path, value, expected):
    env = {"CONGVAN_HOME": str(tmp_path)} | ({} if value is None else {"CONGVAN_AUTO_APPROVE": value})
    assert Settings.from_env(env).auto_approve == expected


@pytest.mark.parametrize("value", ["abc", "0,9", "90%"])
def test_a_bad_congvan_auto_approve_is_an_error_naming_the_variable(tmp_path, value):
    with pytest.raises(ValueError, match=r"^CONGVAN_AUTO_APPROVE: " + re.escape(repr(value))):
        Settings.from_env({"CONGVAN_HOME": str(tmp_path), "CONGVAN_AUTO_APPROVE": value})


@pytest.mark.parametrize("env, review_status", [
    case("off from the environment", "off", "pending"),
    case("0 from the environment", "0", "approved"),
    case("0.3 from the environment (s02's lowest is 0.3 or more)", "0.3", "approved"),
])
def test_the_store_reads_the_threshold_from_the_environment_when_none_is_passed(tmp_path, monkeypatch, env,
                                                                                review_status):
    monkeypatch.setenv("CONGVAN_AUTO_APPROVE", env)
    text, record = extracted("s02")
    assert _confidences("s02")[0] >= 0.3
    store = Store.open(f"sqlite:///{tmp_path / 'env.sqlite3'}")
    with store.session() as session:
        row = repo.store_dispatch(session, record, text=text, version="test")
        assert row.review_status == review_status
    store.close()


# ------------------------------------------------------------------ re-extraction

@pytest.fixture(scope="module")
def pending_template(tmp_path_factory) -> Path:
    """s01 and s02 with the registry, both waiting for review."""
    path = tmp_path_factory.mktemp("gate") / "pending.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    load(store, NEVER, names=("s01", "s02"))
    store.close()
    return path


@pytest.fixture
def pending(pending_template, tmp_path):
    store = sqlite_copy(pending_template, tmp_path)
    with store.session() as session:
        ids = {row.number or "s01": row.id for row in session.query(Dispatch)}
    yield store, ids["s01"], ids["/SGDDĐT-CTTT"]
    store.close()


def _renamed_subject(text, source):
    """Another extractor: the same record but for its subject."""
    from pipeline.extract import extract_text

    record = extract_text(text, source)
    return record.model_copy(update={"subject": "chủ đề do phiên bản mới trích"})


def test_reprocessing_a_dispatch_an_officer_reviewed_keeps_the_corrections_and_updates_machine_record(pending):
    store, _, s02 = pending
    with store.session() as session:
        row = session.get(Dispatch, s02)
        yearly, first = row.tasks[-1], row.tasks[0]
        update_task(session, yearly.id, {"due_date": "2019-12-15"}, OFFICER)
        reject_task(session, first.id, OFFICER)
        update_header(session, s02, "issuer", "Sở Giáo dục và Đào tạo", OFFICER)
        approve(session, s02, OFFICER)
        reviewed = dict(row.record)
        statuses = {t.id: t.status for t in row.tasks}
        yearly_id, first_id = yearly.id, first.id
    results = reprocess(store, version="v2", extract_text=_renamed_subject, force=True, auto_approve=NEVER)
    assert {r.outcome.value for r in results} == {"reprocessed"}
    with store.session() as session:
        row = session.get(Dispatch, s02)
        assert (row.review_status, row.reviewed_by) == ("approved", OFFICER.name)
        assert row.record == reviewed and row.issuer == "Sở Giáo dục và Đào tạo"
        assert {t.id: t.status for t in row.tasks} == statuses
        assert statuses[first_id] == "rejected" and statuses[yearly_id] == "open"
        assert session.get(type(row.tasks[0]), yearly_id).due_date == "2019-12-15"
        assert row.machine_record["subject"] == "chủ đề do phiên bản mới trích"
        assert row.machine_record["issuer"] is None and row.extractor_version == "v2"


@pytest.mark.parametrize("first, second, review_status, task_status", [
    case("pending, then gate off: approved by auto", NEVER, 0.0, "approved", "open"),
    case("auto-approved, then gate closed: back to pending", 0.0, NEVER, "pending", "pending_review"),
])
def test_reprocessing_a_dispatch_no_officer_reviewed_applies_the_gate_again(tmp_path, first, second,
                                                                            review_status, task_status):
    store = Store.open(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    ids = load(store, first, names=("s01",))
    reprocess(store, version="v2", force=True, auto_approve=second)
    with store.session() as session:
        row = session.get(Dispatch, ids["s01"])
        assert row.review_status == review_status and row.reviewed_by == ("auto" if second == 0 else None)
        assert {t.status for t in row.tasks} == {task_status}
    store.close()


def test_reprocessing_keeps_a_task_a_school_started_even_when_the_gate_closes(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'started.sqlite3'}")
    ids = load(store, 0.0, names=("s01",))
    with store.session() as session:
        started = session.get(Dispatch, ids["s01"]).tasks[1].id
        repo.set_task_status(session, started, TaskStatus.in_progress, actor="DK-TH-DIENAN")
    reprocess(store, version="v2", force=True, auto_approve=NEVER)
    with store.session() as session:
        row = session.get(Dispatch, ids["s01"])
        assert [t.status for t in row.tasks] == ["pending_review", "in_progress"] + ["pending_review"] * 3
    store.close()


def test_reprocessing_a_pending_dispatch_leaves_a_rejected_task_out_of_its_record(pending):
    store, s01, _ = pending
    with store.session() as session:
        rejected = session.get(Dispatch, s01).tasks[4]
        reject_task(session, rejected.id, OFFICER)
        text = rejected.text
    reprocess(store, version="v2", force=True, auto_approve=NEVER)
    with store.session() as session:
        row = session.get(Dispatch, s01)
        assert row.tasks[4].status == "rejected"
        assert text not in [t["text"] for t in row.record["tasks"]]


# ------------------------------------------------------------------ what the nightly batch sends

DAY = date(2019, 7, 1)


def _s01_schools() -> set[str]:
    with open(REGISTRY_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["code"] for r in rows if r["kind"] == "school" and r["district"] == "Diên Khánh"
            and r["level"] in ("Mầm non", "Tiểu học", "THCS")}


def _outbox(store: Store, home: Path) -> Path:
    from pipeline.nightly import run_nightly

    settings = replace(Settings.from_env({"CONGVAN_HOME": str(home)}))
    summary = run_nightly(store, settings, day=DAY, mail=False)
    return summary.folder


def _texts_sent(folder: Path) -> tuple[list[str], list[str]]:
    """Every task text in the unit folders' tasks.xlsx, and every event description of their tasks.ics."""
    import icalendar
    import openpyxl

    cells, descriptions = [], []
    for unit in sorted(p for p in folder.iterdir() if p.is_dir()):
        sheet = openpyxl.load_workbook(unit / "tasks.xlsx")["Nhiệm vụ"]
        cells += [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
        calendar = icalendar.Calendar.from_ical((unit / "tasks.ics").read_bytes())
        descriptions += [str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")]
    return cells, descriptions


def test_a_pending_dispatch_is_sent_to_no_school_until_an_officer_approves_it(pending, tmp_path):
    import icalendar

    store, s01, s02 = pending
    folder = _outbox(store, tmp_path / "before")
    assert not folder.exists() or not [p for p in folder.iterdir() if p.is_dir()]

    due = DAY + timedelta(days=10)
    with store.session() as session:
        tasks = session.get(Dispatch, s01).tasks
        rejected, dated = tasks[3], tasks[0]
        rejected_text = rejected.text
        reject_task(session, rejected.id, OFFICER)
        update_task(session, dated.id, {"due_date": due.isoformat()}, OFFICER)
        approve(session, s01, OFFICER)
        dated_id = dated.id
    folder = _outbox(store, tmp_path / "after")
    schools = _s01_schools()
    assert len(schools) == 21
    assert {p.name for p in folder.iterdir() if p.is_dir()} == schools   # s02 still waits
    cells, descriptions = _texts_sent(folder)
    assert len(cells) == 21 * 4 and rejected_text not in cells
    assert not any(rejected_text in d for d in descriptions)
    for school in schools:
        calendar = icalendar.Calendar.from_ical((folder / school / "tasks.ics").read_bytes())
        events = calendar.walk("VEVENT")
        assert [e.decoded("DTSTART") for e in events] == [due]
        assert str(events[0]["UID"]) == f"congvan-task-{dated_id}-{school.lower()}@congvan"
        assert str(events[0]["SUMMARY"]).startswith("Hạn: 1. Tiếp tục quán triệt")
