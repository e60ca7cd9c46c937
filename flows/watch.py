"""The watched folder under Prefect: `watch-inbox` re-lists the inbox and takes every settled file.

`congvan serve` runs it every CONGVAN_WATCH_INTERVAL seconds and, through `EventTrigger`, soon
after native file events (or polling, for network shares): an event only starts a run, which
re-lists the inbox; it never names the file to take.

On a work pool (`congvan serve --pool NAME`), `fan_out` makes watch-inbox start one `ingest-file`
flow run per settled file instead, so that every worker of the pool takes files. Each run's
idempotency key is the file, its size and mtime and a 10-minute window: a file listed again by the
next watch-inbox run while its run is pending is not submitted twice; one still there ten minutes
later (its run failed on a transient fault) is submitted again.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

from prefect import flow, get_run_logger

from flows.common import settings
from flows.ingest import ingest_folder, task_runner
from pipeline.intake import settled_files, signature

RESUBMIT_AFTER = 600  # seconds


@flow(name="watch-inbox")
def watch_inbox(delay: Optional[float] = None, fan_out: bool = False) -> dict:
    """Take every file of the inbox whose size and mtime have held for `delay` seconds (with
    `fan_out`, start an ingest-file run for each instead)."""
    if not fan_out:
        return ingest_folder.with_options(task_runner=task_runner())(None, True, delay)
    from prefect.deployments import run_deployment

    s = settings()
    files = settled_files(s.inbox, s.stable_delay if delay is None else delay)
    window = int(time.time() // RESUBMIT_AFTER)
    for path in files:
        sig = signature(path)
        if sig is None:
            continue
        run_deployment("ingest-file/ingest-file", parameters={"path": str(path), "delay": 0}, timeout=0,
                       idempotency_key=f"{path}:{sig.size}:{sig.mtime_ns}:{window}", as_subflow=False)
    get_run_logger().info("watch-inbox: %d ingest-file runs submitted", len(files))
    return {"files": len(files), "submitted": [str(p) for p in files]}


class EventTrigger:
    """File events in the inbox start `trigger()` once they have been quiet for `quiet` seconds,
    at most once per `quiet` seconds (a burst of copies is one run)."""

    def __init__(self, trigger: Callable[[], None], quiet: float, poll: bool = False):
        self.trigger, self.quiet, self.poll = trigger, quiet, poll
        self.changed, self.stop = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._loop, name="congvan-inbox-events", daemon=True)

    def start(self) -> EventTrigger:
        from pipeline.watch import make_observer

        s = settings()
        s.inbox.mkdir(parents=True, exist_ok=True)
        self.observer = make_observer(s.inbox, self.changed, self.poll, s.poll_interval)
        self.observer.start()
        self.thread.start()
        return self

    def _loop(self) -> None:
        while not self.stop.is_set():
            if not self.changed.wait(timeout=1.0):
                continue
            while self.changed.is_set() and not self.stop.is_set():  # wait for the burst to settle
                self.changed.clear()
                time.sleep(self.quiet)
            try:
                self.trigger()
            except Exception as exc:  # the interval schedule still re-lists the inbox
                print(f"watch: could not start a watch-inbox run ({type(exc).__name__}: {exc})")

    def close(self) -> None:
        self.stop.set()
        self.observer.stop()
