"""The watched folder's plain functions: names ignored, stability, archive paths, quarantine, retry,
and the crash-safe order (record first, then move)."""
from __future__ import annotations

import json
import os
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from flowkit import good_texts, sha, write_slowly
from pipeline.intake import (Action, Stability, archive_path, is_ignored, is_transient, list_inbox, move_file,
                             quarantine, retry_quarantined, settled_files, signature, take_file,
                             take_with_retries, wait_stable)
from pipeline.store.db import Store


@pytest.mark.parametrize("name, ignored", [
    ("~$bao-cao.docx", True), ("~$BAO CAO.DOCX", True), ("scan.tmp", True), ("scan.TMP", True),
    ("cv-512.pdf.part", True), ("cv.pdf.crdownload", True), (".DS_Store", True), ("Thumbs.db", True),
    ("thumbs.db", True), ("desktop.ini", True), (".~lock.cv.docx#", True), (".cv.pdf.Xa3b9", True),
    ("cv.docx~", True), ("cv.pdf.error.json", True),
    ("cv-512.pdf", False), ("Công văn 512.docx", False), ("tmp-notes.txt", False), ("partition.pdf", False),
    ("scan.tiff", False), ("bao-cao~final.docx", False),
], ids=lambda v: str(v))
def test_is_ignored(name, ignored):
    assert is_ignored(name) is ignored


def test_stability_needs_an_unchanged_size_and_mtime_for_the_delay():
    tracker, a, b = Stability(1.0), Path("a"), Path("b")
    from pipeline.intake import Signature

    assert tracker.observe({a: Signature(10, 1)}, now=0.0) == []           # first seen
    assert tracker.observe({a: Signature(10, 1)}, now=0.5) == []           # not yet the delay
    assert tracker.observe({a: Signature(20, 2), b: Signature(5, 1)}, now=0.9) == []  # a grew: clock restarts
    assert tracker.observe({a: Signature(20, 2), b: Signature(5, 1)}, now=1.8) == []
    assert tracker.observe({a: Signature(20, 2), b: Signature(5, 1)}, now=2.0) == [a, b]
    assert tracker.observe({b: Signature(5, 1)}, now=2.1) == [b] and tracker.waiting == 1  # a gone: forgotten


def test_a_file_grown_in_chunks_is_taken_only_when_complete(tmp_path):
    data = good_texts(1)[0][1]
    path = tmp_path / "cv.txt"
    writer = threading.Thread(target=write_slowly, args=(path, data, 5, 0.3))
    writer.start()
    time.sleep(0.1)
    sig = wait_stable(path, delay=0.6, poll=0.05)
    writer.join()
    assert sig.size == len(data) and path.read_bytes() == data


def test_settled_files_leaves_a_file_still_growing(tmp_path):
    (tmp_path / "done.txt").write_text("xong")
    (tmp_path / "Thumbs.db").write_text("x")
    growing = tmp_path / "growing.txt"
    growing.write_text("a")

    def sleep(seconds):
        growing.write_text("ab")  # written to while the run waits

    assert settled_files(tmp_path, 0.5, sleep=sleep) == [tmp_path / "done.txt"]
    assert set(list_inbox(tmp_path)) == {tmp_path / "done.txt", growing}


def test_archive_path():
    digest = "ab" * 32
    when = datetime(2019, 6, 5, 8, 0)
    assert archive_path(Path("/a"), digest, ".PDF", when) == Path(f"/a/2019/06/{digest}.pdf")
    assert archive_path(Path("/a"), digest, "", when) == Path(f"/a/2019/06/{digest}")


def test_move_file_onto_the_same_bytes_removes_the_source_only(tmp_path):
    src, dst = tmp_path / "in" / "x.txt", tmp_path / "out" / "x.txt"
    src.parent.mkdir()
    src.write_text("một")
    assert move_file(src, dst) == dst and dst.read_text() == "một" and not src.exists()
    src.write_text("một")
    move_file(src, dst)  # a retry after a crash between the rename and the unlink
    assert not src.exists() and dst.read_text() == "một"
    src.write_text("khác hẳn")
    with pytest.raises(FileExistsError):
        move_file(src, dst)
    assert src.exists()


