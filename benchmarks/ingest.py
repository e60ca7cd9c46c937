"""Ingestion end to end: 1,000 text-layer PDFs dropped at once into a watched inbox.

    .venv/bin/python benchmarks/ingest.py [--count 1000] [--texts DIR] [--workers 2] [--delay 1] [--json]

1. Makes `count` distinct PDFs with a text layer: corpus texts (default ../shared/corpus/text, else
   samples/), each copy given its own number (or a closing line) so that every file is a distinct
   dispatch, converted by LibreOffice in batches (cached in --work, default /tmp/congvan-bench-ingest).
2. Direct: `pipeline.extract.extract_file` on every PDF, in one process, one after the other.
3. End to end: a `congvan watch` process (fresh CONGVAN_HOME, --workers, --delay) is started and
   ready; every PDF is copied into its inbox at once; the clock stops when the last file has been
   stored and archived (the inbox is empty and every file has its line).
Prints files/min of both and their ratio (end to end ÷ direct), with the outcomes of the run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_TEXTS = REPO.parent / "shared" / "corpus" / "text"
NUMBER = re.compile(r"(Số\s*:\s*)(\d+)")


def variants(texts: list[Path], count: int) -> list[tuple[str, str]]:
    """`count` (name, text) pairs, each a distinct dispatch: the number changed, else a line added."""
    out = []
    for i in range(count):
        source = texts[i % len(texts)]
        text = source.read_text(encoding="utf-8")
        text, n = NUMBER.subn(lambda m: f"{m.group(1)}{90000 + i}", text, count=1)
        if not n:
            text += f"\nBản sao số {i}.\n"
        out.append((f"bench-{i:04d}-{source.stem[:40]}", text))
    return out


def make_pdfs(texts_dir: Path, count: int, work: Path) -> list[Path]:
    pdfs = work / f"pdf-{count}"
    existing = sorted(pdfs.glob("*.pdf")) if pdfs.is_dir() else []
    if len(existing) == count:
        return existing
    shutil.rmtree(pdfs, ignore_errors=True)
    sources = sorted(texts_dir.glob("*.txt"))
    if not sources:
        raise SystemExit(f"no *.txt in {texts_dir}")
    txt = work / "txt"
    shutil.rmtree(txt, ignore_errors=True)
    txt.mkdir(parents=True)
    for name, text in variants(sources, count):
        (txt / f"{name}.txt").write_text(text, encoding="utf-8")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed to make the PDFs: ./setup.sh installs it")
    files = sorted(txt.glob("*.txt"))
    profile = Path(tempfile.mkdtemp(prefix="congvan-bench-lo-"))
    try:
        for start in range(0, len(files), 200):
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(pdfs),
                            *map(str, files[start:start + 200])],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    made = sorted(pdfs.glob("*.pdf"))
    if len(made) != count:
        raise SystemExit(f"LibreOffice made {len(made)} PDFs of {count}")
    return made


def has_text_layer(pdf: Path) -> bool:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document[0].get_textpage().get_text_range().strip()) > 50
    finally:
        document.close()


def direct(pdfs: list[Path]) -> tuple[float, int]:
    """(seconds, failures) of extract_file over every PDF in this process (models loaded first)."""
    from pipeline.extract import extract_file, extract_text

    extract_text("Kính gửi: các trường.\n1. Báo cáo trước ngày 10/10/2019.")  # load the models
    failures, start = 0, time.perf_counter()
    for pdf in pdfs:
        try:
            extract_file(pdf)
        except Exception:
            failures += 1
    return time.perf_counter() - start, failures


def end_to_end(pdfs: list[Path], workers: int, delay: float, timeout: float) -> dict:
    home = Path(tempfile.mkdtemp(prefix="congvan-bench-home-"))
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVAN_")}
    env.update(CONGVAN_HOME=str(home), PYTHONUNBUFFERED="1")
    log = home / "watch.log"
    congvan = REPO / ".venv" / "bin" / "congvan"
    process = subprocess.Popen([str(congvan), "watch", str(inbox), "--delay", str(delay), "--workers", str(workers)],
                               cwd=REPO, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    try:
        while b"watching:" not in log.read_bytes():
            if process.poll() is not None:
                raise SystemExit(log.read_text())
            time.sleep(0.1)
        start = time.perf_counter()
        for pdf in pdfs:  # dropped at once
            shutil.copyfile(pdf, inbox / pdf.name)
        dropped = time.perf_counter() - start
        while True:
            lines = [line for line in log.read_text().splitlines() if "\t" in line]
            if len(lines) >= len(pdfs) and not any(inbox.iterdir()):
                break
            if process.poll() is not None or time.perf_counter() - start > timeout:
                raise SystemExit(f"the watcher stopped or timed out:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        seconds = time.perf_counter() - start
    finally:
        process.terminate()
        process.wait(timeout=60)
    outcomes: dict[str, int] = {}
    for line in lines:
        key = f"{line.split(chr(9))[0]}:{line.split(chr(9))[1]}"
        outcomes[key] = outcomes.get(key, 0) + 1
    shutil.rmtree(home, ignore_errors=True)
    return {"seconds": seconds, "drop_seconds": dropped, "outcomes": outcomes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS if DEFAULT_TEXTS.is_dir() else REPO / "samples")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--delay", type=float, default=1.0, help="the watcher's stability delay (s)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "congvan-bench-ingest")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    pdfs = make_pdfs(args.texts, args.count, args.work)
    made = time.perf_counter() - start
    assert all(has_text_layer(p) for p in pdfs[:: max(1, len(pdfs) // 20)]), "a PDF without a text layer"
    e2e = end_to_end(pdfs, args.workers, args.delay, args.timeout)
    direct_seconds, failures = direct(pdfs)
    n = len(pdfs)
    report = {
        "files": n, "texts": str(args.texts), "pdf_bytes": sum(p.stat().st_size for p in pdfs),
        "make_pdfs_seconds": round(made, 1),
        "direct": {"seconds": round(direct_seconds, 1), "files_per_min": round(n / direct_seconds * 60, 1),
                   "failures": failures, "processes": 1},
        "end_to_end": {"seconds": round(e2e["seconds"], 1), "files_per_min": round(n / e2e["seconds"] * 60, 1),
                       "drop_seconds": round(e2e["drop_seconds"], 2), "workers": args.workers,
                       "delay": args.delay, "outcomes": e2e["outcomes"]},
    }
    report["ratio"] = round(report["end_to_end"]["files_per_min"] / report["direct"]["files_per_min"], 3)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    d, e = report["direct"], report["end_to_end"]
    print(f"{n} text-layer PDFs ({report['pdf_bytes'] / 1e6:.1f} MB) from {args.texts} "
          f"(made in {report['make_pdfs_seconds']} s, or cached)")
    print(f"direct extract_file, 1 process:     {d['files_per_min']:8.1f} files/min ({d['seconds']} s, "
          f"{d['failures']} failures)")
    print(f"end to end, watch --workers {e['workers']} --delay {e['delay']:g}: {e['files_per_min']:8.1f} files/min "
          f"({e['seconds']} s; dropped in {e['drop_seconds']} s)")
    print(f"ratio end to end / direct: {report['ratio']}")
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(e["outcomes"].items())))


if __name__ == "__main__":
    main()
