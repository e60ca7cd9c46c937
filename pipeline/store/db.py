"""Where the store lives and how it is opened: no set-up needed.

- `CONGVAN_DB_URL` names the database (any SQLAlchemy URL; `postgresql://…` is read with psycopg 3).
  Unset: SQLite at `$CONGVAN_HOME/congvan.sqlite3`, `CONGVAN_HOME` defaulting to `./data`.
- SQLite runs in WAL mode with a busy timeout (`CONGVAN_DB_BUSY_TIMEOUT` seconds, default 30) and
  foreign keys on; every transaction is `BEGIN IMMEDIATE`, so two processes writing at once queue
  for the lock instead of failing half-way.
- The schema is brought to the newest Alembic revision on first open, under a lock (SQLite's write
  lock, a PostgreSQL advisory lock), so two processes opening a new store at once do not race.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
DB_FILE = "congvan.sqlite3"
PG_MIGRATION_LOCK = 0x636F6E67  # "cong": the advisory lock held while migrating


@dataclass(frozen=True)
class StoreSettings:
    url: str
    busy_timeout: float = 30.0

    @classmethod
    def from_env(cls, url: str | None = None) -> StoreSettings:
        url = url or os.environ.get("CONGVAN_DB_URL") or default_sqlite_url()
        return cls(url=normalize_url(url), busy_timeout=float(os.environ.get("CONGVAN_DB_BUSY_TIMEOUT", "30")))


def default_sqlite_url() -> str:
    home = Path(os.environ.get("CONGVAN_HOME") or "data")
    return f"sqlite:///{(home / DB_FILE).resolve()}"


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 (the driver congvan installs)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def make_engine(settings: StoreSettings) -> Engine:
    if not is_sqlite(settings.url):
        return create_engine(settings.url, pool_pre_ping=True)
    database = make_url(settings.url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.url, connect_args={"timeout": settings.busy_timeout})
    _sqlite_pragmas(engine, int(settings.busy_timeout * 1000))
    return engine


def _sqlite_pragmas(engine: Engine, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, not by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the head revision; a no-op when it is there already."""
    from alembic import command

    sqlite = is_sqlite(engine)
    with engine.connect() as connection:
        if sqlite:
            # a migration that re-creates a table (SQLite's "batch" copy) drops the old one; with
            # foreign keys on, that drop would cascade into the rows that point at it
            _foreign_keys(connection, False)
        try:
            with connection.begin():
                if not sqlite:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
                if current_revision(connection) != head_revision():
                    command.upgrade(alembic_config(connection), "head")
                    if sqlite:
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise RuntimeError(f"migration left dangling references: {broken[:5]}")
        finally:
            if sqlite:
                _foreign_keys(connection, True)


def _foreign_keys(connection: Connection, on: bool) -> None:
    """PRAGMA foreign_keys, outside any transaction (inside one SQLite ignores it)."""
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
    cursor.close()


@dataclass(frozen=True)
class Store:
    """An open store: its engine and a session factory."""
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str | None = None, migrate: bool = True) -> Store:
        engine = make_engine(StoreSettings.from_env(url))
        if migrate:
            upgrade(engine)
        return cls(engine, sessionmaker(engine, expire_on_commit=False))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


@cache
def default_store() -> Store:
    """The store named by the environment, opened (and migrated) once per process."""
    return Store.open()
