"""Reviewed dispatches as evaluation data: the gold format of CONTRACT §2, from what officers confirmed.

`export_gold(session, out)` writes, for every dispatch an officer approved:

    out/gold/<id>_<slug>.json      the reviewed record as gold (tasks as anchors with deadlines)
    out/text/<id>_<slug>.txt       the text the spans and anchors refer to
    out/machine/<id>_<slug>.json   the record as the machine extracted it, before any correction

so `congvan evaluate out/gold` scores today's extractor on the office's own documents, and
`congvan evaluate out/gold --predictions out/machine` scores the extraction the officers corrected.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.evaluate import score_key
from pipeline.store.gate import MACHINE_ACTORS
from pipeline.store.models import Dispatch, ReviewStatus
from pipeline.vntext import fold

SCALARS = ("doc_type", "number", "issued_date", "place", "issuer", "parent_issuer", "subject", "urgency")
ANCHOR_WORDS = (5, 15)   # CONTRACT §2: an anchor is 5–15 words of the task's text
ANCHOR_START = 8         # the shortest window tried first, when the task is that long


def _unique(window: str, texts: list[str], own: int) -> bool:
    key = score_key(window)
    return bool(key) and all(key not in t for i, t in enumerate(texts) if i != own)


def anchor(text: str, others: list[str], own: int) -> str:
    """A verbatim piece of 5–15 words of `text` found in no other task of the document (the first
    such window, shortest first); the whole text when it is short, its first 15 words at worst."""
    words = text.split()
    low, high = ANCHOR_WORDS
    if len(words) <= high:
        return " ".join(words)
    keys = [score_key(t) for t in others]
    for size in range(min(ANCHOR_START, len(words)), high + 1):
        for start in range(0, len(words) - size + 1):
            window = " ".join(words[start:start + size])
            if _unique(window, keys, own):
                return window
    return " ".join(words[:high])


def gold_record(record: dict) -> dict:
    """The gold object of a (reviewed) CONTRACT record."""
    gold: dict = {key: record.get(key) for key in SCALARS}
    signer = record.get("signer") or {}
    gold["signer"] = {k: signer.get(k) for k in ("name", "title", "authority")} if signer else None
    gold["recipients"] = [{k: r.get(k) for k in ("name", "role", "purpose") if r.get(k) is not None}
                          for r in record.get("recipients") or []]
    gold["references"] = [{k: r.get(k) for k in ("doc_type", "number", "date", "issuer", "title")}
                          for r in record.get("references") or []]
    tasks = record.get("tasks") or []
    texts = [t.get("text") or "" for t in tasks]
    gold["tasks"] = [{"anchor": anchor(text, texts, i),
                      "deadline": {"date": (t.get("deadline") or {}).get("date"),
                                   "recurrence": (t.get("deadline") or {}).get("recurrence")},
                      "optional": False}
                     for i, (t, text) in enumerate(zip(tasks, texts))]
    return gold


def slug(row: Dispatch) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", fold(" ".join(filter(None, [row.doc_type, row.number]))).lower())
    return f"{row.id:05d}_{words.strip('-')[:60] or 'dispatch'}"


@dataclass(frozen=True)
class Exported:
    dispatch_id: int
    stem: str
    tasks: int


def reviewed(session: Session) -> Iterable[Dispatch]:
    """Dispatches an officer approved (the gate's own approvals are not gold: nobody checked them)."""
    return session.scalars(select(Dispatch).where(Dispatch.review_status == ReviewStatus.approved.value,
                                                  Dispatch.reviewed_by.not_in(MACHINE_ACTORS))
                           .order_by(Dispatch.id))


def _write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def export_gold(session: Session, out: Path | str, ids: Optional[list[int]] = None) -> list[Exported]:
    out, done = Path(out), []
    for row in reviewed(session):
        if ids is not None and row.id not in ids:
            continue
        stem = slug(row)
        gold = gold_record(row.record)
        _write(out / "gold" / f"{stem}.json", gold)
        _write(out / "text" / f"{stem}.txt", row.text)
        _write(out / "machine" / f"{stem}.json", row.machine_record or row.record)
        done.append(Exported(row.id, stem, len(gold["tasks"])))
    return done
