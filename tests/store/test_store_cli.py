"""The `congvan` store commands as a user runs them (subprocesses), on SQLite and PostgreSQL:
the issue's acceptance run — ingest samples/, list a district school's obligations, write the
overdue tasks as a workbook that openpyxl reads back with the same rows."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from storekit import SAMPLES, case

DATA = Path(__file__).parent / "data"
EXTRA = DATA / "cv-512-pgddt-dien-khanh-2018.txt"   # a district dispatch with printed deadlines


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "CONGVAN_DB_URL")}
    env["CONGVAN_HOME"] = str(tmp_path / "home")
    if request.param == "postgresql":
        env["CONGVAN_DB_URL"] = request.getfixturevalue("pg_url")
    return env


def congvan(env: dict, *args, cwd: Path | None = None) -> Run:
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], env=env, cwd=cwd,
                          capture_output=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


def ingested(run: Run) -> dict[str, tuple[str, str, str]]:
    """file name → (outcome, dispatch id, detail) from `congvan ingest`'s lines."""
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    return {Path(path).name: (outcome, where, detail) for outcome, where, path, detail in rows}


def test_acceptance_ingest_samples_school_tasks_and_overdue_workbook(env, tmp_path):
    run = congvan(env, "ingest", SAMPLES, EXTRA)
    assert run.code == 0 and "registry:" in run.stderr and "6 stored" in run.stderr
    outcome, s01_id, detail = ingested(run)["s01_phong-gddt-antq-truong-hoc.txt"]
    s01_tasks = int(detail.split()[0])
    assert outcome == "stored" and s01_tasks > 0

    # a Mầm non school of huyện Diên Khánh: exactly s01's obligations
    rows = json.loads(congvan(env, "tasks", "--school", "Trường Mầm non Hoa Sen", "--format", "json").stdout)
    assert len(rows) == s01_tasks
    assert {(f"#{r['dispatch_id']}", r["unit_code"]) for r in rows} == {(s01_id, "DK-MN-HOASEN")}
    table = congvan(env, "tasks", "--school", "Trường THCS Nguyễn Trãi")
    assert table.code == 0 and "DK-THCS-NGUYENTRAI" in table.stdout

    args = ["tasks", "--overdue", "--today", "2018-11-15"]
    rows = list(csv.reader(io.StringIO(congvan(env, *args, "--format", "csv").stdout)))
    run = congvan(env, *args, "--format", "xlsx", cwd=tmp_path)
    assert run.code == 0 and "wrote tasks.xlsx" in run.stderr
    sheet = load_workbook(tmp_path / "tasks.xlsx").active
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert len(rows) > 1 and cells == rows
    assert all(r[rows[0].index("due_date")] < "2018-11-15" for r in rows[1:])

    again = congvan(env, "ingest", SAMPLES, EXTRA)
    assert {v[0] for v in ingested(again).values()} == {"duplicate-bytes"}


# ------------------------------------------------------------------ in-process (typer's runner): faster

@pytest.fixture
def cli(env, monkeypatch):
    """Run `congvan ARGS` in this process against the test's store."""
    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.store.db import default_store

    for key in ("CONGVAN_HOME", "CONGVAN_DB_URL"):
        monkeypatch.delenv(key, raising=False)
        if key in env:
            monkeypatch.setenv(key, env[key])
    default_store.cache_clear()

    def run(*args) -> Run:
        result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    yield run
    default_store.cache_clear()


def test_search_show_and_task_commands(cli):
    lines = ingested(cli("ingest", SAMPLES, EXTRA))
    plain = cli("search", "an ninh trat tu", "--format", "json")
    accented = cli("search", "an ninh trật tự", "--format", "json")
    assert plain.code == 0 and json.loads(plain.stdout) and plain.stdout == accented.stdout

    s01 = lines["s01_phong-gddt-antq-truong-hoc.txt"][1]
    shown = cli("show", s01)
    assert shown.code == 0 and "Hiệu trưởng các trường Mầm non" in shown.stdout and "46-CT/TW" in shown.stdout
    assert json.loads(cli("show", "512/PGDDT-THCS", "--json").stdout)["number"] == "512/PGDĐT-THCS"

    task_id = json.loads(cli("tasks", "--school", "DK-MN-HOASEN", "--format", "json").stdout)[0]["task_id"]
    assert cli("task", "done", task_id, "--unit", "DK-MN-HOASEN", "--by", "Lan").code == 0
    assert cli("task", "assign", task_id, "--to", "Nguyễn Thị Lan").code == 0
    done = json.loads(cli("tasks", "--school", "DK-MN-HOASEN", "--status", "done", "--format", "json").stdout)
    assert [(r["task_id"], r["assigned_to"]) for r in done] == [(task_id, "Nguyễn Thị Lan")]
    assert cli("task", "reopen", task_id, "--unit", "DK-MN-HOASEN").code == 0
    assert json.loads(cli("tasks", "--school", "DK-MN-HOASEN", "--status", "done", "--format", "json").stdout) == []
    unknown = cli("tasks", "--school", "Trường Tiểu học Ninh Hiệp")
    assert unknown.code == 0 and "no school in the registry matches" in unknown.stderr
    listed = cli("registry", "list", "--district", "Dien Khanh", "--format", "csv")
    assert listed.stdout.count("\n") == 1 + 1 + 21 + 2  # header, the Phòng, its 21 schools, 2 THPT schools


@pytest.mark.parametrize("args, code, message", [
    case("bad-format", ["tasks", "--format", "pdf"], 2, "--format"),
    case("search-has-no-workbook", ["search", "x", "--format", "xlsx"], 2, "--format"),
    case("bad-registry-format", ["registry", "list", "--format", "html"], 2, "--format"),
    case("bad-date", ["tasks", "--due-before", "20/10/2018"], 2, "not a date"),
    case("bad-status", ["tasks", "--status", "finished"], 2, "status"),
    case("unknown-dispatch", ["show", "9999"], 1, "no stored dispatch"),
    case("unknown-task", ["task", "done", "9999"], 1, "no task #9999"),
    case("missing-registry-file", ["registry", "load", "missing.csv"], 2, "missing.csv"),
])
def test_errors_are_one_line(cli, args, code, message):
    run = cli(*args)
    assert run.code == code and message in run.stderr and len(run.stderr.strip().splitlines()) == 1
