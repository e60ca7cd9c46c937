"""Opening the store: where it lives, SQLite's settings, migrations that match the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from pipeline.store.db import Store, StoreSettings, current_revision, head_revision, normalize_url
from pipeline.store.models import Base, task_view
from storekit import case

import pytest

TABLES = {"units", "source_files", "dispatches", "recipients", "recipient_units", "dispatch_references",
          "tasks", "task_assignments", "task_status_history", "alembic_version"}


@pytest.mark.parametrize("env, cwd_relative, expected", [
    case("default-is-data-folder", {}, True, "data/congvan.sqlite3"),
    case("congvan-home", {"CONGVAN_HOME": "{tmp}/home"}, False, "{tmp}/home/congvan.sqlite3"),
])
def test_default_sqlite_path(env, cwd_relative, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONGVAN_DB_URL", raising=False)
    monkeypatch.delenv("CONGVAN_HOME", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value.format(tmp=tmp_path))
    want = (tmp_path / expected) if cwd_relative else expected.format(tmp=tmp_path)
    assert StoreSettings.from_env().url == f"sqlite:///{want}"


@pytest.mark.parametrize("url, expected", [
    case("postgresql-means-psycopg3", "postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
    case("postgres-alias", "postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    case("explicit-driver-kept", "postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    case("sqlite-kept", "sqlite:////x/y.sqlite3", "sqlite:////x/y.sqlite3"),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


def test_first_open_creates_the_folder_and_sets_sqlite_pragmas(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGVAN_HOME", str(tmp_path / "new" / "home"))
    monkeypatch.delenv("CONGVAN_DB_URL", raising=False)
    store = Store.open()
    with store.engine.connect() as conn:
        pragmas = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in
                   ("journal_mode", "busy_timeout", "foreign_keys")}
    store.close()
    assert (tmp_path / "new" / "home" / "congvan.sqlite3").is_file()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 30000, "foreign_keys": 1}


def test_schema_is_at_head_and_matches_the_models(store):
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert TABLES <= set(inspect(conn).get_table_names())
        assert "task_view" in inspect(conn).get_view_names()
        view_columns = [c["name"] for c in inspect(conn).get_columns("task_view")]
    assert view_columns == [c.name for c in task_view.columns]


def test_opening_again_is_a_no_op(db_url):
    Store.open(db_url).close()
    store = Store.open(db_url)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    store.close()
