"""The `congvan` command run as a user runs it: a subprocess, its exit code, stdout and stderr."""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.evaluate import score_key

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
S01 = next(SAMPLES.glob("s01_*.txt"))
S02 = next(SAMPLES.glob("s02_*.txt"))

CONTRACT_KEYS = {"source", "doc_type", "number", "issued_date", "place", "issuer", "parent_issuer",
                 "subject", "urgency", "signer", "recipients", "references", "tasks"}


def case(name: str, *values, **kwargs):
    return pytest.param(*values, id=name, **kwargs)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def congvan(*args: str | Path, cwd: Path | None = None, timeout: float = 60) -> Run:
    """`congvan ARGS` in a fresh interpreter, with no terminal (as in CI: Rich then uses 80 columns)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, encoding="utf-8", errors="replace", timeout=timeout)
    return Run(done.returncode, done.stdout, done.stderr)


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout + run.stderr, run.stderr


# ---------------------------------------------------------------- bad input, one file

def cp1258(text: str) -> bytes:
    """Vietnamese in Windows-1258: base letters precomposed, tone marks as combining bytes."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        marks = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in tones))
        out.append(base + "".join(c for c in marks if c in tones))
    return "".join(out).encode("cp1258")


def binary_bytes() -> bytes:
    data = random.Random(7).randbytes(4096)
    assert b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    return data


def write_big(path: Path, megabytes: int = 50) -> None:
    line = "Đề nghị các trường triển khai thực hiện nghiêm túc nội dung Công văn này.\n".encode()
    block = line * (1024 * 1024 // len(line) + 1)
    with path.open("wb") as f:
        for _ in range(megabytes):
            f.write(block)


DISPATCH = "Kính gửi: Các trường học trên địa bàn.\nĐề nghị các trường báo cáo trước ngày 15/9/2025."

BAD_INPUT_CASES = [
    case("empty file", "empty.txt", lambda p: p.write_bytes(b""), "empty"),
    case("binary, random bytes with NULs", "scan.txt", lambda p: p.write_bytes(binary_bytes()), "binary"),
    case("cp1258 text", "cp1258.txt", lambda p: p.write_bytes(cp1258(DISPATCH)), "UTF-8"),
    case("latin-1 text", "latin1.txt", lambda p: p.write_bytes("Hòa Bình, ngày 5 tháng 3".encode("latin-1")),
         "UTF-8"),
    case("50 MB of text", "huge.txt", write_big, "too large"),
]


@pytest.mark.parametrize("name, make, reason", BAD_INPUT_CASES)
def test_extract_refuses_bad_input_with_one_line(tmp_path, name, make, reason):
    make(tmp_path / name)
    if reason == "UTF-8":  # the case must really be invalid UTF-8
        with pytest.raises(UnicodeDecodeError):
            (tmp_path / name).read_bytes().decode("utf-8")
    run = congvan("extract", name, "--json", cwd=tmp_path, timeout=30)  # extracting 50 MB would time out
    assert run.code != 0
    assert run.stdout == ""
    assert len(run.err_lines) == 1, run.stderr
    assert name in run.err_lines[0] and reason in run.err_lines[0]
    assert_no_traceback(run)
    (tmp_path / name).unlink()  # pytest keeps recent tmp folders: do not leave 50 MB behind


ODD_FILE_NAMES_AND_BYTES = [
    case("long path: Rich wraps the stderr line at 80 columns",
         "a-folder-with-a-rather-long-name/and-a-second-level-below-it/empty-dispatch-file.txt",
         lambda p: p.write_bytes(b"")),
    case("brackets in the file name are read as Rich markup", "cv [red]bản chính.txt",
         lambda p: p.write_bytes(b"")),
    case("UTF-16 BOM then an odd byte", "utf16.txt", lambda p: p.write_bytes(b"\xff\xfeK\x00a")),
]


@pytest.mark.parametrize("name, make", ODD_FILE_NAMES_AND_BYTES)
def test_extract_refusal_is_one_line_whatever_the_file(tmp_path, name, make):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    make(path)
    run = congvan("extract", name, cwd=tmp_path)
    assert run.code != 0
    assert len(run.err_lines) == 1 and name in run.err_lines[0], run.stderr
    assert_no_traceback(run)


# ---------------------------------------------------------------- extract FILE / DIR

def test_extract_file_json_has_every_contract_key_and_true_spans():
    run = congvan("extract", S01, "--json")
    assert run.code == 0, run.stderr
    assert_no_traceback(run)
    record = json.loads(run.stdout)
    assert CONTRACT_KEYS <= record.keys()
    text = S01.read_text(encoding="utf-8")
    assert record["tasks"], "s01 places tasks on the schools"
    for task in record["tasks"]:
        start, end = task["span"]
        assert 0 <= start < end <= len(text)
        assert score_key(text[start:end]) == score_key(task["text"])
    for item in record["recipients"] + record["references"]:
        if item.get("span"):
            start, end = item["span"]
            assert 0 <= start < end <= len(text)


def test_extract_dir_prints_json_lines_and_skips_a_bad_file(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for src in (S01, S02):
        shutil.copy(src, folder / src.name)
    (folder / "broken.txt").write_bytes(binary_bytes())
    run = congvan("extract", "inbox", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert_no_traceback(run)
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert sorted(Path(r["source"]["path"]).name for r in records) == sorted([S01.name, S02.name])
    assert all(CONTRACT_KEYS <= r.keys() for r in records)
    bad = [line for line in run.err_lines if "broken.txt" in line]
    assert len(bad) == 1 and "binary" in bad[0], run.stderr


def test_extract_dir_of_only_bad_files_fails(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    run = congvan("extract", ".", cwd=tmp_path)
    assert run.code != 0
    assert run.stdout == ""
    assert_no_traceback(run)


def test_extract_samples_as_tables():
    run = congvan("extract", SAMPLES, "--table")
    assert run.code == 0, run.stderr
    assert_no_traceback(run)
    assert "nhiệm vụ" in run.stdout


# ---------------------------------------------------------------- schema, evaluate

def test_schema_is_a_json_schema_of_the_contract_record():
    run = congvan("schema")
    assert run.code == 0, run.stderr
    schema = json.loads(run.stdout)
    assert schema["type"] == "object"
    assert CONTRACT_KEYS <= schema["properties"].keys()


def test_evaluate_prints_a_score_table(corpus_dir):
    run = congvan("evaluate", corpus_dir / "gold", "--errors", timeout=300)
    assert run.code == 0, run.stderr
    assert_no_traceback(run)
    assert "documents" in run.stdout
    for field in ("number", "issued_date", "recipients", "references", "tasks", "tasks.deadline"):
        assert field in run.stdout


def test_evaluate_refuses_a_missing_folder(tmp_path):
    run = congvan("evaluate", "nowhere", cwd=tmp_path)
    assert run.code != 0
    assert len(run.err_lines) == 1 and "nowhere" in run.err_lines[0], run.stderr
    assert_no_traceback(run)
