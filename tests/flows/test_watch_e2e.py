"""End to end: a real `congvan watch` process and 50 files arriving at once, slowly, twice, broken."""
from __future__ import annotations

import threading

from flowkit import (IGNORED_DROPPINGS, archived, check_accounted, drop_set, inbox_files, quarantined,
                      start_watcher, stop, wait_for, write_slowly)

SLOW = 6          # good files copied in chunks over ~2 s, longer than the 1 s delay
RENAMED = 2       # good files written as NAME.part, renamed when complete


def test_fifty_files_each_stored_once_or_quarantined_none_lost(tmp_path):
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    inbox.mkdir()
    drops = drop_set()
    assert len(drops) == 50
    slow, renamed = drops[:SLOW], drops[SLOW:SLOW + RENAMED]
    at_once = drops[SLOW + RENAMED:]
    half = len(at_once) // 2
    for d in at_once[:half]:  # already waiting when the watcher starts
        (inbox / d.name).write_bytes(d.data)
    for name, data in IGNORED_DROPPINGS.items():
        (inbox / name).write_bytes(data)
    log = tmp_path / "watch.log"
    watcher = start_watcher(inbox, home, "--delay", "1", "--workers", "2", log=log)
    try:
        (inbox / "sub").mkdir()  # a folder dropped too: its files are taken
        for d in at_once[half:]:
            target = inbox / "sub" / d.name if d.name.startswith("kh-") else inbox / d.name
            target.write_bytes(d.data)
        threads = [threading.Thread(target=write_slowly, args=(inbox / d.name, d.data)) for d in slow]
        for t in threads:
            t.start()
        for d in renamed:
            write_slowly(inbox / (d.name + ".part"), d.data, chunks=3, pause=0.6)
            (inbox / (d.name + ".part")).rename(inbox / d.name)
        for t in threads:
            t.join()
        wait_for(lambda: not inbox_files(inbox) and log.read_text().count("\n") >= 51, 150,
                 "the inbox to empty", watcher, log)
    finally:
        code = stop(watcher)
    assert code == 0, log.read_text()
    lines = [line.split("\t") for line in log.read_text().splitlines() if "\t" in line]
    taken = [line[3].rsplit("/", 1)[-1] for line in lines]
    assert sorted(taken) == sorted(d.name for d in drops), "each file taken exactly once"
    assert {line[0] for line in lines} <= {"archived", "quarantined"}
    check_accounted(home, drops)
    assert {p.name for p in inbox.iterdir() if p.is_file()} == set(IGNORED_DROPPINGS), "ignored files untouched"
    slow_shas = {d.sha256 for d in slow + renamed}
    assert slow_shas <= set(archived(home)), "slow copies archived whole, never a partial copy"
    reasons = {info["file"]: info["reason"] for info in quarantined(home).values()}
    assert "empty file" in reasons["rong.txt"] and "PDF" in reasons["cut.pdf"], reasons
