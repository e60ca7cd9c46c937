"""ingest_file and ingest_folder: read → extract → store one file per task, then archive or
quarantine it (`move`). Retries only for transient faults; a backlog runs on a process pool
(`CONGVAN_TASK_RUNNER=process`, the default: OCR and extraction are CPU-bound) or threads."""
from __future__ import annotations

import os
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows.common import retry_transient, settings, store
from pipeline.intake import settled_files, take_file, wait_stable


@task(name="take-file", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=retry_transient,
      cache_policy=NO_CACHE, task_run_name="take {path}")
def take(path: str, move: bool = True) -> dict:
    """One file: its record committed, then (with `move`) archived or quarantined."""
    from pipeline.ingest import ingest_path

    s = settings()
    if not move:
        result = ingest_path(Path(path), store())
        return {"path": path, "action": "kept", "outcome": result.outcome.value, "dispatch_id": result.dispatch_id,
                "reason": result.reason, "step": result.step}
    result = take_file(Path(path), store(), archive=s.archive, quarantine_dir=s.quarantine,
                       now=lambda: datetime.now(ZoneInfo(s.timezone)))
    return asdict(result) | {"action": result.action.value}


def task_runner():
    """The process pool for a backlog (`CONGVAN_TASK_RUNNER=thread` for threads)."""
    workers = settings().workers
    if os.environ.get("CONGVAN_TASK_RUNNER", "process") == "thread":
        return ThreadPoolTaskRunner(max_workers=workers)
    return ProcessPoolTaskRunner(max_workers=workers)


def _summary(results: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for r in results:
        key = f"{r['action']}:{r.get('outcome') or '-'}"
        counts[key] = counts.get(key, 0) + 1
    return {"files": len(results), "counts": counts, "results": results}


@flow(name="ingest-file", log_prints=True)
def ingest_file(path: str, move: bool = True, delay: Optional[float] = None) -> dict:
    """One file, taken once its size and mtime have held for `delay` seconds."""
    wait_stable(Path(path), settings().stable_delay if delay is None else delay)
    return take(path, move)


@flow(name="ingest-folder", task_runner=ThreadPoolTaskRunner(max_workers=2))
def ingest_folder(folder: Optional[str] = None, move: bool = True, delay: Optional[float] = None) -> dict:
    """Every settled file of a folder (default: the inbox), one task each. Re-lists the folder
    itself: a trigger only says that something changed, never which file to take."""
    s = settings()
    inbox = Path(folder) if folder else s.inbox
    files = settled_files(inbox, s.stable_delay if delay is None else delay)
    futures = [take.submit(str(p), move) for p in files]
    results = []
    for path, future in zip(files, futures):
        future.wait()
        if future.state.is_completed():
            results.append(future.result())
        else:  # transient faults outlived the retries: the file stays in the inbox for the next run
            results.append({"path": str(path), "action": "left", "outcome": None,
                            "reason": str(future.state.message)})
    summary = _summary(results)
    get_run_logger().info("ingest-folder %s: %s", inbox, summary["counts"])
    return summary