def test_quarantine_writes_the_error_record_beside_the_file_and_retry_requeues(tmp_path):
    inbox, folder = tmp_path / "inbox", tmp_path / "quarantine"
    inbox.mkdir()
    for i in range(2):  # the same name twice: the second gets a distinct name
        (inbox / "cv.pdf").write_bytes(b"%PDF-broken" + bytes([i]))
        quarantine(inbox / "cv.pdf", "damaged or truncated PDF", folder=folder, sha256=sha(b"%PDF-broken" + bytes([i])),
                   step="read", when=datetime(2019, 6, 5))
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 4 and "cv.pdf" in files and "cv.pdf.error.json" in files
    info = json.loads((folder / "cv.pdf.error.json").read_text())
    assert info["file"] == "cv.pdf" and info["reason"] == "damaged or truncated PDF" and info["step"] == "read"
    assert info["sha256"] == sha(b"%PDF-broken\x00") and info["time"].startswith("2019-06-05")
    moved = retry_quarantined(folder, inbox)
    assert len(moved) == 2 and not list(folder.iterdir())
    assert sorted(p.read_bytes() for p in inbox.iterdir()) == [b"%PDF-broken\x00", b"%PDF-broken\x01"]
    assert (inbox / "cv.pdf").exists()


@pytest.fixture
def store(tmp_path):
    s = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield s
    s.close()


def _dirs(tmp_path):
    return {"archive": tmp_path / "archive", "quarantine_dir": tmp_path / "quarantine"}


def test_take_file_commits_the_record_then_archives(tmp_path, store):
    name, data = good_texts(1)[0]
    path = tmp_path / name
    path.write_bytes(data)
    result = take_file(path, store, **_dirs(tmp_path), now=lambda: datetime(2019, 6, 5))
    target = tmp_path / "archive" / "2019" / "06" / f"{sha(data)}.txt"
    assert result.action is Action.archived and result.outcome == "stored" and Path(result.destination) == target
    assert target.read_bytes() == data and not path.exists()
    from pipeline.store import repository as repo

    with store.session() as session:
        assert repo.find_source(session, sha(data)).archive_path == str(target)


def test_a_file_found_again_after_a_crash_between_commit_and_move_is_only_moved(tmp_path, store):
    """The crash-safe order: a record committed, then SIGKILL before the move; the file is taken again."""
    from pipeline.ingest import ingest_path

    name, data = good_texts(1)[0]
    path = tmp_path / name
    path.write_bytes(data)
    assert ingest_path(path, store).outcome.value == "stored"  # ... and the process died here
    result = take_file(path, store, **_dirs(tmp_path))
    assert result.action is Action.archived and result.outcome == "duplicate-bytes"
    with store.session() as session:
        from sqlalchemy import text

        assert session.execute(text("select count(*) from dispatches")).scalar() == 1
        assert session.execute(text("select count(*) from source_files")).scalar() == 1


def test_a_broken_file_is_recorded_then_quarantined(tmp_path, store):
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    result = take_file(path, store, **_dirs(tmp_path))
    assert result.action is Action.quarantined and result.step == "read" and "PDF" in result.reason
    info = json.loads((tmp_path / "quarantine" / "cut.pdf.error.json").read_text())
    assert info["sha256"] == sha(b"%PDF-1.7\n1 0 obj\n<<") and "PDF" in info["reason"]
    with store.session() as session:
        from sqlalchemy import text

        assert session.execute(text("select status from source_files")).scalar() == "failed"


def test_an_extractor_bug_quarantines_with_the_step(tmp_path, store):
    path = tmp_path / "cv.txt"
    path.write_bytes(good_texts(1)[0][1])

    def boom(document):
        raise ValueError("bug")

    from pipeline.ingest import ingest_path

    result = take_file(path, store, **_dirs(tmp_path), ingest=lambda p, s: ingest_path(p, s, extract=boom))
    assert result.action is Action.quarantined and result.step == "extract" and "bug" in result.reason


def test_transient_faults_leave_the_file_in_the_inbox(tmp_path, store):
    from sqlalchemy.exc import OperationalError

    path = tmp_path / "cv.txt"
    path.write_bytes(good_texts(1)[0][1])
    calls = []

    def locked(p, s):
        calls.append(p)
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    result = take_with_retries(path, store, attempts=3, delays=(0.01,), **_dirs(tmp_path), ingest=locked)
    assert result.action is Action.left and len(calls) == 3 and path.exists()
    assert not (tmp_path / "quarantine").exists()


@pytest.mark.parametrize("exc, transient", [
    ("operational", True), (TimeoutError(), True), (OSError(16, "busy"), True),
    (ValueError("bug"), False), (FileNotFoundError(2, "gone"), False), ("read_error", False),
])
def test_is_transient(exc, transient):
    from sqlalchemy.exc import OperationalError

    from pipeline.read import ReadError

    exc = {"operational": OperationalError("x", {}, Exception("database is locked")),
           "read_error": ReadError("x", "empty file")}.get(exc, exc) if isinstance(exc, str) else exc
    assert is_transient(exc) is transient


def test_signature_of_a_missing_file_is_none(tmp_path):
    assert signature(tmp_path / "none") is None
    os.makedirs(tmp_path / "d")
    assert list_inbox(tmp_path) == {}
