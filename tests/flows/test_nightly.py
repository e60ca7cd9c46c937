"""The nightly batch on the samples: task lists for exactly the units s01 and s02 address, files that
open in openpyxl, python-docx and icalendar, deadlines as calendar events, e-mail over loopback SMTP."""
from __future__ import annotations

import csv
import email
import socket
from dataclasses import replace
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest

from flowkit import REGISTRY_CSV, SAMPLES
from pipeline.nightly import next_occurrence, run_nightly, unit_task_lists
from pipeline.outbox import FILES, event_uid, write_unit_files
from pipeline.settings import Settings, SmtpSettings
from pipeline.store.db import Store

DAY = date(2019, 7, 1)


def _registry() -> list[dict]:
    with open(REGISTRY_CSV, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected_units() -> set[str]:
    """s01 (Phòng GD&ĐT Diên Khánh): every Mầm non, Tiểu học and THCS school of the district;
    s02 (Sở GD&ĐT Khánh Hòa): the Phòng GD&ĐT and the units trực thuộc Sở."""
    rows = _registry()
    s01 = {r["code"] for r in rows if r["kind"] == "school" and r["district"] == "Diên Khánh"
           and r["level"] in ("Mầm non", "Tiểu học", "THCS")}
    s02 = {r["code"] for r in rows if r["kind"] == "phong_gddt" or r["parent_code"] == "SGDDT-KH"}
    assert len(s01) == 21 and len(s02) == 26
    return s01 | s02


def _load(store: Store) -> None:
    from pipeline.ingest import ingest_path
    from pipeline.store import repository as repo

    with store.session() as session:
        repo.upsert_units(session, repo.read_registry_csv(REGISTRY_CSV))
    for path in sorted(SAMPLES.glob("*.txt")):
        assert ingest_path(path, store, auto_approve=0).outcome.value == "stored"  # no review gate


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('nightly') / 'store.sqlite3'}")
    _load(store)
    yield store
    store.close()


def _settings(tmp_path: Path, **kw) -> Settings:
    return replace(Settings.from_env({"CONGVAN_HOME": str(tmp_path)}), **kw)


def test_the_nightly_lists_go_to_exactly_the_units_s01_and_s02_address(sample_store, tmp_path):
    summary = run_nightly(sample_store, _settings(tmp_path), day=DAY, mail=False)
    root = tmp_path / "outbox" / "2019-07-01"
    assert summary.folder == root
    assert {p.name for p in root.iterdir() if p.is_dir()} == expected_units()
    assert {u.code for u in summary.units} == expected_units()
    assert (root / "summary.md").read_text().startswith("# Nightly task lists for 2019-07-01")


def test_every_file_opens_in_openpyxl_python_docx_and_icalendar(sample_store, tmp_path):
    import docx
    import icalendar
    import openpyxl

    run_nightly(sample_store, _settings(tmp_path), day=DAY, mail=False)
    root = tmp_path / "outbox" / "2019-07-01"
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
        sheet = openpyxl.load_workbook(folder / "tasks.xlsx")["Nhiệm vụ"]
        assert sheet["A1"].value == "STT" and sheet["C1"].value == "Nhiệm vụ"
        tasks = sheet.max_row - 1
        assert tasks >= 5
        document = docx.Document(folder / "tasks.docx")
        header = document.tables[0].rows[0].cells
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text and "Độc lập - Tự do - Hạnh phúc" in header[1].text
        assert "ngày 01 tháng 07 năm 2019" in header[1].text
        assert any(p.text == "DANH SÁCH NHIỆM VỤ" for p in document.paragraphs)
        assert len(document.tables[1].rows) == tasks + 1
        calendar = icalendar.Calendar.from_ical((folder / "tasks.ics").read_bytes())
        assert calendar["VERSION"] == "2.0"
        assert calendar.walk("VEVENT") == []  # the samples give no deadline but s02's yearly report
    name_block = docx.Document(root / "DK-MN-HOASEN" / "tasks.docx").tables[0].rows[0].cells[0].text
    assert "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN DIÊN KHÁNH" in name_block and "TRƯỜNG MẦM NON HOA SEN" in name_block


def test_a_rerun_of_the_same_date_drops_units_with_no_list_any_more(sample_store, tmp_path):
    settings = _settings(tmp_path)
    stale = tmp_path / "outbox" / "2019-07-01" / "OLD-UNIT"
    stale.mkdir(parents=True)
    (stale / "tasks.xlsx").write_bytes(b"old")
    summary = run_nightly(sample_store, settings, day=DAY, mail=False)
    assert not stale.exists() and summary.removed == ["OLD-UNIT"]


# ------------------------------------------------------------------ deadlines

