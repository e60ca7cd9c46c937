"""Ingest one file into the store: hash, look up, read, extract, store — with a typed outcome.

- The same bytes again is a no-op (`duplicate-bytes`), unless the dispatch was extracted by another
  extractor version: then the new record replaces the old in one transaction (`reprocessed`) and
  unchanged tasks keep their status.
- Other bytes with the same (number, issuer, year) are recorded and flagged (`duplicate-document`).
- An unreadable file, or one the extractors fail on, is recorded with status `failed` and the
  reason; it is retried the next time it is ingested.
- Two processes ingesting at once: the unique keys on the file's sha256 and the dispatch's
  (number, issuer, year) decide who stored it; the loser's attempt becomes a duplicate.
Files are never moved or deleted here.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Callable, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import schemas
from pipeline.store import repository as repo
from pipeline.store.db import Store
from pipeline.store.keys import doc_key
from pipeline.store.models import Dispatch, SourceStatus

ROOT = Path(__file__).resolve().parents[1]
# what decides an extraction: a change to any of these is a new extractor version
EXTRACTOR_SOURCES = ("extractors", "schemas", "pipeline/extract.py", "pipeline/normalize.py",
                     "pipeline/segment.py", "pipeline/nlp.py", "pipeline/vntext.py")
STORE_ATTEMPTS = 3


class Outcome(StrEnum):
    stored = "stored"
    reprocessed = "reprocessed"
    duplicate_bytes = "duplicate-bytes"
    duplicate_document = "duplicate-document"
    failed = "failed"


@dataclass(frozen=True)
class IngestResult:
    path: str
    outcome: Outcome
    dispatch_id: Optional[int] = None
    source_id: Optional[int] = None
    reason: Optional[str] = None
    tasks: int = 0
    step: Optional[str] = None  # of a failure: read or extract


Extract = Callable[[schemas.Document], schemas.Dispatch]


@cache
def extractor_version() -> str:
    """`CONGVAN_EXTRACTOR_VERSION`, else a digest of the extractor code and rule files."""
    if os.environ.get("CONGVAN_EXTRACTOR_VERSION"):
        return os.environ["CONGVAN_EXTRACTOR_VERSION"]
    digest = hashlib.sha256()
    for name in EXTRACTOR_SOURCES:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.suffix in {".py", ".json", ".jsonl"}) \
            if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    return f"x-{digest.hexdigest()[:12]}"


def _default_extract(document: schemas.Document) -> schemas.Dispatch:
    from pipeline.extract import extract_document

    return extract_document(document)


def _failed(store: Store, path: Path, sha256: Optional[str], size: Optional[int], reason: str,
            keep_status: bool = False, step: str = "read") -> IngestResult:
    """Record a failure (a stored dispatch whose re-extraction failed keeps its record)."""
    for attempt in range(STORE_ATTEMPTS):  # another process may record the same bytes at once
        try:
            with store.session() as session:
                row = repo.find_source(session, sha256) if sha256 else None
                if keep_status and row is not None:
                    row.error = reason
                elif sha256 is not None:
                    row = repo.record_source(session, sha256=sha256, path=path, status=SourceStatus.failed,
                                             size=size, error=reason)
                return IngestResult(str(path), Outcome.failed, source_id=row.id if row else None, reason=reason,
                                    step=step)
        except IntegrityError:
            if attempt == STORE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _read_bytes(path: Path) -> bytes:
    from pipeline.read import ReadError

    if not path.is_file():
        raise ReadError(path, "no such file" if not path.exists() else "not a regular file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot be read ({exc.strerror or exc})") from None


def _known(store: Store, path: Path, sha256: str, version: str) -> tuple[Optional[IngestResult], bool]:
    """(the no-op result, False) for bytes already handled; (None, whether a stored dispatch is to
    be re-extracted) for bytes to read."""
    with store.session() as session:
        row = repo.find_source(session, sha256)
        if row is None or row.status == SourceStatus.failed.value:
            return None, False
        dispatch = session.get(Dispatch, row.dispatch_id) if row.dispatch_id else None
        if row.status == SourceStatus.stored.value and dispatch is not None \
                and dispatch.extractor_version != version:
            return None, True
        return IngestResult(str(path), Outcome.duplicate_bytes, row.dispatch_id, row.id,
                            reason=f"same bytes as {row.path}"), False


def ingest_path(path: Path | str, store: Store, *, version: Optional[str] = None,
                extract: Optional[Extract] = None, auto_approve: Optional[float] = None) -> IngestResult:
    """Ingest one file (see the module's docstring for the outcomes). `auto_approve`: the review
    gate's threshold (`Settings.auto_approve` when None)."""
    from pipeline.read import ReadError, read

    path, version = Path(path), version or extractor_version()
    try:
        data = _read_bytes(path)
    except ReadError as exc:
        return IngestResult(str(path), Outcome.failed, reason=exc.reason, step="read")
    sha256 = hashlib.sha256(data).hexdigest()
    known, reprocessing = _known(store, path, sha256, version)
    if known is not None:
        return known
    try:
        document = read(path)
        if document.source.sha256 != sha256:
            raise ReadError(path, "the file changed while it was read")
        record = (extract or _default_extract)(document)
    except ReadError as exc:
        return _failed(store, path, sha256, len(data), exc.reason, keep_status=reprocessing)
    except Exception as exc:  # an extractor bug names the file and the step; the batch goes on
        reason = f"extraction failed ({type(exc).__name__}: {exc})"
        return _failed(store, path, sha256, len(data), reason, keep_status=reprocessing, step="extract")
    for attempt in range(STORE_ATTEMPTS):
        try:
            return _store(store, path, sha256, len(data), document, record, version, auto_approve)
        except IntegrityError:  # another process stored the same file or document meanwhile
            if attempt == STORE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _store(store: Store, path: Path, sha256: str, size: int, document: schemas.Document,
           record: schemas.Dispatch, version: str, auto_approve: Optional[float] = None) -> IngestResult:
    """One transaction: store, replace or flag the extraction of one file."""
    media = document.source.media_type
    with store.session() as session:
        row = repo.find_source(session, sha256)
        if row is not None and row.status != SourceStatus.failed.value:
            old = session.get(Dispatch, row.dispatch_id) if row.dispatch_id else None
            if row.status == SourceStatus.stored.value and old is not None and old.extractor_version != version:
                repo.replace_extraction(session, old, record, text=document.text, version=version,
                                        auto_approve=auto_approve)
                return IngestResult(str(path), Outcome.reprocessed, old.id, row.id, tasks=len(old.tasks))
            return IngestResult(str(path), Outcome.duplicate_bytes, row.dispatch_id, row.id,
                                reason=f"same bytes as {row.path}")
        original = repo.find_by_doc_key(session, doc_key(record.number, record.issuer, record.issued_date))
        if original is not None:
            source = repo.record_source(session, sha256=sha256, path=path, status=SourceStatus.duplicate,
                                        media_type=media, size=size, dispatch_id=original.id)
            return IngestResult(str(path), Outcome.duplicate_document, original.id, source.id,
                                reason=f"same number, issuer and year as dispatch #{original.id}")
        dispatch = repo.store_dispatch(session, record, text=document.text, version=version,
                                       auto_approve=auto_approve)
        source = repo.record_source(session, sha256=sha256, path=path, status=SourceStatus.stored,
                                    media_type=media, size=size, dispatch_id=dispatch.id)
        return IngestResult(str(path), Outcome.stored, dispatch.id, source.id, tasks=len(dispatch.tasks))


def reprocess(store: Store, *, version: Optional[str] = None, extract_text: Optional[Callable] = None,
              force: bool = False, auto_approve: Optional[float] = None) -> list[IngestResult]:
    """Re-extract every stored dispatch made by another extractor version (all with `force`) from
    its stored text; each replacement is one transaction."""
    from pipeline.extract import extract_text as default_extract_text

    version, extract_text = version or extractor_version(), extract_text or default_extract_text
    with store.session() as session:
        rows = session.execute(select(Dispatch.id, Dispatch.extractor_version).order_by(Dispatch.id))
        ids = [r.id for r in rows if force or r.extractor_version != version]
    results = []
    for dispatch_id in ids:
        with store.session() as session:
            row = session.get(Dispatch, dispatch_id)
            source = repo.source_of(session, dispatch_id)
            src = schemas.Source(path=source.path if source else None, sha256=source.sha256 if source else None,
                                 media_type=(source.media_type if source else None) or "text/plain")
            try:
                record = extract_text(row.text, src)
            except Exception as exc:
                results.append(IngestResult(src.path or f"#{dispatch_id}", Outcome.failed, dispatch_id,
                                            reason=f"extraction failed ({type(exc).__name__}: {exc})"))
                continue
            repo.replace_extraction(session, row, record, text=row.text, version=version, auto_approve=auto_approve)
            results.append(IngestResult(src.path or f"#{dispatch_id}", Outcome.reprocessed, dispatch_id,
                                        source.id if source else None, tasks=len(row.tasks)))
    return results
