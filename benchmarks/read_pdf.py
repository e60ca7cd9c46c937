"""PDF text-layer speed: congvan's layout-aware PDF reader against pypdfium2's plain text.

    .venv/bin/python benchmarks/read_pdf.py [PDF_OR_FOLDER …] [--repeat 3] [--json]

In one process, for every born-digital PDF given (default: those of ../shared/corpus-files; a
PDF whose pages do not all carry a text layer is left out, it measures OCR, not this), time
`pipeline.read.pdf.read_pdf` (pdfplumber + layout), pdfplumber's own `extract_text` (what the
layout adds), and pypdfium2's plain `get_text_range` over the same file, each `--repeat` times;
report the median pages/s of each and the ratios. Speed lives here, not in the tests.
"""
from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_FILES = REPO.parent / "shared" / "corpus-files"
MIN_CHARS_PER_PAGE = 200  # fewer on some page: a scan (or a mixed file), not a text layer


def pdfium_text(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    chars = 0
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return chars


def pdfplumber_text(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = 0
        for page in pdf.pages:
            chars += len(page.extract_text() or "")
            page.close()
    return chars


def congvan_text(path: Path) -> Callable[[bytes], int]:
    from pipeline.read.pdf import read_pdf

    return lambda data: len(read_pdf(path, data).text)


def pages_and_min_chars(data: bytes) -> tuple[int, int]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    counts = []
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        counts.append(textpage.count_chars())
    return len(counts), min(counts, default=0)


def median_seconds(fn: Callable[[bytes], int], data: bytes, repeat: int) -> tuple[float, list[float], int]:
    runs, chars = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        chars = fn(data)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs, chars


def pdf_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        files += sorted(path.glob("*.pdf")) if path.is_dir() else [path]
    return files


def run(paths: list[Path], repeat: int) -> dict:
    rows, skipped = [], []
    congvan_text(Path("warm-up"))  # import the reader before timing
    for path in pdf_files(paths):
        data = path.read_bytes()
        pages, min_chars = pages_and_min_chars(data)
        if min_chars < MIN_CHARS_PER_PAGE:
            skipped.append(path.name)
            continue
        row = {"file": path.name, "pages": pages}
        for name, fn in (("congvan", congvan_text(path)), ("pdfplumber", pdfplumber_text), ("pypdfium2", pdfium_text)):
            median, runs, chars = median_seconds(fn, data, repeat)
            row[name] = {"median_s": round(median, 4), "runs_s": [round(r, 4) for r in runs],
                         "pages_per_s": round(pages / median, 1), "chars": chars}
        rows.append(row)
    if not rows:
        raise SystemExit("no born-digital PDF to measure")
    totals = {}
    pages = sum(r["pages"] for r in rows)
    for name in ("congvan", "pdfplumber", "pypdfium2"):
        seconds = sum(r[name]["median_s"] for r in rows)
        totals[name] = {"seconds": round(seconds, 3), "pages_per_s": round(pages / seconds, 1)}
    return {
        "files": rows, "skipped_not_born_digital": skipped, "pages": pages, "repeat": repeat,
        "total": totals,
        "congvan_vs_pypdfium2": round(totals["congvan"]["pages_per_s"] / totals["pypdfium2"]["pages_per_s"], 4),
        "congvan_vs_pdfplumber": round(totals["congvan"]["pages_per_s"] / totals["pdfplumber"]["pages_per_s"], 3),
        "python": platform.python_version(), "versions": _versions(),
    }


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("pdfplumber", "pdfminer.six", "pypdfium2"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


def render(r: dict) -> str:
    header = ("file", "pages", "congvan p/s", "pdfplumber p/s", "pypdfium2 p/s")
    rows = [header] + [(f["file"][:48], str(f["pages"]), f"{f['congvan']['pages_per_s']:.1f}",
                        f"{f['pdfplumber']['pages_per_s']:.1f}", f"{f['pypdfium2']['pages_per_s']:.1f}")
                       for f in r["files"]]
    t = r["total"]
    rows.append(("all", str(r["pages"]), f"{t['congvan']['pages_per_s']:.1f}",
                 f"{t['pdfplumber']['pages_per_s']:.1f}", f"{t['pypdfium2']['pages_per_s']:.1f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [f"{len(r['files'])} born-digital PDFs, {r['pages']} pages, median of {r['repeat']} runs"]
    lines += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
              for row in rows]
    lines.append(f"congvan ÷ pypdfium2 pages/s = {r['congvan_vs_pypdfium2']:.4f} "
                 f"(pypdfium2 is {1 / r['congvan_vs_pypdfium2']:.0f}× faster, without layout or positions); "
                 f"congvan ÷ pdfplumber extract_text = {r['congvan_vs_pdfplumber']:.2f}")
    if r["skipped_not_born_digital"]:
        lines.append("left out (a page without a text layer): " + ", ".join(r["skipped_not_born_digital"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_FILES],
                        help=f"PDF files or folders (default {DEFAULT_FILES})")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (median)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        parser.error(f"{missing[0]}: no such file or folder")
    result = run(args.paths, max(1, args.repeat))
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else render(result))


if __name__ == "__main__":
    main()