def _dated_store(tmp_path: Path) -> Store:
    """The registry and one dispatch of dated tasks, each assigned to one school."""
    import schemas
    from pipeline.store import repository as repo
    from pipeline.store.models import Task, TaskAssignment, Unit

    store = Store.open(f"sqlite:///{tmp_path / 'dated.sqlite3'}")
    with store.session() as session:
        repo.upsert_units(session, repo.read_registry_csv(REGISTRY_CSV))
    specs = [("Báo cáo sơ kết học kỳ", (DAY + timedelta(days=10)).isoformat(), None),
             ("Nộp hồ sơ kiểm định", (DAY - timedelta(days=3)).isoformat(), None),
             ("Tổng kết năm học", (DAY + timedelta(days=60)).isoformat(), None),
             ("Báo cáo tháng về an ninh trường học", "2019-05-20", "monthly"),
             ("Việc đã xong", DAY.isoformat(), None)]
    record = schemas.Dispatch(doc_type="Công văn", number="77/PGDĐT-THCS", issued_date="2019-05-02",
                              issuer="Phòng Giáo dục và Đào tạo", tasks=[
                                  schemas.Task(text=t, span=(i * 50, i * 50 + len(t)),
                                               deadline=schemas.Deadline(date=d, recurrence=r))
                                  for i, (t, d, r) in enumerate(specs)])
    with store.session() as session:
        row = repo.store_dispatch(session, record, text="…", version="test")
        unit = session.query(Unit).filter_by(code="DK-TH-DIENAN").one()
        for task in row.tasks:
            session.add(TaskAssignment(task_id=task.id, unit_id=unit.id, status="open", via="test",
                                       updated_at="2019-05-02"))
        session.flush()
        done = session.query(Task).filter_by(text="Việc đã xong").one()
        done.status = "done"
    return store


def test_deadlines_become_one_all_day_event_each_with_a_stable_uid(tmp_path):
    import icalendar
    import openpyxl

    store = _dated_store(tmp_path)
    with store.session() as session:
        lists = unit_task_lists(session, DAY, 30)
    assert [u.code for u in lists] == ["DK-TH-DIENAN"]
    unit = lists[0]
    assert [t.text for t in unit.tasks] == ["Nộp hồ sơ kiểm định", "Báo cáo sơ kết học kỳ",
                                            "Báo cáo tháng về an ninh trường học"]
    assert [t.overdue for t in unit.tasks] == [True, False, False]
    assert unit.tasks[2].next_due == date(2019, 7, 20)
    write_unit_files(unit, DAY, tmp_path / "out")
    calendar = icalendar.Calendar.from_ical((tmp_path / "out" / "tasks.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {event_uid(t.task_id, "DK-TH-DIENAN") for t in unit.tasks}
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts == [date(2019, 5, 20), date(2019, 6, 28), date(2019, 7, 11)]
    monthly = next(e for e in events if e.get("RRULE"))
    assert monthly["RRULE"]["FREQ"] == ["MONTHLY"] and monthly.decoded("DTSTART") == date(2019, 5, 20)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "tasks.xlsx")["Nhiệm vụ"]
    assert sheet["H2"].value.date() == date(2019, 6, 28) and sheet["J2"].value == "Có"
    store.close()


@pytest.mark.parametrize("first, recurrence, today, expected", [
    ("2019-05-20", "monthly", "2019-07-01", "2019-07-20"),
    ("2019-01-31", "monthly", "2019-02-10", "2019-02-28"),
    ("2019-01-31", "monthly", "2019-03-01", "2019-03-31"),
    ("2019-03-15", "quarterly", "2019-07-01", "2019-09-15"),
    ("2018-12-20", "yearly", "2019-07-01", "2019-12-20"),
    ("2019-06-03", "weekly", "2019-07-01", "2019-07-01"),
    ("2019-06-04", "weekly", "2019-07-01", "2019-07-02"),
    ("2019-07-15", "monthly", "2019-07-01", "2019-07-15"),
    ("2019-06-15", None, "2019-07-01", "2019-06-15"),
], ids=lambda v: str(v))
def test_next_occurrence(first, recurrence, today, expected):
    assert next_occurrence(date.fromisoformat(first), recurrence, date.fromisoformat(today)) == \
        date.fromisoformat(expected)


# ------------------------------------------------------------------ e-mail

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A local SMTP server on loopback that keeps every message it receives."""
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    handler, port = Keep(), _free_port()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def test_each_unit_is_mailed_its_three_files_once(sample_store, tmp_path, smtp_server):
    handler, port = smtp_server
    settings = _settings(tmp_path, smtp=SmtpSettings(host="127.0.0.1", port=port, sender="congvan@pgd.test"))
    summary = run_nightly(sample_store, settings, day=DAY)
    emails = {r["code"]: r["email"] for r in _registry()}
    assert sorted(to[0] for to, _ in handler.messages) == sorted(emails[c] for c in expected_units())
    assert all(u.mail.startswith("sent to") for u in summary.units)
    to, content = handler.messages[0]
    message = email.message_from_bytes(content, policy=policy.default)
    assert message["From"] == "congvan@pgd.test" and "Danh sách nhiệm vụ ngày 01/07/2019" in message["Subject"]
    assert sorted(a.get_filename() for a in message.iter_attachments()) == sorted(FILES)
    assert "Kính gửi" in message.get_body(("plain",)).get_content()
    again = run_nightly(sample_store, settings, day=DAY)  # a retried run does not mail twice
    assert len(handler.messages) == len(expected_units())
    assert {u.mail for u in again.units} == {"already sent"}
    run_nightly(sample_store, settings, day=DAY, resend=True)
    assert len(handler.messages) == 2 * len(expected_units())


def test_without_smtp_nothing_is_sent_and_an_unreachable_server_fails_each_unit(sample_store, tmp_path):
    summary = run_nightly(sample_store, _settings(tmp_path), day=DAY)
    assert {u.mail for u in summary.units} == {"not configured"}
    settings = _settings(tmp_path, smtp=SmtpSettings(host="127.0.0.1", port=_free_port()))
    summary = run_nightly(sample_store, settings, day=DAY)
    assert all(u.mail.startswith("failed: ") for u in summary.units)
    assert (tmp_path / "outbox" / "2019-07-01" / "DK-MN-HOASEN" / "tasks.docx").exists()
