"""The watched folder without a Prefect server: `congvan watch INBOX`.

Native file events (watchdog's inotify/FSEvents/ReadDirectoryChanges observer), or a polling
observer for network shares (`poll=True`). An event never names the file to take: it only wakes
the loop, which re-lists the inbox (`intake.stable_files`), so a missed, merged or out-of-order
event changes nothing. The inbox is also re-listed every `rescan` seconds without any event, and
every half-delay while a file is still settling. Files already waiting are taken at start.

A backlog is ingested by `workers` processes (each loads the language models once); with one
worker the files are taken in this process. Pool processes die with the watcher (Linux
PR_SET_PDEATHSIG), so a killed watcher leaves no orphan moving files behind its successor.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Optional

from pipeline.intake import Action, IntakeResult, Stability, list_inbox, take_with_retries
from pipeline.settings import Settings


@dataclass
class WatchStats:
    taken: int = 0
    by_action: dict[str, int] = field(default_factory=dict)

    def add(self, result: IntakeResult) -> None:
        self.taken += 1
        self.by_action[result.action.value] = self.by_action.get(result.action.value, 0) + 1


def _die_with_parent() -> None:
    """Pool initializer: on Linux, the kernel kills this process when the watcher dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the watcher, which stops the pool


def take_one(path: str, archive: str, quarantine: str, tz: str = "Asia/Ho_Chi_Minh") -> IntakeResult:
    """Take one inbox file in this process, with the store named by the environment (archived
    under the year and month of `tz`)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from pipeline.store import default_store

    return take_with_retries(Path(path), default_store(), archive=Path(archive), quarantine_dir=Path(quarantine),
                             now=lambda: datetime.now(ZoneInfo(tz)))


class _Wake:
    """A watchdog handler: any event only wakes the loop, which re-lists the inbox."""

    def __init__(self, event: threading.Event):
        self.event = event

    def dispatch(self, _event) -> None:
        self.event.set()


def make_observer(inbox: Path, wake: threading.Event, poll: bool, poll_interval: float):
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    observer = PollingObserver(timeout=poll_interval) if poll else Observer()
    observer.schedule(_Wake(wake), str(inbox), recursive=True)
    return observer


def watch(settings: Settings, *, poll: bool = False, once: bool = False,
          stop: Optional[threading.Event] = None, report: Callable[[IntakeResult], None] = lambda r: None,
          rescan: float = 30.0) -> WatchStats:
    """Watch `settings.inbox` until `stop` is set (or, with `once`, until it is empty)."""
    for folder in (settings.inbox, settings.archive, settings.quarantine):
        folder.mkdir(parents=True, exist_ok=True)
    stop, wake, stats = stop or threading.Event(), threading.Event(), WatchStats()
    tracker, inflight = Stability(settings.stable_delay), {}
    pool = _new_pool(settings.workers)
    observer = make_observer(settings.inbox, wake, poll, settings.poll_interval)
    observer.start()
    args = (str(settings.archive), str(settings.quarantine), settings.timezone)
    try:
        wake.set()  # the files already waiting
        while not stop.is_set():
            settling = tracker.waiting or inflight
            _sleep(wake, stop, max(0.1, min(settings.stable_delay / 2, 1.0)) if settling else rescan)
            wake.clear()
            for path in [p for p, f in inflight.items() if f.done()]:
                result = _result(inflight.pop(path))
                if result is None:  # the worker died: the file is still in the inbox
                    pool = _renew(pool, settings.workers)
                    continue
                stats.add(result)
                report(result)
            listing = {p: s for p, s in list_inbox(settings.inbox).items() if p not in inflight}
            for path in tracker.observe(listing, time.monotonic()):
                tracker.forget(path)
                if pool is None:
                    result = take_one(str(path), *args)
                    stats.add(result)
                    report(result)
                    wake.set()  # re-list at once: more may have settled meanwhile
                    if stop.is_set():
                        break
                else:
                    inflight[path] = pool.submit(take_one, str(path), *args)
            if once and not listing and not inflight:
                break
        for path, future in inflight.items():  # a graceful stop finishes what was started
            result = _result(future)
            if result is not None:
                stats.add(result)
                report(result)
    finally:
        logging.getLogger("watchdog.observers.inotify").setLevel(logging.CRITICAL)  # a benign race on stop
        observer.stop()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        observer.join(timeout=5)
    return stats


def _sleep(wake: threading.Event, stop: threading.Event, timeout: float) -> None:
    """Wait for a file event, a stop or the timeout. A signal handler can only set `stop`, and an
    Event.wait is resumed after the handler runs, so the wait is cut in short slices."""
    deadline = time.monotonic() + timeout
    while not stop.is_set() and not wake.wait(min(0.25, max(0.0, deadline - time.monotonic()))):
        if time.monotonic() >= deadline:
            return


def _new_pool(workers: int) -> Optional[ProcessPoolExecutor]:
    if workers <= 1:
        return None
    return ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_die_with_parent)


def _renew(pool: Optional[ProcessPoolExecutor], workers: int) -> Optional[ProcessPoolExecutor]:
    """A pool whose process died is broken for good: replace it."""
    if pool is not None and getattr(pool, "_broken", False):
        pool.shutdown(wait=False, cancel_futures=True)
        return _new_pool(workers)
    return pool


def _result(future: Future) -> Optional[IntakeResult]:
    try:
        return future.result()
    except Exception as exc:
        sys.stderr.write(f"watch: a worker failed ({type(exc).__name__}: {exc}); the file stays in the inbox\n")
        return None


def format_result(r: IntakeResult) -> str:
    """One tab-separated line: action, ingest outcome, dispatch, file, where it went or why."""
    where = f"#{r.dispatch_id}" if r.dispatch_id else "-"
    detail = r.destination or ""
    if r.reason and r.action is not Action.archived:
        detail = f"{detail} ({r.step or '?'}: {r.reason})" if detail else f"{r.step or '?'}: {r.reason}"
    return f"{r.action.value}\t{r.outcome or '-'}\t{where}\t{r.path}\t{detail}"
