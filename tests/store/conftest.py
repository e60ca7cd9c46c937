"""Store fixtures: every test that takes `store` runs on SQLite (a file in tmp) and on PostgreSQL.

PostgreSQL: `CONGVAN_TEST_PG_URL` (a server where the test user may CREATE DATABASE) if set; else a
throwaway cluster started here from Debian's binaries (/usr/lib/postgresql/*/bin): initdb into a
temporary folder as a non-root user, listening on 127.0.0.1 on a free port, stopped at the end of the
session. Without the binaries the PostgreSQL cases are skipped, saying why. Each test gets a fresh
SQLite file copied from a migrated template; PostgreSQL tests share one migrated database,
emptied (TRUNCATE … RESTART IDENTITY) before each test.
"""
from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator, Optional

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pipeline.store.db import Store, normalize_url
from pipeline.store.models import Base
from storekit import REGISTRY_CSV

PG_USER = "congvan_pg"  # created when running as root and Debian's `postgres` user is missing
BACKENDS = ["sqlite", "postgresql"]


# ------------------------------------------------------------------ PostgreSQL server

def _pg_bin() -> Optional[Path]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: [int(n) for n in re.findall(r"\d+", Path(p).parts[-3])])
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> list[str]:
    """initdb refuses root: run the server as `postgres` (or a user made for it)."""
    if os.geteuid() != 0:
        return []
    for user in ("postgres", PG_USER):
        try:
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--"]
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
                   check=True, capture_output=True)
    return ["runuser", "-u", PG_USER, "--"]


def _run(cmd: list, what: str) -> None:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server URL (database part ignored)."""
    if os.environ.get("CONGVAN_TEST_PG_URL"):
        yield normalize_url(os.environ["CONGVAN_TEST_PG_URL"])
        return
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin "
                    "(setup.sh installs Debian's 'postgresql'; or set CONGVAN_TEST_PG_URL)")
    run_as = _run_as()
    base = Path(tempfile.mkdtemp(prefix="congvan-pg-"))
    if run_as:
        shutil.chown(base, user=run_as[2])
    data, port = base / "data", _free_port()
    try:
        _run(run_as + [bin_dir / "initdb", "-D", data, "-U", "congvan", "--auth=trust", "-E", "UTF8",
                       "--locale=C.UTF-8"], "initdb")
        options = f"-h 127.0.0.1 -p {port} -k {base} -F -c full_page_writes=off -c synchronous_commit=off"
        _run(run_as + [bin_dir / "pg_ctl", "-D", data, "-l", base / "server.log", "-o", options, "-w", "-t", "60",
                       "start"], "pg_ctl start")
        yield f"postgresql+psycopg://congvan@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(run_as + [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def _database_url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _admin(server: str):
    return create_engine(server, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_database(pg_server: str) -> Iterator[str]:
    """One migrated database for the session; each test empties it first."""
    name = f"congvan_test_{uuid.uuid4().hex[:8]}"
    admin = _admin(pg_server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = _database_url(pg_server, name)
    Store.open(url).close()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """The session's PostgreSQL database, migrated and empty (ids start at 1 again)."""
    engine = create_engine(pg_database)
    with engine.begin() as conn:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return pg_database


# ------------------------------------------------------------------ SQLite

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "congvan.sqlite3"
    Store.open(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "congvan.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


# ------------------------------------------------------------------ the store, on both

@pytest.fixture(params=BACKENDS)
def db_url(request) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def registry_store(store: Store) -> Store:
    """A store holding the sample registry (Khánh Hòa; huyện Diên Khánh's schools)."""
    from pipeline.store import repository as repo

    with store.session() as session:
        repo.upsert_units(session, repo.read_registry_csv(REGISTRY_CSV))
    return store
