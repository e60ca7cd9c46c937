"""How well the review gate's threshold separates right extractions from wrong ones, on the gold corpus.

For each threshold: how many documents the gate would approve without an officer, and how many of
those have an error the evaluation finds (a wrong header field, a missed or spurious task, a wrong
deadline) — the errors that would reach schools unreviewed.

    .venv/bin/python benchmarks/gate.py [../shared/corpus/gold]
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.evaluate import ListCount, ScalarCount, load_gold, score_document, text_path_for
from pipeline.extract import extract_file
from pipeline.store.gate import record_confidence

THRESHOLDS = (0.0, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def errors(counts: dict) -> int:
    n = 0
    for count in counts.values():
        if isinstance(count, ScalarCount):
            n += count.total - count.right
        elif isinstance(count, ListCount):
            n += (count.n_pred - count.tp) + (count.n_gold - count.tp)
    return n


def main(gold_dir: Path) -> None:
    rows = []
    for stem, gold in load_gold(gold_dir).items():
        record = extract_file(text_path_for(gold_dir / f"{stem}.json"))
        score = score_document(record.contract_json(), gold)
        rows.append((stem, record_confidence(record) or 0.0, errors(score.counts)))
    print(f"{len(rows)} documents; {sum(1 for r in rows if r[2] == 0)} extracted without any error")
    print(f"{'threshold':>9} {'approved':>9} {'of them wrong':>14} {'errors sent':>12} {'to review':>10}")
    for t in THRESHOLDS:
        approved = [r for r in rows if r[1] >= t]
        wrong = [r for r in approved if r[2]]
        print(f"{t:>9.2f} {len(approved):>9} {len(wrong):>14} {sum(r[2] for r in wrong):>12} "
              f"{len(rows) - len(approved):>10}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/corpus/gold")
