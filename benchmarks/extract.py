"""Extraction speed on the dev corpus, against underthesea's word_tokenize as a yardstick.

    .venv/bin/python benchmarks/extract.py [TEXT_DIR] [--repeat 3] [--json]

In one process: read every `*.txt` of TEXT_DIR (default: the shared corpus beside the checkout),
time the first extraction and the first `word_tokenize` apart (model loading), then time full
extraction (`pipeline.extract.extract_text`) and `underthesea.word_tokenize` over the whole text of
each document, each `--repeat` times, and report the medians, their ratio and the peak RSS.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = REPO.parent / "shared" / "corpus" / "text"


@dataclass(frozen=True)
class Throughput:
    runs_s: list[float]
    median_s: float
    kb_per_s: float
    docs_per_s: float
    failures: int


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def load_texts(folder: Path) -> list[tuple[Path, str]]:
    from pipeline.read import ReadError, read

    texts = []
    for path in sorted(folder.glob("*.txt")):
        try:
            texts.append((path, read(path).text))
        except ReadError as exc:
            print(f"skipped {exc}", file=sys.stderr)
    return texts


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def one_pass(fn: Callable[[str], object], texts: list[str]) -> tuple[float, int]:
    """Seconds to run `fn` over every text, and how many raised (they count in the time)."""
    failures = 0
    start = time.perf_counter()
    for text in texts:
        try:
            fn(text)
        except Exception:  # a crash on one document must not end the benchmark
            failures += 1
    return time.perf_counter() - start, failures


def measure(fn: Callable[[str], object], texts: list[str], repeat: int) -> Throughput:
    runs = [one_pass(fn, texts) for _ in range(repeat)]
    seconds = [s for s, _ in runs]
    median = statistics.median(seconds)
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    return Throughput(seconds, median, kb / median, len(texts) / median, max(f for _, f in runs))


def run(folder: Path, repeat: int) -> dict:
    start = time.perf_counter()
    docs = load_texts(folder)
    if not docs:
        raise SystemExit(f"no readable *.txt in {folder}")
    texts = [text for _, text in docs]
    read_s = time.perf_counter() - start

    def load_extract():
        from pipeline.extract import extract_text

        extract_text(texts[0])

    warm_extract = timed(load_extract)
    from pipeline.extract import extract_text

    extract = measure(extract_text, texts, repeat)
    rss_after_extract = peak_rss_mb()

    def load_underthesea():
        from underthesea import word_tokenize

        word_tokenize(texts[0])

    warm_tokenize = timed(load_underthesea)
    from underthesea import word_tokenize

    tokenize = measure(word_tokenize, texts, repeat)
    return {
        "texts": str(folder),
        "documents": len(texts),
        "kb": round(sum(len(t.encode("utf-8")) for t in texts) / 1024, 1),
        "repeat": repeat,
        "read_s": round(read_s, 3),
        "warmup_s": {"extract_text": round(warm_extract, 3), "word_tokenize": round(warm_tokenize, 3)},
        "extract_text": _rounded(extract),
        "word_tokenize": _rounded(tokenize),
        "ratio_kb_per_s": round(extract.kb_per_s / tokenize.kb_per_s, 3),
        "peak_rss_mb": {"after_extract": round(rss_after_extract, 1), "total": round(peak_rss_mb(), 1)},
        "python": platform.python_version(),
        "underthesea": _version("underthesea"),
    }


def _rounded(t: Throughput) -> dict:
    d = asdict(t)
    d["runs_s"] = [round(s, 3) for s in t.runs_s]
    for key in ("median_s", "kb_per_s", "docs_per_s"):
        d[key] = round(d[key], 3 if key == "median_s" else 1)
    return d


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def render(r: dict) -> str:
    rows = [("", "median s", "KB/s", "docs/s", "warm-up s", "failures")]
    for key in ("extract_text", "word_tokenize"):
        t = r[key]
        rows.append((key, f"{t['median_s']:.3f}", f"{t['kb_per_s']:.1f}", f"{t['docs_per_s']:.1f}",
                     f"{r['warmup_s'][key]:.3f}", str(t["failures"])))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"{r['documents']} documents, {r['kb']} KB, median of {r['repeat']} runs ({r['texts']})"]
    lines += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
              for row in rows]
    lines.append(f"extract KB/s ÷ word_tokenize KB/s = {r['ratio_kb_per_s']:.3f}")
    lines.append(f"peak RSS: {r['peak_rss_mb']['after_extract']:.1f} MB after extraction, "
                 f"{r['peak_rss_mb']['total']:.1f} MB in all")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="?", type=Path, default=DEFAULT_TEXTS,
                        help=f"folder of *.txt dispatches (default {DEFAULT_TEXTS})")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (median)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not args.texts.is_dir():
        parser.error(f"{args.texts}: not a folder")
    result = run(args.texts, max(1, args.repeat))
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else render(result))


if __name__ == "__main__":
    main()
