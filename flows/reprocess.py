"""Re-extract archived originals with the current readers and extractors (on demand): every
stored file made by another extractor version (all with `force`), one task each; dispatches whose
original is not at hand are re-extracted from their stored text."""
from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.common import retry_transient, store
from pipeline.intake import ArchivedSource, archived_sources, reextract_archived


@task(name="reextract", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_transient,
      cache_policy=NO_CACHE, task_run_name="reextract {item.path}")
def reextract(item: ArchivedSource) -> dict:
    result = reextract_archived(store(), item)
    return asdict(result) | {"outcome": result.outcome.value}


@flow(name="reprocess")
def reprocess(force: bool = False) -> dict:
    from pipeline.ingest import reprocess as from_stored_text

    items = archived_sources(store(), force=force)
    results = [f.result() for f in reextract.map(items)] if items else []
    rest = [] if force else [asdict(r) | {"outcome": r.outcome.value} for r in from_stored_text(store())]
    counts: dict[str, int] = {}
    for r in results + rest:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    get_run_logger().info("reprocess: %d archived originals, %d from stored text: %s", len(results), len(rest), counts)
    return {"archived": len(results), "from_text": len(rest), "counts": counts}
