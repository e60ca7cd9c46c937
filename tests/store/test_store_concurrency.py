"""Two processes ingesting overlapping sets of files into one new store at the same time lose
nothing and duplicate nothing: every file is recorded once, every dispatch stored once, and each
file one process stored is a `duplicate-bytes` no-op for the other."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storekit import SAMPLES

TEMPLATE = (Path(__file__).parent / "data" / "cv-512-pgddt-dien-khanh-2018.txt").read_text(encoding="utf-8")
DISTINCT, COPIES = 24, 4


def make_files(folder: Path) -> list[Path]:
    """24 dispatches with their own numbers, 4 second copies of some of them (other bytes, same
    number: duplicate documents), and s01 (no number: never a duplicate document)."""
    folder.mkdir()
    files = []
    for i in range(DISTINCT):
        path = folder / f"cv-{i:02d}.txt"
        path.write_text(TEMPLATE.replace("Số: 512/", f"Số: {600 + i}/"), encoding="utf-8")
        files.append(path)
    for i in range(COPIES):
        path = folder / f"cv-{i:02d}-copy.txt"
        path.write_text(TEMPLATE.replace("Số: 512/", f"Số: {600 + i}/") + "\n(bản sao)\n", encoding="utf-8")
        files.append(path)
    s01 = next(SAMPLES.glob("s01_*.txt"))
    (folder / s01.name).write_bytes(s01.read_bytes())
    return files + [folder / s01.name]


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if k != "CONGVAN_DB_URL"}
    env["CONGVAN_HOME"] = str(tmp_path / "home")   # SQLite: a new store that both processes create
    if request.param == "postgresql":
        env["CONGVAN_DB_URL"] = request.getfixturevalue("pg_url")
        return env, env["CONGVAN_DB_URL"]
    return env, f"sqlite:///{tmp_path / 'home' / 'congvan.sqlite3'}"


def test_two_processes_ingesting_at_once(tmp_path, target):
    env, url = target
    files = make_files(tmp_path / "inbox")
    first, second = files[:18], list(reversed(files[8:]))  # 10 files in both, met in opposite orders
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", *map(str, part)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8")
             for part in (first, second)]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0 and "Traceback" not in err, err

    outcomes: dict[str, list[str]] = {}
    stored_tasks = 0
    for out, _ in outputs:
        for line in out.splitlines():
            outcome, _id, path, detail = line.split("\t")
            outcomes.setdefault(Path(path).name, []).append(outcome)
            stored_tasks += int(detail.split()[0]) if outcome == "stored" else 0
    assert sorted(outcomes) == sorted(p.name for p in files)
    assert "failed" not in {o for found in outcomes.values() for o in found}
    for name, found in outcomes.items():
        done = [o for o in found if o != "duplicate-bytes"]
        assert len(done) == 1, (name, found)  # exactly one process did the work

    engine = create_engine(url)
    with engine.connect() as conn:
        statuses = Counter(dict(conn.execute(text("SELECT status, count(*) FROM source_files GROUP BY status")).all()))
        dispatches = conn.execute(text("SELECT count(*), count(DISTINCT doc_key) FROM dispatches")).one()
        tasks = conn.execute(text("SELECT count(*), count(DISTINCT dispatch_id) FROM tasks")).one()
    engine.dispose()
    assert statuses == {"stored": DISTINCT + 1, "duplicate": COPIES}
    assert tuple(dispatches) == (DISTINCT + 1, DISTINCT)  # s01 has no key
    assert tuple(tasks) == (stored_tasks, DISTINCT + 1)
