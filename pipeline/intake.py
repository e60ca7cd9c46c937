"""The watched folder's plain functions: which files to take, when, and where they go afterwards.

- A file is taken only once its size and mtime have not changed for `delay` seconds, seen by two
  scans at least `delay` apart (`Stability`); temporary and system files are never taken
  (`is_ignored`).
- `take_file` runs the crash-safe order: the file's record is committed in the store FIRST
  (`ingest_path`), then the original moves to `archive/YYYY/MM/<sha256>.<ext>` (the path is
  written to `source_files.archive_path` before the move), or, when it failed, to `quarantine/`
  beside `<name>.error.json` {file, path, sha256, reason, step, time}.
- After a crash anywhere in between, the file is still in the inbox (moves are atomic renames, or a
  copy renamed into place before the original is unlinked); taken again, its bytes are known to
  the store (`duplicate-bytes`), so it is only moved: a killed batch loses and duplicates nothing.
- Faults worth retrying (a locked or unreachable database, a busy network share) raise out of
  `take_file` (`is_transient` tells them apart) and the file stays where it is; any other failure
  quarantines the file with the step and the reason.
"""
from __future__ import annotations

import errno
import fnmatch
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import Callable, Iterable, Optional

# temporary and system files: Office lock files, partial downloads and copies, Finder and
# Explorer droppings, editor backups, hidden files (rsync and LibreOffice temporaries)
IGNORED_PATTERNS = ("~$*", "*.tmp", "*.part", "*.partial", "*.crdownload", "*.download", ".DS_Store",
                    "Thumbs.db", "desktop.ini", ".*", "*~", "*.swp", "*.error.json")
ERROR_SUFFIX = ".error.json"
COPY_SUFFIX = ".congvan-copy"  # a cross-device copy in progress, renamed into place when complete


def is_ignored(name: str) -> bool:
    """A temporary or system file name (case-insensitive): never taken from the inbox."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in IGNORED_PATTERNS)


# ------------------------------------------------------------------ stability

@dataclass(frozen=True)
class Signature:
    size: int
    mtime_ns: int


def signature(path: Path) -> Optional[Signature]:
    try:
        st = path.stat()
    except OSError:
        return None
    return Signature(st.st_size, st.st_mtime_ns)


def list_inbox(inbox: Path) -> dict[Path, Signature]:
    """Every file under the inbox (sub-folders too) that is not ignored, with its signature."""
    found: dict[Path, Signature] = {}
    for root, dirs, files in os.walk(inbox):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if is_ignored(name):
                continue
            path = Path(root) / name
            sig = signature(path)
            if sig is not None and os.path.isfile(path):
                found[path] = sig
    return found


class Stability:
    """Which files have kept the same size and mtime for `delay` seconds, scan after scan."""

    def __init__(self, delay: float):
        self.delay = delay
        self._seen: dict[Path, tuple[Signature, float]] = {}

    def observe(self, listing: dict[Path, Signature], now: float) -> list[Path]:
        """Record one scan made at `now` (monotonic seconds); the files stable since `delay` ago."""
        ready = []
        for path, sig in listing.items():
            old = self._seen.get(path)
            if old is None or old[0] != sig:
                self._seen[path] = (sig, now)
            elif now - old[1] >= self.delay:
                ready.append(path)
        for gone in set(self._seen) - set(listing):
            del self._seen[gone]
        return sorted(ready)

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    @property
    def waiting(self) -> int:
        return len(self._seen)


def stable_files(inbox: Path, delay: float, now: float, tracker: Stability) -> list[Path]:
    """Re-list the inbox into `tracker`; the files whose size and mtime have held for `delay`."""
    return tracker.observe(list_inbox(inbox), now)


def settled_files(inbox: Path, delay: float, sleep: Callable[[float], None] = time.sleep) -> list[Path]:
    """One-shot form for a scheduled run: list the inbox, wait `delay`, list again; the files
    unchanged in between (a file still being copied is left for the next run)."""
    first = list_inbox(inbox)
    if delay > 0 and first:
        sleep(delay)
    second = list_inbox(inbox)
    return sorted(path for path, sig in second.items() if first.get(path) == sig)


def wait_stable(path: Path, delay: float, poll: float = 0.2, timeout: Optional[float] = None) -> Signature:
    """Block until the file's size and mtime have held for `delay` seconds; its signature."""
    tracker, start = Stability(delay), time.monotonic()
    while True:
        sig = signature(path)
        if sig is None:
            raise FileNotFoundError(path)
        if tracker.observe({path: sig}, time.monotonic()):
            return sig
        if timeout is not None and time.monotonic() - start > timeout:
            raise TimeoutError(f"{path}: still changing after {timeout:.0f} s")
        time.sleep(min(poll, delay or poll))


