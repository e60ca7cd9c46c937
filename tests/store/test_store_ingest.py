"""Ingesting files: typed outcomes, idempotency, duplicates, failures recorded, re-processing that
keeps the status of unchanged tasks. The extractor is replaced by hand-made records, so these tests
are about the store, not about extraction."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

import schemas
from pipeline.ingest import Outcome, ingest_path, reprocess
from pipeline.store import repository as repo
from pipeline.store.models import Dispatch, Reference, SourceFile, Task, TaskAssignment, TaskStatusChange
from storekit import case, dispatch, dispatch_text

V1, V2 = "test-v1", "test-v2"

RECORDS = {
    "cv512": dispatch("512/PGDĐT-THCS", tasks=[("1. Rà soát phương án đảm bảo an ninh.", ["các trường"], "2018-10-20")]),
    # the same dispatch as a second file (a scan of the signed copy, say): other bytes, same key
    "cv512-copy": dispatch("512/PGDĐT-THCS", subject="báo cáo công tác đảm bảo an ninh trật tự (bản ký)",
                           tasks=[("1. Rà soát phương án đảm bảo an ninh.", ["các trường"], "2018-10-20")]),
    "cv512-next-year": dispatch("512/PGDĐT-THCS", issued="2019-10-05", tasks=[("Báo cáo tổng kết.", [])]),
    "blank-a": dispatch("/SGDĐT-CTTT", issued="2019-06", subject="mô hình tự quản", tasks=[("Báo cáo.", [])]),
    "blank-b": dispatch("/SGDĐT-CTTT", issued="2019-06", subject="phòng chống đuối nước", tasks=[("Tuyên truyền.", [])]),
    "no-number-a": dispatch(None, issued=None, subject="ANTQ"),
    "no-number-b": dispatch(None, issued=None, subject="ATGT"),
}
BY_TEXT = {dispatch_text(r): r for r in RECORDS.values()}


def fake_extract(document: schemas.Document) -> schemas.Dispatch:
    return BY_TEXT[document.text]


def write(folder: Path, name: str) -> Path:
    path = folder / f"{name}.txt"
    if name in RECORDS:
        path.write_text(dispatch_text(RECORDS[name]), encoding="utf-8")
    elif name == "empty":
        path.write_bytes(b"")
    elif name == "binary":
        path.write_bytes(b"\x00\x01\x02 not a dispatch")
    return path


def ingest(store, path: Path, version: str = V1, extract=fake_extract):
    return ingest_path(path, store, version=version, extract=extract)


def count(store, model) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


SEQUENCES = [
    case("same-bytes-twice-is-a-no-op", ["cv512", "cv512"], ["stored", "duplicate-bytes"], (1, 1)),
    case("same-number-issuer-year-is-a-flagged-duplicate", ["cv512", "cv512-copy"], ["stored", "duplicate-document"], (2, 1)),
    case("same-number-another-year-is-another-dispatch", ["cv512", "cv512-next-year"], ["stored", "stored"], (2, 2)),
    case("blank-numbers-never-collide", ["blank-a", "blank-b"], ["stored", "stored"], (2, 2)),
    case("no-numbers-never-collide", ["no-number-a", "no-number-b"], ["stored", "stored"], (2, 2)),
    case("duplicate-copy-again-is-a-no-op", ["cv512", "cv512-copy", "cv512-copy"],
         ["stored", "duplicate-document", "duplicate-bytes"], (2, 1)),
    case("empty-file-recorded-as-failed-once", ["empty", "empty"], ["failed", "failed"], (1, 0)),
    case("binary-file-recorded-as-failed", ["binary"], ["failed"], (1, 0)),
    case("missing-file-fails-with-no-row", ["missing"], ["failed"], (0, 0)),
]


@pytest.mark.parametrize("files, outcomes, counts", SEQUENCES)
def test_ingest_sequences(store, tmp_path, files, outcomes, counts):
    got = [ingest(store, write(tmp_path, name)).outcome.value for name in files]
    assert got == outcomes
    assert (count(store, SourceFile), count(store, Dispatch)) == counts


def test_a_duplicate_document_points_at_the_original(store, tmp_path):
    first = ingest(store, write(tmp_path, "cv512"))
    second = ingest(store, write(tmp_path, "cv512-copy"))
    assert second.dispatch_id == first.dispatch_id and "same number" in second.reason
    with store.session() as session:
        row = session.get(SourceFile, second.source_id)
        assert (row.status, row.dispatch_id, row.original_name) == ("duplicate", first.dispatch_id, "cv512-copy.txt")


def test_a_failure_is_recorded_with_its_reason_and_retried(store, tmp_path):
    path = write(tmp_path, "cv512")

    def broken(_document):
        raise RuntimeError("boom")

    failed = ingest(store, path, extract=broken)
    assert failed.outcome is Outcome.failed and failed.reason == "extraction failed (RuntimeError: boom)"
    with store.session() as session:
        assert (session.get(SourceFile, failed.source_id).status, session.get(SourceFile, failed.source_id).error) \
            == ("failed", failed.reason)
    stored = ingest(store, path)
    assert stored.outcome is Outcome.stored and stored.source_id == failed.source_id
    with store.session() as session:
        row = session.get(SourceFile, stored.source_id)
        assert (row.status, row.error, row.dispatch_id) == ("stored", None, stored.dispatch_id)


def test_unreadable_file_reason_comes_from_the_reader(store, tmp_path):
    result = ingest(store, write(tmp_path, "binary"))
    with store.session() as session:
        assert "binary data" in session.get(SourceFile, result.source_id).error


def test_files_are_not_moved_or_deleted(store, tmp_path):
    paths = [write(tmp_path, n) for n in ("cv512", "cv512-copy", "binary")]
    for path in paths:
        ingest(store, path)
    assert all(p.exists() for p in paths)


# ------------------------------------------------------------------ re-processing

OLD_TASKS = [("1. Rà soát phương án đảm bảo an ninh.", ["các trường"], "2018-10-20"),
             ("2. Tuyên truyền phòng chống ma túy.", ["các trường"], "2018-11-30"),
             ("3. Báo cáo kết quả.", ["các trường"])]
NEW_TASKS = [("1. Rà soát phương án đảm bảo an ninh.", ["các trường"], "2018-10-25"),   # same text: kept
             ("2. Tuyên truyền phòng chống ma túy, mại dâm.", ["các trường"], "2018-11-30"),  # changed: new
             ("4. Tổng kết năm học.", ["các trường"])]                               # new; task 3 gone


def test_a_new_extractor_version_replaces_the_extraction_and_keeps_unchanged_task_status(registry_store, tmp_path):
    store = registry_store
    path = tmp_path / "cv.txt"
    path.write_text("a dispatch\n", encoding="utf-8")
    old = dispatch(tasks=OLD_TASKS, refs=[("Chỉ thị", "46-CT/TW", "2015-06-22")])
    new = dispatch(tasks=NEW_TASKS, refs=[("Chỉ thị", "09-CT/TW", "2011-12-01")])
    first = ingest(store, path, V1, extract=lambda _d: old)
    with store.session() as session:
        kept, changed = session.scalars(select(Task).order_by(Task.position)).all()[:2]
        repo.set_task_status(session, kept.id, "done", actor="Lan")
        repo.set_task_status(session, changed.id, "in_progress")
        repo.set_task_status(session, kept.id, "in_progress", unit="DK-THCS-NGUYENTRAI")
        repo.assign_task(session, kept.id, "Nguyễn Thị Lan")
        kept_id, units_before = kept.id, len(kept.assignments)

    assert ingest(store, path, V1, extract=lambda _d: new).outcome is Outcome.duplicate_bytes
    second = ingest(store, path, V2, extract=lambda _d: new)
    assert (second.outcome, second.dispatch_id, second.tasks) == (Outcome.reprocessed, first.dispatch_id, 3)
    with store.session() as session:
        tasks = session.scalars(select(Task).order_by(Task.position)).all()
        assert [t.text for t in tasks] == [t[0] for t in NEW_TASKS]
        assert [t.status for t in tasks] == ["done", "open", "open"]
        assert (tasks[0].id, tasks[0].due_date, tasks[0].assigned_to) == (kept_id, "2018-10-25", "Nguyễn Thị Lan")
        unit_status = {a.unit_id: a.status for a in tasks[0].assignments}
        nguyen_trai = repo.find_units(session, "DK-THCS-NGUYENTRAI")[0].id
        assert len(unit_status) == units_before and unit_status[nguyen_trai] == "in_progress"
        assert len(repo.task_history(session, kept_id)) == 2
        assert session.scalar(select(func.count()).select_from(TaskStatusChange)) == 2  # the changed task's went
        assert [r.number for r in session.scalars(select(Reference))] == ["09-CT/TW"]
        assert session.get(Dispatch, first.dispatch_id).extractor_version == V2


def test_a_failing_new_extractor_leaves_the_stored_extraction_alone(store, tmp_path):
    path = write(tmp_path, "cv512")
    first = ingest(store, path, V1)

    def broken(_document):
        raise ValueError("new rule crashed")

    result = ingest(store, path, V2, extract=broken)
    assert result.outcome is Outcome.failed
    with store.session() as session:
        assert session.get(Dispatch, first.dispatch_id).extractor_version == V1
        source = session.get(SourceFile, first.source_id)
        assert (source.status, source.dispatch_id) == ("stored", first.dispatch_id)
        assert "new rule crashed" in source.error


def test_reprocess_from_the_stored_text(store, tmp_path):
    first = ingest(store, write(tmp_path, "cv512"), V1)
    ingest(store, write(tmp_path, "blank-a"), V2)
    new = dispatch("512/PGDĐT-THCS", tasks=[("1. Rà soát phương án đảm bảo an ninh.", ["các trường"]),
                                            ("2. Báo cáo.", [])])
    results = reprocess(store, version=V2, extract_text=lambda text, source: new)
    assert [(r.outcome, r.dispatch_id, r.tasks) for r in results] == [(Outcome.reprocessed, first.dispatch_id, 2)]
    assert reprocess(store, version=V2, extract_text=lambda text, source: new) == []


# ------------------------------------------------------------------ references to stored dispatches

CITED = dispatch("2094/SGDĐT-HSSV", issued="2018-09-04", issuer="Sở Giáo dục và Đào tạo",
                 parent="UBND tỉnh Khánh Hòa", place="Khánh Hòa", refs=[("Chỉ thị", "46-CT/TW", "2015-06-22")])
CITING = dispatch("512/PGDĐT-THCS", refs=[("Công văn", "2094/SGDĐT-HSSV", "2018-09-04"),
                                          ("Chỉ thị", "46-CT/TW", "2015-06-22")])


@pytest.mark.parametrize("order", [case("cited-first", [CITED, CITING]), case("citing-first", [CITING, CITED])])
def test_references_resolve_to_stored_dispatches_in_either_order(store, order):
    with store.session() as session:
        rows = {r.number: repo.store_dispatch(session, r, text=dispatch_text(r), version=V1) for r in order}
    with store.session() as session:
        links = {(r.dispatch_id, r.number): r.target_dispatch_id for r in session.scalars(select(Reference))}
    cited, citing = rows["2094/SGDĐT-HSSV"].id, rows["512/PGDĐT-THCS"].id
    assert links == {(citing, "2094/SGDĐT-HSSV"): cited, (citing, "46-CT/TW"): None, (cited, "46-CT/TW"): None}


def test_task_assignments_follow_the_registry(store, tmp_path):
    """Ingested before the registry is loaded: no units; loading it resolves what is stored."""
    from storekit import REGISTRY_CSV

    ingest(store, write(tmp_path, "cv512"))
    assert count(store, TaskAssignment) == 0
    with store.session() as session:
        repo.upsert_units(session, repo.read_registry_csv(REGISTRY_CSV))
        repo.resolve_all(session)
    assert count(store, TaskAssignment) == 14  # Tiểu học and THCS schools of huyện Diên Khánh
