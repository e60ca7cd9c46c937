"""The commands around the watched folder, as a person runs them: ingest --move, retry, nightly."""
from __future__ import annotations

import subprocess

from flowkit import CONGVAN, REGISTRY_CSV, REPO, SAMPLES, archived, env_for, quarantined


def congvan(home, *args):
    return subprocess.run([str(CONGVAN), *map(str, args)], cwd=REPO, env=env_for(home), capture_output=True,
                          text=True, timeout=300)


def test_ingest_move_retry_and_nightly(tmp_path):
    home, drop = tmp_path / "home", tmp_path / "drop"
    drop.mkdir()
    for path in SAMPLES.glob("s0*.txt"):
        (drop / path.name).write_bytes(path.read_bytes())
    (drop / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    (drop / "Thumbs.db").write_bytes(b"x")

    plain = congvan(home, "ingest", drop / "cut.pdf")  # without --move nothing moves
    assert plain.returncode == 1 and (drop / "cut.pdf").exists()
    moved = congvan(home, "ingest", "--move", drop)
    assert moved.returncode == 0, moved.stderr
    assert sorted(line.split("\t")[0] for line in moved.stdout.splitlines()) == ["archived", "archived", "quarantined"]
    assert [p.name for p in drop.iterdir()] == ["Thumbs.db"]
    assert len(archived(home)) == 2 and list(quarantined(home)) == ["cut.pdf"]

    listed = congvan(home, "retry", "--list")
    assert listed.stdout.startswith("cut.pdf\tread\tdamaged or truncated PDF"), listed.stdout
    retried = congvan(home, "retry")
    assert retried.returncode == 0 and (home / "inbox" / "cut.pdf").exists() and not quarantined(home)

    assert congvan(home, "registry", "load", REGISTRY_CSV).returncode == 0
    nightly = congvan(home, "nightly", "--date", "2019-07-01", "--outbox", tmp_path / "out")
    assert nightly.returncode == 0, nightly.stderr
    folders = {p.name for p in (tmp_path / "out" / "2019-07-01").iterdir() if p.is_dir()}
    assert len(folders) == 47 and "DK-MN-HOASEN" in folders and "PGDDT-DK" in folders
    assert "47 units" in nightly.stderr
    bad = congvan(home, "nightly", "--date", "01/07/2019")
    assert bad.returncode == 2 and "not a date" in bad.stderr