# ------------------------------------------------------------------ hashing and moving

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_path(archive: Path, sha256: str, ext: str, when: datetime) -> Path:
    """archive/YYYY/MM/<sha256>.<ext> (extension lower-cased, without its dot; none: no suffix)."""
    ext = ext.lower().lstrip(".")
    return archive / f"{when:%Y}" / f"{when:%m}" / (f"{sha256}.{ext}" if ext else sha256)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def move_file(source: Path, target: Path) -> Path:
    """Move without ever losing the bytes: an atomic rename, or across devices a copy that is
    renamed into place before the source is unlinked. A target that exists already holds the same
    bytes (it is named by them, or was written by an earlier attempt): the source is then removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if target.stat().st_size != source.stat().st_size:
            raise FileExistsError(f"{target} exists with other contents than {source}")
        source.unlink()
        return target
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        partial = target.with_name(target.name + COPY_SUFFIX)
        with open(source, "rb") as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        shutil.copystat(source, partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
        source.unlink()
        return target
    _fsync_dir(target.parent)
    return target


def _free_name(folder: Path, name: str, sha256: Optional[str]) -> Path:
    """`folder/name`, or `stem-<sha8>[-n].ext` when that is taken (with its error file)."""
    candidate = folder / name
    stem, suffix, n = Path(name).stem, Path(name).suffix, 0
    while candidate.exists() or candidate.with_name(candidate.name + ERROR_SUFFIX).exists():
        n += 1
        tag = (sha256 or "x")[:8] + (f"-{n}" if n > 1 else "")
        candidate = folder / f"{stem}-{tag}{suffix}"
    return candidate


def _write_json(path: Path, data: dict) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def _reserve(folder: Path, name: str, sha256: Optional[str]) -> Path:
    """A free name in `folder`, claimed by creating its error record exclusively (two processes
    quarantining files of the same name at once never pick the same one)."""
    while True:
        target = _free_name(folder, name, sha256)
        try:
            with open(target.with_name(target.name + ERROR_SUFFIX), "x", encoding="utf-8"):
                return target
        except FileExistsError:
            continue


def quarantine(path: Path, reason: str, *, folder: Path, sha256: Optional[str] = None, step: str = "read",
               when: Optional[datetime] = None) -> Path:
    """Move a file that failed to `folder`, beside `<name>.error.json` naming the reason and step
    (written first: a crash in between leaves the file in the inbox, to be taken again)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = _reserve(folder, path.name, sha256)
    when = when or datetime.now(timezone.utc)
    _write_json(target.with_name(target.name + ERROR_SUFFIX),
                {"file": path.name, "path": str(path.absolute()), "sha256": sha256, "reason": reason,
                 "step": step, "time": when.isoformat(timespec="seconds"), "quarantined_as": target.name})
    return move_file(path, target)


