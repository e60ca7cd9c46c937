"""Helpers for the watched-folder, nightly and flow tests: a varied drop of files made from the
samples, a `congvan watch` subprocess with its own CONGVAN_HOME, and the store read back."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
REGISTRY_CSV = SAMPLES / "registry" / "khanh-hoa.csv"
CONGVAN = REPO / ".venv" / "bin" / "congvan"
IGNORED_DROPPINGS = {"Thumbs.db": b"\x00thumbs", ".DS_Store": b"\x00\x00\x00\x01Bud1", "~$bao-cao.docx": b"owner"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Drop:
    name: str
    data: bytes
    kind: str  # good | duplicate (same bytes as a good one) | duplicate-document | broken

    @property
    def sha256(self) -> str:
        return sha(self.data)


def _sample(prefix: str) -> str:
    return next(SAMPLES.glob(prefix + "*.txt")).read_text(encoding="utf-8")


def good_texts(n: int) -> list[tuple[str, bytes]]:
    """`n` distinct dispatches from the samples: 048 and 044 renumbered (distinct document keys),
    s01 and s02 (no number) each with a distinct closing line."""
    s048, s044, s01, s02 = _sample("048"), _sample("044"), _sample("s01"), _sample("s02")
    makers = [
        lambda i: (f"cv-{6000 + i}.txt", s048.replace("5095/SGDĐT", f"{6000 + i}/SGDĐT")),
        lambda i: (f"kh-{100 + i}.txt", s044.replace("Số: 58/KH", f"Số: {100 + i}/KH")),
        lambda i: (f"antq-{i:02d}.txt", s01 + f"\nBản sao số {i}.\n"),
        lambda i: (f"tuquan-{i:02d}.txt", s02 + f"\nBản sao số {i}.\n"),
    ]
    return [(name, text.encode("utf-8")) for name, text in (makers[i % 4](i) for i in range(n))]


def broken_files() -> list[tuple[str, bytes, str]]:
    """(name, bytes, what the reason says) of files no reader takes."""
    pdf_head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty"
    return [("rong.txt", b"", "empty"), ("rong-2.docx", b"", "empty"), ("trong.pdf", b"", "empty"),
            ("rac.bin", bytes(range(256)) * 8, "binary"), ("rac-2.doc", b"\x00\x01\x02garbage\x00" * 64, ""),
            ("anh.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + b"\x00" * 20, ""),
            ("cut.pdf", pdf_head, "PDF"), ("cut-2.pdf", pdf_head + b"pe /Pages /Kids [3 0 R] /Count 1 >>\n", "PDF")]


def drop_set(goods: int = 32, duplicates: int = 8, dup_docs: int = 2) -> list[Drop]:
    good = [Drop(n, d, "good") for n, d in good_texts(goods)]
    dups = [Drop(f"ban-sao-{i}-{good[i * 3 % goods].name}", good[i * 3 % goods].data, "duplicate")
            for i in range(duplicates)]
    s048 = _sample("048")
    docs = [Drop(f"cv-6000-lai-{i}.txt", s048.replace("5095/SGDĐT", "6000/SGDĐT").encode() + f"\n(gửi lại {i})\n".encode(),
                 "duplicate-document") for i in range(dup_docs)]
    broken = [Drop(n, d, "broken") for n, d, _ in broken_files()]
    return good + dups + docs + broken


def write_slowly(path: Path, data: bytes, chunks: int = 5, pause: float = 0.45) -> None:
    """Copy like a slow network share: the final name at once, the bytes in chunks."""
    step = max(1, -(-len(data) // chunks))
    with open(path, "wb") as f:
        for i in range(0, len(data), step):
            f.write(data[i:i + step])
            f.flush()
            os.fsync(f.fileno())
            time.sleep(pause)


def env_for(home: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONGVAN_", "PREFECT_"))}
    env.update(CONGVAN_HOME=str(home), PYTHONUNBUFFERED="1", CONGVAN_AUTO_APPROVE="0")  # no review gate
    env.update(extra)
    return env


def start_watcher(inbox: Path, home: Path, *args: str, log: Path) -> subprocess.Popen:
    command = [str(CONGVAN), "watch", str(inbox), *args] if CONGVAN.exists() else \
        [sys.executable, "-m", "pipeline.cli", "watch", str(inbox), *args]
    return subprocess.Popen(command, cwd=REPO, env=env_for(home), stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait(timeout=10)


def wait_for(condition: Callable[[], bool], timeout: float, what: str, process=None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out waiting for {what}\n{tail}")


def inbox_files(inbox: Path) -> list[Path]:
    from pipeline.intake import is_ignored

    return [p for p in inbox.rglob("*") if p.is_file() and not is_ignored(p.name)]


def query(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(home / "congvan.sqlite3") as db:
        return db.execute(sql).fetchall()


def archived(home: Path) -> dict[str, Path]:
    """sha256 → archived file, checking each file's name is its content's sha256."""
    found = {}
    for path in (home / "archive").rglob("*"):
        if path.is_file():
            assert path.name.split(".")[0] == sha(path.read_bytes()), f"{path}: name is not its sha256"
            assert path.name.split(".")[0] not in found, f"{path}: archived twice"
            found[path.name.split(".")[0]] = path
    return found


def quarantined(home: Path) -> dict[str, dict]:
    """quarantined file name → its error record (which must exist and name a reason)."""
    import json

    folder, found = home / "quarantine", {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.endswith(".error.json"):
            continue
        info = json.loads((folder / (path.name + ".error.json")).read_text(encoding="utf-8"))
        assert info["reason"] and info["step"] and info["sha256"] == sha(path.read_bytes()), info
        found[path.name] = info
    return found


def check_accounted(home: Path, drops: list[Drop]) -> None:
    """Every good file stored once, duplicates recorded once, broken ones quarantined with a reason,
    nothing lost: every input's sha256 is in the archive or in quarantine."""
    stored = query(home, "select sha256 from source_files where status = 'stored'")
    assert len(stored) == len({s for (s,) in stored}), "a file stored twice"
    good = {d.sha256 for d in drops if d.kind == "good"}
    assert {s for (s,) in stored} == good
    assert query(home, "select count(*) from dispatches")[0][0] == len(good)
    dup_docs = {d.sha256 for d in drops if d.kind == "duplicate-document"}
    assert {s for (s,) in query(home, "select sha256 from source_files where status = 'duplicate'")} == dup_docs
    arch, quar = archived(home), quarantined(home)
    assert set(arch) == good | dup_docs, "the archive holds exactly the stored and duplicate-document files"
    broken = [d for d in drops if d.kind == "broken"]
    assert sorted(info["file"] for info in quar.values()) == sorted(d.name for d in broken)
    assert {d.sha256 for d in drops} <= set(arch) | {i["sha256"] for i in quar.values()}, "a file was lost"
    assert not list((home / "archive").rglob("*.congvan-copy"))
