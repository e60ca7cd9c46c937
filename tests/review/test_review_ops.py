"""What an officer does in review, on the samples (SQLite, and PostgreSQL): correct a header field
or a task, reject and restore, split, merge, add a task from a selected span, approve, reject a
dispatch. Each change must reach the task row, `Dispatch.record` and the audit log."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline.review import (
    Actor,
    ReviewError,
    add_task,
    approve,
    audit_trail,
    merge_tasks,
    reject,
    reject_task,
    restore_task,
    review_counts,
    review_queue,
    split_task,
    update_header,
    update_task,
)
from pipeline.store import repository as repo
from pipeline.store.db import Store
from pipeline.store.keys import doc_key
from pipeline.store.models import Dispatch, Task, TaskStatus, TaskStatusChange
from reviewkit import NEVER, case, load, sqlite_copy

OFFICER = Actor("can.bo.a", remote="10.0.0.7")
NOW = "2026-11-24T09:00:00+07:00"


@pytest.fixture(scope="module")
def pending_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ops") / "pending.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    load(store, NEVER)
    store.close()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def pending(request, pending_template, tmp_path):
    """(store, sample name → dispatch id): the registry and the five samples, all waiting for review."""
    if request.param == "sqlite":
        store = sqlite_copy(pending_template, tmp_path)
        with store.session() as session:
            ids = dict(zip(("044", "046", "048", "s01", "s02"),
                           session.scalars(select(Dispatch.id).order_by(Dispatch.id))))
    else:
        store = Store.open(request.getfixturevalue("pg_url"))
        ids = load(store, NEVER)
    yield store, ids
    store.close()


def _tasks(session, dispatch_id: int) -> list[Task]:
    return list(session.get(Dispatch, dispatch_id).tasks)


def _record_texts(session, dispatch_id: int) -> list[str]:
    return [t["text"] for t in session.get(Dispatch, dispatch_id).record["tasks"]]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _at(text: str, phrase: str, start: int = 0) -> int:
    """Where `phrase` starts in the document text (its words may be wrapped across lines)."""
    found = re.compile(r"\s+".join(map(re.escape, phrase.split()))).search(text, start)
    assert found, phrase
    return found.start()


# ------------------------------------------------------------------ correcting a task

@pytest.mark.parametrize("name, position, changes, due_date, due_by, recurrence", [
    case("s01: a day", "s01", 0, {"due_date": "2018-10-15"}, "2018-10-15", "2018-10-15", None),
    case("s01: a month only ends the month", "s01", 1, {"due_date": "2018-11"}, "2018-11", "2018-11-30", None),
    case("s01: a year only ends the year", "s01", 2, {"due_date": "2019"}, "2019", "2019-12-31", None),
    case("s02: the yearly report gets its day", "s02", 6, {"due_date": "2019-12-15"}, "2019-12-15", "2019-12-15",
         "yearly"),
    case("s02: yearly becomes quarterly", "s02", 6, {"recurrence": "quarterly"}, None, None, "quarterly"),
    case("s02: the recurrence cleared", "s02", 6, {"recurrence": " "}, None, None, None),
    case("048: date and recurrence at once", "048", 1, {"due_date": "2025-12-10", "recurrence": "daily"},
         "2025-12-10", "2025-12-10", "daily"),
])
def test_correcting_a_deadline_reaches_the_task_the_record_and_the_audit_log(pending, name, position, changes,
                                                                             due_date, due_by, recurrence):
    store, ids = pending
    with store.session() as session:
        task = _tasks(session, ids[name])[position]
        before = {"due_date": task.due_date, "recurrence": task.recurrence}
        update_task(session, task.id, changes, OFFICER, now=NOW)
    with store.session() as session:
        task = session.get(Task, task.id)
        assert (task.due_date, task.due_by, task.recurrence) == (due_date, due_by, recurrence)
        deadline = session.get(Dispatch, ids[name]).record["tasks"][position]["deadline"]
        assert (deadline["date"], deadline["recurrence"]) == (due_date, recurrence)
        entries = audit_trail(session, ids[name])
        after = {"due_date": due_date, "recurrence": recurrence}
        changed = [f for f in ("due_date", "recurrence") if before[f] != after[f]]
        assert [(e.actor, e.remote, e.action, e.task_id, e.field, e.at) for e in entries] == \
            [(OFFICER.name, OFFICER.remote, "correct_task", task.id, f, NOW) for f in changed]
        for entry, field in zip(entries, changed):
            old, new = before[field], after[field]
            assert entry.old_value == (None if old is None else {"value": old})
            assert entry.new_value == (None if new is None else {"value": new})
        assert task.status == "pending_review"   # a correction does not release the task


def test_correcting_a_task_text_assignees_and_report_to(pending):
    store, ids = pending
    with store.session() as session:
        task = _tasks(session, ids["046"])[5]
        update_task(session, task.id, {"text": "  Báo cáo theo đề cương\n mà Đoàn kiểm tra yêu cầu ",
                                       "assignees": "Phòng Giáo dục Phổ thông;  ; Văn phòng Sở ",
                                       "report_to": "Đoàn kiểm tra của Bộ GDĐT"}, OFFICER)
        record_task = session.get(Dispatch, ids["046"]).record["tasks"][5]
        assert record_task["text"] == "Báo cáo theo đề cương mà Đoàn kiểm tra yêu cầu"
        assert record_task["assignees"] == ["Phòng Giáo dục Phổ thông", "Văn phòng Sở"]
        assert record_task["report_to"] == "Đoàn kiểm tra của Bộ GDĐT"
        assert task.text_search == repo.search_key("Báo cáo theo đề cương mà Đoàn kiểm tra yêu cầu")
        assert [e.field for e in audit_trail(session, ids["046"])] == ["text", "assignees", "report_to"]


@pytest.mark.parametrize("changes, message", [
    case("day-month-year", {"due_date": "15/12/2019"}, "is not a date"),
    case("month 13", {"due_date": "2019-13-01"}, "is not a date"),
    case("30 February", {"due_date": "2019-02-30"}, "is not a date"),
    case("a word", {"due_date": "cuối năm"}, "is not a date"),
    case("biweekly", {"recurrence": "biweekly"}, "is not one of"),
    case("Vietnamese recurrence word", {"recurrence": "hằng tháng"}, "is not one of"),
    case("empty text", {"text": "   "}, "needs a text"),
    case("not a task field", {"status": "open"}, "not task fields: status"),
])
def test_a_bad_task_correction_is_refused_and_changes_nothing(pending, changes, message):
    store, ids = pending
    with store.session() as session:
        task = _tasks(session, ids["s02"])[6]
        before = (task.text, task.due_date, task.recurrence)
        with pytest.raises(ReviewError, match=message):
            update_task(session, task.id, changes, OFFICER)
    with store.session() as session:
        task = session.get(Task, task.id)
        assert (task.text, task.due_date, task.recurrence) == before
        assert audit_trail(session, ids["s02"]) == []


# ------------------------------------------------------------------ correcting the header

@pytest.mark.parametrize("name, field, value, stored, record_path", [
    case("s01: the number the body-only text lacks", "s01", "number", "512/PGDĐT-THCS", "512/PGDĐT-THCS",
         ("number",)),
    case("s02: a blank day filled in", "s02", "issued_date", "2019-06-20", "2019-06-20", ("issued_date",)),
    case("s02: its issuer", "s02", "issuer", " Sở Giáo dục và  Đào tạo ", "Sở Giáo dục và Đào tạo", ("issuer",)),
    case("s01: a signer where none was printed", "s01", "signer.title", "Trưởng phòng", "Trưởng phòng",
         ("signer", "title")),
    case("044: the place cleared", "044", "place", "", None, ("place",)),
    case("046: the subject", "046", "subject", "đón tiếp Đoàn kiểm tra STEM của Bộ GDĐT",
         "đón tiếp Đoàn kiểm tra STEM của Bộ GDĐT", ("subject",)),
])
def test_correcting_a_header_field(pending, name, field, value, stored, record_path):
    store, ids = pending
    with store.session() as session:
        row = session.get(Dispatch, ids[name])
        old = row.record
        for key in record_path:
            old = (old or {}).get(key)
        update_header(session, ids[name], field, value, OFFICER, now=NOW)
    with store.session() as session:
        row = session.get(Dispatch, ids[name])
        current = row.record
        for key in record_path:
            current = current[key]
        assert current == stored
        assert row.machine_record != row.record   # the machine's own record is kept apart
        [entry] = audit_trail(session, ids[name])
        assert (entry.action, entry.field, entry.actor, entry.at) == ("correct", field, OFFICER.name, NOW)
        assert entry.old_value == (None if old is None else {"value": old})
        assert entry.new_value == (None if stored is None else {"value": stored})
        assert row.review_status == "pending"


def test_a_corrected_number_finds_the_dispatch(pending):
    store, ids = pending
    with store.session() as session:
        update_header(session, ids["s02"], "number", "1234/SGDĐT-CTTT", OFFICER)
    with store.session() as session:
        assert [r.id for r in repo.find_dispatches(session, "1234/SGDĐT-CTTT")] == [ids["s02"]]
        assert repo.find_dispatches(session, "/SGDDĐT-CTTT") == []
        row = session.get(Dispatch, ids["s02"])
        assert row.doc_key is not None and row.doc_key == doc_key("1234/SGDĐT-CTTT", row.issuer, row.issued_date)


@pytest.mark.parametrize("field, value, message", [
    case("unknown field", "signer.email", "x@y.vn", "not a header field"),
    case("records cannot be corrected here", "recipients", "Các trường", "not a header field"),
    case("a bad issue date", "issued_date", "20/6/2019", "is not a date"),
])
def test_a_bad_header_correction_is_refused(pending, field, value, message):
    store, ids = pending
    with store.session() as session:
        with pytest.raises(ReviewError, match=message):
            update_header(session, ids["s02"], field, value, OFFICER)


def test_an_unchanged_value_writes_no_audit_entry(pending):
    store, ids = pending
    with store.session() as session:
        row = session.get(Dispatch, ids["048"])
        update_header(session, row.id, "number", row.number, OFFICER)
        update_task(session, row.tasks[0].id, {"text": row.tasks[0].text}, OFFICER)
        assert audit_trail(session, row.id) == []


# ------------------------------------------------------------------ reject, restore, approve

def test_a_rejected_task_leaves_the_record_and_stays_rejected_after_approval(pending):
    store, ids = pending
    with store.session() as session:
        tasks = _tasks(session, ids["s02"])
        gone = tasks[5]
        reject_task(session, gone.id, OFFICER, now=NOW)
        assert gone.text not in _record_texts(session, ids["s02"])
        assert len(_record_texts(session, ids["s02"])) == len(tasks) - 1
        approve(session, ids["s02"], OFFICER, now=NOW)
    with store.session() as session:
        statuses = [t.status for t in _tasks(session, ids["s02"])]
        assert statuses == ["open"] * 5 + ["rejected", "open"]
        assert gone.text not in _record_texts(session, ids["s02"])
        row = session.get(Dispatch, ids["s02"])
        assert (row.review_status, row.reviewed_by, row.reviewed_at) == ("approved", OFFICER.name, NOW)
        assert [(e.action, e.old_value, e.new_value) for e in audit_trail(session, row.id)] == [
            ("reject_task", {"value": "pending_review"}, {"value": "rejected"}),
            ("approve", {"value": "pending"}, {"value": "approved"})]
        history = session.scalars(select(TaskStatusChange).where(TaskStatusChange.task_id.in_(
            [t.id for t in row.tasks])).order_by(TaskStatusChange.id)).all()
        assert [(h.old_status, h.new_status, h.actor) for h in history] == \
            [("pending_review", "rejected", OFFICER.name)] + [("pending_review", "open", OFFICER.name)] * 6


@pytest.mark.parametrize("approved_first, restored_status", [
    case("in a pending dispatch it waits again", False, "pending_review"),
    case("in an approved dispatch it is open", True, "open"),
])
def test_restoring_a_rejected_task(pending, approved_first, restored_status):
    store, ids = pending
    with store.session() as session:
        task = _tasks(session, ids["048"])[2]
        reject_task(session, task.id, OFFICER)
        if approved_first:
            approve(session, ids["048"], OFFICER)
        restore_task(session, task.id, OFFICER)
        assert task.status == restored_status
        assert _record_texts(session, ids["048"])[2] == task.text
        with pytest.raises(ReviewError, match="is not rejected"):
            restore_task(session, task.id, OFFICER)


def test_rejecting_a_dispatch_rejects_every_unfinished_task(pending):
    store, ids = pending
    with store.session() as session:
        approve(session, ids["044"], OFFICER)
        tasks = _tasks(session, ids["044"])
        repo.set_task_status(session, tasks[0].id, TaskStatus.done, actor="THPT-CL2")
        repo.set_task_status(session, tasks[1].id, TaskStatus.in_progress, actor="THPT-CL2")
        repo.set_task_status(session, tasks[2].id, TaskStatus.cancelled, actor="THPT-CL2")
        reject(session, ids["044"], OFFICER, note="gửi nhầm")
    with store.session() as session:
        row = session.get(Dispatch, ids["044"])
        assert [t.status for t in row.tasks] == ["done", "rejected", "cancelled"] + ["rejected"] * 9
        assert (row.review_status, row.reviewed_by) == ("rejected", OFFICER.name)
        assert [t["text"] for t in row.record["tasks"]] == [row.tasks[0].text, row.tasks[2].text]
        notes = {h.note for h in repo.task_history(session, row.tasks[1].id) if h.new_status == "rejected"}
        assert notes == {"gửi nhầm"}


def test_the_queue_lists_the_least_certain_first_and_counts_each_status(pending):
    store, ids = pending
    with store.session() as session:
        queue = review_queue(session)
        assert [q.confidence for q in queue] == sorted(q.confidence for q in queue)
        assert {q.id for q in queue} == set(ids.values())
        assert queue[0].id == ids["s02"] and queue[0].tasks == 7
        reject_task(session, _tasks(session, ids["s02"])[0].id, OFFICER)
        approve(session, ids["s02"], OFFICER)
        reject(session, ids["044"], OFFICER)
        assert review_counts(session) == {"pending": 3, "approved": 1, "rejected": 1}
        [approved] = review_queue(session, "approved")
        assert (approved.id, approved.tasks, approved.reviewed_by) == (ids["s02"], 6, OFFICER.name)


# ------------------------------------------------------------------ split, merge, add

@pytest.mark.parametrize("name, position, cut", [
    case("s01 item 3: training after the security force", "s01", 2, "Thường xuyên phối hợp với lực lượng Công an"),
    case("046: a heading glued to the request", "046", 10, "Đề nghị Uỷ ban nhân dân cấp xã chỉ đạo"),
    case("048: a wrapped sentence, cut before its last clause", "048", 0, "chủ động điều chỉnh lịch học tập"),
])
def test_splitting_a_task_gives_two_tasks_covering_its_span(pending, name, position, cut):
    store, ids = pending
    with store.session() as session:
        row = session.get(Dispatch, ids[name])
        count, task = len(row.tasks), row.tasks[position]
        start, end, status, original = task.span_start, task.span_end, task.status, task.text
        at = _at(row.text, cut, start)
        first, second = split_task(session, task.id, at, OFFICER, now=NOW)
        assert first.id == task.id and second.id not in (None, task.id)
        assert ((first.span_start, first.span_end), (second.span_start, second.span_end)) == ((start, at), (at, end))
        assert first.text == _collapse(row.text[start:at]) and second.text == _collapse(row.text[at:end])
        assert second.text.startswith(cut) and _collapse(first.text + " " + second.text) == \
            _collapse(row.text[start:end])
        assert (first.status, second.status, second.origin) == (status, status, "reviewer")
        assert [t.position for t in row.tasks] == list(range(count + 1))
        assert [t.id for t in row.tasks][position:position + 2] == [first.id, second.id]
        assert _record_texts(session, row.id)[position:position + 2] == [first.text, second.text]
        [entry] = audit_trail(session, row.id)
        assert (entry.action, entry.task_id, entry.new_value) == \
            ("split_task", first.id, {"value": {"first": first.id, "second": second.id, "at": at}})
        assert entry.old_value == {"value": {"text": original, "span": [start, end]}}


def test_a_split_outside_the_task_is_refused(pending):
    store, ids = pending
    with store.session() as session:
        task = _tasks(session, ids["s01"])[1]
        for at in (task.span_start, task.span_end, task.span_end + 5):
            with pytest.raises(ReviewError, match="is not inside task"):
                split_task(session, task.id, at, OFFICER)


@pytest.mark.parametrize("name, first, second", [
    case("046: report, then plan the budget", "046", 5, 6),
    case("044: two aims, given last first", "044", 1, 0),
    case("s02: the check-up and the praise that follows it", "s02", 4, 5),
])
def test_merging_two_tasks_gives_one_spanning_both(pending, name, first, second):
    store, ids = pending
    with store.session() as session:
        row = session.get(Dispatch, ids[name])
        count = len(row.tasks)
        a, b = row.tasks[first], row.tasks[second]
        early, late = sorted((a, b), key=lambda t: t.span_start)
        start, end, late_id = early.span_start, late.span_end, late.id
        texts = [early.text, late.text]
        kept = merge_tasks(session, a.id, b.id, OFFICER)
        assert kept.id == early.id and session.get(Task, late_id) is None
        assert (kept.span_start, kept.span_end) == (start, end)
        assert kept.text == _collapse(row.text[start:end])
        assert all(_collapse(t) in kept.text for t in texts)
        assert len(row.tasks) == count - 1 and [t.position for t in row.tasks] == list(range(count - 1))
        assert kept.text in _record_texts(session, row.id) and len(row.record["tasks"]) == count - 1
        [entry] = audit_trail(session, row.id)
        assert entry.action == "merge_tasks" and entry.old_value["value"]["texts"] == texts
        assert len(kept.assignments) == len(early.assignments)


def test_merging_tasks_of_two_dispatches_or_a_task_with_itself_is_refused(pending):
    store, ids = pending
    with store.session() as session:
        a, b = _tasks(session, ids["s01"])[0], _tasks(session, ids["s02"])[0]
        for other in (b, a):
            with pytest.raises(ReviewError, match="two different tasks of the same dispatch"):
                merge_tasks(session, a.id, other.id, OFFICER)


@pytest.mark.parametrize("name, begin, finish, position, due_date, recurrence", [
    case("s02: the praise and the yearly report, selected together", "s02", "Kịp thời biểu dương",
         "qua Phòng Chính trị, tư tưởng.", 6, None, "yearly"),  # after the praise task, same start
    case("048: the contact line the rules skip", "048", "Chi tiết liên hệ phòng Chính trị",
         "điện thoại: 02439411232.", 4, None, None),
    case("046: the inspection's date and place", "046", "Thời gian: Buổi sáng", "phường Hồng Ngự.", 4, None, None),
])
def test_adding_a_task_from_a_selected_span(pending, name, begin, finish, position, due_date, recurrence):
    store, ids = pending
    with store.session() as session:
        row = session.get(Dispatch, ids[name])
        count = len(row.tasks)
        start = _at(row.text, begin)
        end = _at(row.text, finish, start) + len(finish)
        task = add_task(session, row.id, start, end, OFFICER, now=NOW)
        assert task.text == _collapse(row.text[start:end])
        assert (task.due_date, task.recurrence, task.origin, task.status) == \
            (due_date, recurrence, "reviewer", "pending_review")
        assert row.tasks[position].id == task.id and len(row.tasks) == count + 1
        added = row.record["tasks"][position]
        assert (added["text"], added["span"], added["evidence"]) == (task.text, [start, end], "reviewer")
        assert (added["deadline"]["date"], added["deadline"]["recurrence"]) == (due_date, recurrence)
        [entry] = audit_trail(session, row.id)
        assert (entry.action, entry.task_id, entry.new_value) == \
            ("add_task", task.id, {"value": {"text": task.text, "span": [start, end]}})


def test_a_task_added_to_an_approved_dispatch_is_open(pending):
    store, ids = pending
    with store.session() as session:
        approve(session, ids["048"], OFFICER)
        row = session.get(Dispatch, ids["048"])
        start = _at(row.text, "Chi tiết liên hệ")
        assert add_task(session, row.id, start, start + 40, OFFICER).status == "open"


@pytest.mark.parametrize("span, message", [
    case("backwards", (50, 10), "is not a span"),
    case("past the end", (10, 10**6), "is not a span"),
    case("negative", (-5, 10), "is not a span"),
    case("blank", None, "blank"),
])
def test_a_bad_span_is_refused(pending, span, message):
    store, ids = pending
    with store.session() as session:
        row = session.get(Dispatch, ids["s01"])
        if span is None:
            at = row.text.index("\n\n")
            span = (at, at + 2)
        with pytest.raises(ReviewError, match=message):
            add_task(session, row.id, *span, OFFICER)


def test_adding_a_task_reads_a_printed_deadline_from_the_selection(corpus_dir, tmp_path):
    """A sentence with 'trước ngày …' (no sample has one: corpus 009, Bộ Xây dựng 2214/BXD-QLN)."""
    from pipeline.extract import extract_text

    text = (corpus_dir / "text" / "009_cv-2214-bxd-qln-2013-ho-tro-nha-o.txt").read_text(encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'corpus.sqlite3'}")
    with store.session() as session:
        row = repo.store_dispatch(session, extract_text(text), text=text, version="test", auto_approve=NEVER)
        start = _at(text, "các tỉnh, thành phố trực thuộc Trung ương lập và phê duyệt")
        end = _at(text, "trước ngày 31/8/2013", start) + len("trước ngày 31/8/2013")
        task = add_task(session, row.id, start, end, OFFICER)
        assert (task.due_date, task.due_by, task.deadline_text) == ("2013-08-31", "2013-08-31",
                                                                    "trước ngày 31/8/2013")
    store.close()