def quarantined(folder: Path) -> list[tuple[Path, dict]]:
    """The quarantined files with their error records (a record whose file is gone is skipped)."""
    found = []
    for error_file in sorted(folder.glob("*" + ERROR_SUFFIX)) if folder.is_dir() else []:
        file = error_file.with_name(error_file.name[: -len(ERROR_SUFFIX)])
        try:
            info = json.loads(error_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        if file.exists():
            found.append((file, info))
    return found


def retry_quarantined(folder: Path, inbox: Path, names: Optional[Iterable[str]] = None) -> list[Path]:
    """Move quarantined files (all, or those named) back into the inbox under their original names,
    then drop their error records; the files in the inbox, in order."""
    wanted = set(names) if names is not None else None
    inbox.mkdir(parents=True, exist_ok=True)
    moved = []
    for file, info in quarantined(folder):
        if wanted is not None and file.name not in wanted and info.get("file") not in wanted:
            continue
        target = _free_name(inbox, info.get("file") or file.name, info.get("sha256"))
        move_file(file, target)
        file.with_name(file.name + ERROR_SUFFIX).unlink(missing_ok=True)
        moved.append(target)
    return moved


# ------------------------------------------------------------------ one file, start to end

class Action(StrEnum):
    archived = "archived"        # its record is committed; the original is in the archive
    quarantined = "quarantined"  # it failed; the original is in quarantine beside its error record
    left = "left"                # it changed while it was taken: left in the inbox for the next scan
    vanished = "vanished"        # it was gone before it could be taken


@dataclass(frozen=True)
class IntakeResult:
    path: str
    action: Action
    outcome: Optional[str] = None      # the ingest outcome (stored, duplicate-bytes, …, failed)
    destination: Optional[str] = None
    sha256: Optional[str] = None
    dispatch_id: Optional[int] = None
    reason: Optional[str] = None
    step: Optional[str] = None


def is_transient(exc: BaseException) -> bool:
    """A fault worth retrying: a locked, busy or unreachable database, a busy or stale share.
    Never a file that cannot be read (`ReadError`) or an extractor's bug."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, (TimeoutError, ConnectionError, BlockingIOError)):
        return True
    return isinstance(exc, OSError) and exc.errno in {errno.EBUSY, errno.EAGAIN, errno.ETIMEDOUT,
                                                       errno.ESTALE, errno.EINTR}


def _set_archive_path(store, sha256: str, target: Path) -> None:
    from pipeline.store import repository as repo

    with store.session() as session:
        row = repo.find_source(session, sha256)
        if row is not None and row.archive_path != str(target):
            row.archive_path = str(target)


def _recorded_archive(store, sha256: str) -> tuple[bool, Optional[Path]]:
    """(whether the store holds a committed record of these bytes, where they are archived)."""
    from pipeline.store import repository as repo

    with store.session() as session:
        row = repo.find_source(session, sha256)
        if row is None:
            return False, None
        return True, Path(row.archive_path) if row.archive_path else None


def _record_failure(store, path: Path, sha256: Optional[str], reason: str) -> None:
    """Best effort: an unexpected failure is recorded like an unreadable file."""
    from pipeline.store import repository as repo
    from pipeline.store.models import SourceStatus

    if sha256 is None:
        return
    try:
        with store.session() as session:
            row = repo.find_source(session, sha256)
            if row is None or row.status == SourceStatus.failed.value:
                repo.record_source(session, sha256=sha256, path=path, status=SourceStatus.failed,
                                   size=path.stat().st_size, error=reason)
    except Exception:  # the error record in quarantine names it anyway
        pass


def take_file(path: Path | str, store, *, archive: Path, quarantine_dir: Path,
              ingest: Optional[Callable] = None, now: Optional[Callable[[], datetime]] = None) -> IntakeResult:
    """Ingest one stable inbox file, then archive or quarantine it (see the module's docstring).
    Raises only transient faults (`is_transient`): the file is then still in the inbox."""
    from pipeline.ingest import Outcome, ingest_path

    path, ingest, now = Path(path), ingest or ingest_path, now or (lambda: datetime.now(timezone.utc))
    before = signature(path)
    if before is None:
        return IntakeResult(str(path), Action.vanished)
    sha256 = None
    try:
        sha256 = sha256_file(path)
        result = ingest(path, store)
        if signature(path) != before:
            return IntakeResult(str(path), Action.left, result.outcome.value, sha256=sha256,
                                reason="changed while it was taken")
        if result.outcome is Outcome.failed:
            target = quarantine(path, result.reason or "failed", folder=quarantine_dir, sha256=sha256,
                                step=result.step or "read", when=now())
            return IntakeResult(str(path), Action.quarantined, result.outcome.value, str(target), sha256,
                                result.dispatch_id, result.reason, result.step or "read")
        known, recorded = _recorded_archive(store, sha256)
        if not known:  # its bytes changed between hashing and reading: take it again next scan
            return IntakeResult(str(path), Action.left, result.outcome.value, sha256=sha256,
                                reason="changed while it was taken")
        target = recorded or archive_path(archive, sha256, path.suffix, now())
        _set_archive_path(store, sha256, target)  # committed before the move
        move_file(path, target)
        return IntakeResult(str(path), Action.archived, result.outcome.value, str(target), sha256,
                            result.dispatch_id, result.reason)
    except FileNotFoundError:
        if not path.exists():
            return IntakeResult(str(path), Action.vanished, sha256=sha256)
        raise
    except Exception as exc:
        if is_transient(exc):
            raise
        if not path.exists():
            return IntakeResult(str(path), Action.vanished, sha256=sha256)
        reason = f"{type(exc).__name__}: {exc}"
        _record_failure(store, path, sha256, reason)
        target = quarantine(path, reason, folder=quarantine_dir, sha256=sha256, step="intake", when=now())
        return IntakeResult(str(path), Action.quarantined, "failed", str(target), sha256, reason=reason,
                            step="intake")


def take_with_retries(path: Path | str, store, *, attempts: int = 3, delays: tuple[float, ...] = (1.0, 5.0),
                      **kwargs) -> IntakeResult:
    """`take_file`, retrying transient faults; after the last attempt the file is left in the inbox."""
    for attempt in range(attempts):
        try:
            return take_file(path, store, **kwargs)
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt == attempts - 1:
                return IntakeResult(str(path), Action.left, reason=f"{type(exc).__name__}: {exc}",
                                    step="transient")
            time.sleep(delays[min(attempt, len(delays) - 1)])
    raise AssertionError("unreachable")


# ------------------------------------------------------------------ re-reading archived originals

@dataclass(frozen=True)
class ArchivedSource:
    source_id: int
    dispatch_id: int
    sha256: str
    path: str


def archived_sources(store, *, force: bool = False, version: Optional[str] = None) -> list[ArchivedSource]:
    """The stored files whose original is at hand (archived, or still where it was read), made by
    another extractor version (every one with `force`)."""
    from sqlalchemy import select

    from pipeline.ingest import extractor_version
    from pipeline.store.models import Dispatch, SourceFile, SourceStatus

    version = version or extractor_version()
    with store.session() as session:
        rows = session.execute(select(SourceFile, Dispatch.extractor_version).join(
            Dispatch, Dispatch.id == SourceFile.dispatch_id).where(
            SourceFile.status == SourceStatus.stored.value).order_by(SourceFile.id)).all()
    found = []
    for source, made_by in rows:
        if not force and made_by == version:
            continue
        for candidate in (source.archive_path, source.path):
            if candidate and Path(candidate).is_file():
                found.append(ArchivedSource(source.id, source.dispatch_id, source.sha256, candidate))
                break
    return found


def reextract_archived(store, item: ArchivedSource, *, version: Optional[str] = None):
    """Read the original again and replace its dispatch's extraction (one transaction; unchanged
    tasks keep their status). An `IngestResult`: reprocessed, or failed with the reason."""
    from pipeline.extract import extract_document
    from pipeline.ingest import IngestResult, Outcome, extractor_version
    from pipeline.read import ReadError, read
    from pipeline.store import repository as repo
    from pipeline.store.models import Dispatch

    version = version or extractor_version()
    try:
        document = read(Path(item.path))
        if document.source.sha256 != item.sha256:
            raise ReadError(item.path, "the archived file's bytes changed (sha256 differs from the record)")
        record = extract_document(document)
    except ReadError as exc:
        return IngestResult(item.path, Outcome.failed, item.dispatch_id, item.source_id, exc.reason, step="read")
    except Exception as exc:
        return IngestResult(item.path, Outcome.failed, item.dispatch_id, item.source_id,
                            f"extraction failed ({type(exc).__name__}: {exc})", step="extract")
    with store.session() as session:
        row = session.get(Dispatch, item.dispatch_id)
        repo.replace_extraction(session, row, record, text=document.text, version=version)
        return IngestResult(item.path, Outcome.reprocessed, row.id, item.source_id, tasks=len(row.tasks))
