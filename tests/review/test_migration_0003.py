"""Migration 0003 (the review gate) on a store that was in use at 0002: nothing lost, the old
dispatches approved by "migration", the new CHECKs; down to 0002 and up again. SQLite and PostgreSQL."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from pipeline.store import db
from pipeline.store.db import Store, StoreSettings, alembic_config, make_engine

T = "2019-07-01T08:00:00+07:00"
RECORD = {"number": "512/PGDĐT-THCS", "tasks": [{"text": "Báo cáo công tác đảm bảo an ninh trật tự"}]}


def _t(name, *columns):
    return sa.table(name, *(sa.column(c, sa.JSON if c == "record" else None) for c in columns))


UNITS = [dict(id=i, code=c, name=n, name_search=n.lower(), kind="school", updated_at=T)
         for i, c, n in [(1, "DK-TH-DIENAN", "Trường Tiểu học Diên An"), (2, "DK-MN-HOASEN", "Trường Mầm non Hoa Sen")]]
DISPATCHES = [dict(id=i, text="…", text_search="…", record=RECORD | {"id": i}, extractor_version="v1",
                   extracted_at=T, created_at=T) for i in (1, 2)]
TASKS = [dict(id=i, dispatch_id=1 + i // 3, position=i % 3, text=f"Nhiệm vụ {i}", text_search=f"nhiem vu {i}",
              span_start=10 * i, span_end=10 * i + 8, status=s, created_at=T, updated_at=T)
         for i, s in enumerate(["open", "in_progress", "done", "cancelled", "open"], start=1)]
ASSIGNMENTS = [dict(id=10 * t + u, task_id=t, unit_id=u, status=s, updated_at=T)
               for t, u, s in [(1, 1, "open"), (1, 2, "in_progress"), (2, 1, "done"), (3, 2, "done"),
                               (4, 1, "cancelled"), (5, 1, "open"), (5, 2, "done")]]
HISTORY = [dict(id=i, task_id=t, assignment_id=a, old_status=o, new_status=n, changed_at=T)
           for i, (t, a, o, n) in enumerate([(1, 12, "open", "in_progress"), (2, None, "open", "in_progress"),
                                             (3, None, "open", "done"), (4, None, "open", "cancelled"),
                                             (5, 52, "open", "done")], start=1)]
TABLES = {"units": UNITS, "dispatches": DISPATCHES, "tasks": TASKS, "task_assignments": ASSIGNMENTS,
          "task_status_history": HISTORY}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'at-0002.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    name = f"congvan_mig_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _at_0002_with_data(url: str) -> None:
    engine = make_engine(StoreSettings(url))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0002")
        for name, rows in TABLES.items():
            conn.execute(sa.insert(_t(name, *rows[0])), rows)
    if not db.is_sqlite(engine):
        with engine.begin() as conn:  # explicit ids: move the sequences past them
            for name in TABLES:
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 100)"))
    engine.dispose()


def _rows(conn, name: str, *columns: str) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sa.text(f"SELECT {', '.join(columns)} FROM {name} ORDER BY 1"))]


def _downgrade(store: Store, revision: str) -> None:
    """As db.upgrade does it: on SQLite with foreign keys off, so re-created tables do not cascade."""
    sqlite = db.is_sqlite(store.engine)
    with store.engine.connect() as conn:
        if sqlite:
            db._foreign_keys(conn, False)
        with conn.begin():
            command.downgrade(alembic_config(conn), revision)
        if sqlite:
            db._foreign_keys(conn, True)


def test_upgrading_a_store_in_use_keeps_every_row_and_approves_old_dispatches(url):
    _at_0002_with_data(url)
    store = Store.open(url)
    with store.engine.connect() as conn:
        assert db.current_revision(conn) == db.head_revision() == "0003"
        assert _rows(conn, "tasks", "id", "dispatch_id", "status") == [(t["id"], t["dispatch_id"], t["status"])
                                                                      for t in TASKS]
        assert _rows(conn, "task_assignments", "id", "task_id", "unit_id", "status") == \
            [(a["id"], a["task_id"], a["unit_id"], a["status"]) for a in sorted(ASSIGNMENTS, key=lambda a: a["id"])]
        assert _rows(conn, "task_status_history", "id", "task_id", "assignment_id", "old_status", "new_status") == \
            [(h["id"], h["task_id"], h["assignment_id"], h["old_status"], h["new_status"]) for h in HISTORY]
        assert _rows(conn, "dispatches", "id", "review_status", "reviewed_by") == [(1, "approved", "migration"),
                                                                                  (2, "approved", "migration")]
        assert _rows(conn, "tasks", "DISTINCT origin") == [("extracted",)]
        view = _rows(conn, "task_view", "task_id", "unit_code", "status")
        assert (1, "DK-MN-HOASEN", "in_progress") in view and (4, "DK-TH-DIENAN", "cancelled") in view
    with store.session() as session:
        from pipeline.store.models import Dispatch

        assert [d.machine_record for d in session.query(Dispatch).order_by(Dispatch.id)] == \
            [d["record"] for d in DISPATCHES]
    store.close()


@pytest.mark.parametrize("statement, accepted", [
    ("UPDATE tasks SET status = 'pending_review' WHERE id = 5", True),
    ("UPDATE tasks SET status = 'rejected' WHERE id = 5", True),
    ("UPDATE task_assignments SET status = 'pending_review' WHERE id = 51", True),
    ("UPDATE task_status_history SET new_status = 'pending_review' WHERE id = 1", True),
    ("UPDATE tasks SET status = 'bogus' WHERE id = 5", False),
    ("UPDATE task_assignments SET status = 'approved' WHERE id = 51", False),
    ("UPDATE dispatches SET review_status = 'maybe' WHERE id = 1", False),
], ids=lambda s: s if isinstance(s, str) else str(s))
def test_the_new_checks(url, statement, accepted):
    _at_0002_with_data(url)
    store = Store.open(url)
    try:
        with store.engine.begin() as conn:
            if accepted:
                assert conn.execute(sa.text(statement)).rowcount == 1
            else:
                with pytest.raises(IntegrityError):
                    conn.execute(sa.text(statement))
    finally:
        store.close()


def test_down_to_0002_and_up_again(url):
    _at_0002_with_data(url)
    store = Store.open(url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE tasks SET status = 'pending_review' WHERE id = 5"))
        conn.execute(sa.text("UPDATE tasks SET status = 'rejected' WHERE id = 1"))
        conn.execute(sa.text("UPDATE task_assignments SET status = 'rejected' WHERE id = 51"))
    _downgrade(store, "0002")
    with store.engine.connect() as conn:
        assert db.current_revision(conn) == "0002"
        assert _rows(conn, "tasks", "id", "status") == [(1, "cancelled"), (2, "in_progress"), (3, "done"),
                                                        (4, "cancelled"), (5, "open")]
        assert len(_rows(conn, "task_assignments", "id")) == len(ASSIGNMENTS)
        assert len(_rows(conn, "task_status_history", "id")) == len(HISTORY)
        tables = set(sa.inspect(conn).get_table_names())
        assert "task_assignments" in tables and not {"users", "audit_log"} & tables
        assert "review_status" not in {c["name"] for c in sa.inspect(conn).get_columns("dispatches")}
    store.close()
    store = Store.open(url)
    with store.engine.connect() as conn:
        assert db.current_revision(conn) == "0003"
        assert dict(_rows(conn, "task_assignments", "id", "status"))[51] == "cancelled"
        assert len(_rows(conn, "task_assignments", "id")) == len(ASSIGNMENTS)
        assert len(_rows(conn, "task_status_history", "id")) == len(HISTORY)
        assert _rows(conn, "dispatches", "DISTINCT reviewed_by") == [("migration",)]
    store.close()
