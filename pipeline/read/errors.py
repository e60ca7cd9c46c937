"""The one exception readers raise: the file and the reason, in one line."""
from __future__ import annotations

from pathlib import Path


class ReadError(Exception):
    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason
