"""A time budget for reading one document, whatever its format.

Each step already has a limit of its own (a Tesseract call, the text layer, a LibreOffice
conversion); a 500-page scan could still take hours within them. `read()` opens a `Budget` for
the file (CONGVAN_READ_TIMEOUT seconds, default 600) and the readers check it between pages and
cut each subprocess's own limit to the time left. Past the budget, reading stops with a
`ReadError` that names the file and the limit.

The budget in force lives in a context variable; code that hands pages to worker threads takes
it with `current()` first and passes it along (threads do not inherit the context).
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pipeline.read.errors import ReadError

DEFAULT_READ_TIMEOUT_S = 600.0


def read_timeout_s() -> float:
    """CONGVAN_READ_TIMEOUT (seconds for reading one document), read when a document starts."""
    try:
        value = float(os.environ.get("CONGVAN_READ_TIMEOUT", DEFAULT_READ_TIMEOUT_S))
    except ValueError:
        return DEFAULT_READ_TIMEOUT_S
    return value if value > 0 else DEFAULT_READ_TIMEOUT_S


@dataclass(frozen=True)
class Budget:
    path: str
    limit_s: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.limit_s - (time.monotonic() - self.started)

    def error(self, doing: str) -> ReadError:
        return ReadError(self.path, f"reading stopped: over the {self.limit_s:g} s limit for one document "
                                    f"(CONGVAN_READ_TIMEOUT) while {doing}")

    def check(self, doing: str) -> None:
        if self.remaining() <= 0:
            raise self.error(doing)

    def cap(self, seconds: float) -> float:
        """A step's own time limit, cut to the time left (never below a tenth of a second)."""
        return max(0.1, min(seconds, self.remaining()))


_current: ContextVar[Budget | None] = ContextVar("congvan_read_budget", default=None)


@contextmanager
def budget(path: Path | str, limit_s: float | None = None) -> Iterator[Budget]:
    """The budget for reading `path`, in force inside the block (an outer one stays if tighter)."""
    outer = _current.get()
    mine = Budget(str(path), read_timeout_s() if limit_s is None else limit_s)
    if outer is not None and outer.remaining() < mine.remaining():
        mine = outer
    token = _current.set(mine)
    try:
        yield mine
    finally:
        _current.reset(token)


def current() -> Budget | None:
    return _current.get()


def check(doing: str) -> None:
    """Raise the budget's ReadError if the time for this document is spent."""
    found = _current.get()
    if found is not None:
        found.check(doing)


def cap(seconds: float) -> float:
    found = _current.get()
    return seconds if found is None else found.cap(seconds)
