"""The flows under Prefect (one temporary server for the session): ingest-folder takes a folder
into the store, archive and quarantine; nightly-task-lists writes the lists and an artifact."""
from __future__ import annotations

import pytest

from flowkit import REGISTRY_CSV, SAMPLES, archived, quarantined, query


@pytest.fixture
def home(tmp_path, monkeypatch):
    for name in ("CONGVAN_DB_URL", "CONGVAN_INBOX", "CONGVAN_ARCHIVE", "CONGVAN_QUARANTINE", "CONGVAN_OUTBOX",
                 "CONGVAN_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONGVAN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CONGVAN_STABLE_DELAY", "0.2")
    return tmp_path / "home"


def test_ingest_folder_then_nightly(prefect_harness, home):
    from flows.ingest import ingest_folder
    from flows.nightly import nightly
    from flows.reprocess import reprocess
    from pipeline.store import repository as repo
    from flows.common import store

    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    for path in SAMPLES.glob("s0*.txt"):
        (inbox / path.name).write_bytes(path.read_bytes())
    (inbox / "copy.txt").write_bytes(next(SAMPLES.glob("s01*.txt")).read_bytes())
    (inbox / "cut.pdf").write_bytes(b"%PDF-1.7\\n1 0 obj\\n<<")
    summary = ingest_folder()
    assert summary["counts"] == {"archived:stored": 2, "archived:duplicate-bytes": 1, "quarantined:failed": 1}
    assert not list(inbox.iterdir())
    assert len(archived(home)) == 2 and [i["file"] for i in quarantined(home).values()] == ["cut.pdf"]
    assert query(home, "select count(*) from dispatches")[0][0] == 2

    with store().session() as session:
        repo.upsert_units(session, repo.read_registry_csv(REGISTRY_CSV))
        repo.resolve_all(session)
    result = nightly(day="2019-07-01", mail=False)
    assert len(result["units"]) == 47 and (home / "outbox" / "2019-07-01" / "DK-MN-HOASEN" / "tasks.ics").exists()

    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        artifact = client.read_latest_artifacts()  # the summary, under its key
        keys = {a.key: a for a in artifact}
    assert "nightly-task-lists" in keys and "DK-MN-HOASEN" in keys["nightly-task-lists"].data

    again = reprocess(force=True)
    assert again["archived"] == 2 and again["counts"] == {"reprocessed": 2}
