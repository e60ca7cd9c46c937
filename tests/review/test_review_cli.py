"""The review commands as a user runs them: `congvan export-gold`, `congvan user list/disable`, and
what `ingest` says of the dispatches waiting for review."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
S01 = REPO / "samples" / "s01_phong-gddt-antq-truong-hoc.txt"
S02 = REPO / "samples" / "s02_sgddt-khanh-hoa-mo-hinh-tu-quan.txt"


def congvan(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], env=env, cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVAN_")}
    env.update(CONGVAN_HOME=str(tmp_path / "home"), CONGVAN_AUTO_APPROVE="off")
    return env


def test_export_gold_writes_only_what_an_officer_approved_and_scores_one_against_itself(env, tmp_path):
    from sqlalchemy import select

    from pipeline import review as rv
    from pipeline.store.db import Store
    from pipeline.store.models import SourceFile

    ingested = congvan(env, "ingest", str(S01), str(S02))
    assert ingested.returncode == 0 and "2 dispatches wait for review" in ingested.stderr
    nothing = congvan(env, "export-gold", str(tmp_path / "out"))
    assert nothing.returncode == 0 and "nothing written" in nothing.stderr

    store = Store.open(f"sqlite:///{tmp_path / 'home' / 'congvan.sqlite3'}")
    with store.session() as session:
        s01 = session.scalars(select(SourceFile.dispatch_id).where(SourceFile.original_name == S01.name)).one()
        task = rv.get_dispatch(session, s01).tasks[0]
        rv.update_task(session, task.id, {"due_date": "2019-07-20"}, rv.Actor("lan"))
        rv.approve(session, s01, rv.Actor("lan"))
    store.close()

    out = tmp_path / "out"
    exported = congvan(env, "export-gold", str(out))
    assert exported.returncode == 0, exported.stderr
    assert [line.split("\t")[0] for line in exported.stdout.splitlines()] == [f"#{s01}"]
    [gold] = sorted((out / "gold").glob("*.json"))
    assert (out / "text" / f"{gold.stem}.txt").read_text(encoding="utf-8") == S01.read_text(encoding="utf-8")
    assert json.loads(gold.read_text(encoding="utf-8"))["tasks"][0]["deadline"]["date"] == "2019-07-20"

    itself = json.loads(congvan(env, "evaluate", str(out / "gold"), "--predictions", str(out / "gold"),
                                "--json").stdout)
    assert all(value == 1.0 for field in itself["fields"].values() for name, value in field.items()
               if name in ("accuracy", "f1") and value is not None)
    machine = json.loads(congvan(env, "evaluate", str(out / "gold"), "--predictions", str(out / "machine"),
                                 "--json").stdout)
    deadline = machine["fields"]["tasks.deadline"]
    assert (deadline["right"], deadline["total"]) == (deadline["total"] - 1, deadline["total"])


def test_users_are_listed_and_a_disabled_one_is_marked(env):
    assert congvan(env, "user", "add", "lan", "--password-stdin", stdin="mật-khẩu-dài-123\n").returncode == 0
    short = congvan(env, "user", "add", "tam", "--password-stdin", stdin="ngan\n")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    assert congvan(env, "user", "disable", "lan").returncode == 0
    assert [line.split("\t")[:2] for line in congvan(env, "user", "list").stdout.splitlines()] == [["lan", "disabled"]]
    missing = congvan(env, "user", "disable", "nobody")
    assert missing.returncode == 2 and "no user 'nobody'" in missing.stderr
