"""SIGKILL in the middle of a batch, then a restart: no duplicates, no lost files."""
from __future__ import annotations

import os
import signal
import time

import psutil

from flowkit import archived, check_accounted, drop_set, inbox_files, start_watcher, stop, wait_for


def _children(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_sigkill_mid_batch_then_restart_loses_and_duplicates_nothing(tmp_path):
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    inbox.mkdir()
    drops = drop_set(goods=60, duplicates=10, dup_docs=2)
    for d in drops:
        (inbox / d.name).write_bytes(d.data)
    for round_ in range(2):  # killed twice, at different points of the batch
        log = tmp_path / f"watch-{round_}.log"
        before = len(archived(home)) if (home / "archive").exists() else 0
        watcher = start_watcher(inbox, home, "--delay", "0.3", "--workers", "2", log=log)
        wait_for(lambda: (home / "archive").exists() and len(archived(home)) >= before + 8 + 5 * round_, 120,
                 "part of the batch to be archived", watcher, log)
        workers = _children(watcher.pid)
        os.kill(watcher.pid, signal.SIGKILL)  # the watcher only: its pool must die with it
        watcher.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in workers) \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE], \
            "pool processes outlived the killed watcher"
        assert inbox_files(inbox), "killed before the end of the batch"
    log = tmp_path / "watch-final.log"
    watcher = start_watcher(inbox, home, "--delay", "0.3", "--workers", "2", "--once", log=log)
    wait_for(lambda: watcher.poll() is not None, 180, "the restarted watcher to finish", watcher, log)
    assert stop(watcher) == 0, log.read_text()
    assert not inbox_files(inbox)
    check_accounted(home, drops)
