"""Plain functions over a Session: record files, store and replace extractions, resolve addressees
to registry units, change task statuses, load the registry. The caller owns the transaction."""
from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

import schemas
from pipeline.resolve import Context, Registry, RegistryUnit, Resolution, issuer_context, load_rules, resolve
from pipeline.store.gate import apply_gate, human_reviewed, record_confidence
from pipeline.store.keys import doc_key, due_by, has_serial, number_key, query_number_key, search_key
from pipeline.store.models import (
    LEVELS,
    AuditEntry,
    Dispatch,
    Recipient,
    Reference,
    SourceFile,
    SourceStatus,
    Task,
    TaskAssignment,
    TaskStatus,
    TaskStatusChange,
    Unit,
    UnitKind,
    recipient_units,
)

FALLBACK_VIA = "Kính gửi"  # a task whose assignees name no unit goes to the units addressed


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ------------------------------------------------------------------ source files

def find_source(session: Session, sha256: str) -> Optional[SourceFile]:
    return session.scalars(select(SourceFile).where(SourceFile.sha256 == sha256)).one_or_none()


def record_source(session: Session, *, sha256: Optional[str], path: Path | str, status: SourceStatus,
                  media_type: Optional[str] = None, size: Optional[int] = None, error: Optional[str] = None,
                  dispatch_id: Optional[int] = None, now: Optional[str] = None) -> SourceFile:
    """Insert the file's row, or update the row of the same bytes (a failed file retried)."""
    now = now or now_iso()
    row = find_source(session, sha256) if sha256 else None
    if row is None:
        row = SourceFile(sha256=sha256, received_at=now)
        session.add(row)
    row.original_name, row.path = Path(path).name, str(Path(path).absolute())
    row.status, row.error, row.dispatch_id, row.updated_at = status.value, error, dispatch_id, now
    row.media_type = media_type or row.media_type
    row.size = size if size is not None else row.size
    session.flush()
    return row


def source_of(session: Session, dispatch_id: int) -> Optional[SourceFile]:
    return session.scalars(select(SourceFile).where(
        SourceFile.dispatch_id == dispatch_id, SourceFile.status == SourceStatus.stored.value)).first()


# ------------------------------------------------------------------ dispatches

def find_by_doc_key(session: Session, key: Optional[str]) -> Optional[Dispatch]:
    if key is None:
        return None
    return session.scalars(select(Dispatch).where(Dispatch.doc_key == key)).one_or_none()


def dispatch_search_key(row: Dispatch) -> str:
    """What `congvan search` matches: number, type, issuer, parent, subject and the whole text."""
    return search_key(" ".join(filter(None, [row.number, row.doc_type, row.issuer, row.parent_issuer,
                                             row.subject, row.text])))


def _fill_dispatch(row: Dispatch, record: schemas.Dispatch, text: str, version: str, now: str) -> None:
    signer = record.signer or schemas.Signer()
    row.doc_type, row.number, row.issued_date, row.place = (record.doc_type, record.number,
                                                            record.issued_date, record.place)
    row.issuer, row.parent_issuer, row.subject = record.issuer, record.parent_issuer, record.subject
    row.urgency, row.secrecy = record.urgency, record.secrecy
    row.signer_name, row.signer_title, row.signer_authority = signer.name, signer.title, signer.authority
    row.number_key = number_key(record.number)
    row.text = text
    row.text_search = dispatch_search_key(row)
    row.record, row.machine_record = record.contract_json(), record.contract_json()
    row.confidence = record_confidence(record)
    row.extractor_version, row.extracted_at = version, now


def _recipients(record: schemas.Dispatch) -> list[Recipient]:
    return [Recipient(position=i, name=r.name, role=r.role, purpose=r.purpose,
                      span_start=r.span[0] if r.span else None, span_end=r.span[1] if r.span else None,
                      unit_count=0)
            for i, r in enumerate(record.recipients)]


def _references(record: schemas.Dispatch) -> list[Reference]:
    return [Reference(position=i, doc_type=r.doc_type, number=r.number, number_key=number_key(r.number),
                      date=r.date, issuer=r.issuer, title=r.title,
                      span_start=r.span[0] if r.span else None, span_end=r.span[1] if r.span else None)
            for i, r in enumerate(record.references)]


def _update_task(row: Task, position: int, task: schemas.Task, now: str) -> Task:
    """Everything extraction says of a task; its status and follow-up person are left alone."""
    deadline = task.deadline
    row.position, row.text, row.text_search = position, task.text, search_key(task.text)
    row.action, row.assignees, row.report_to = task.action, "; ".join(task.assignees) or None, task.report_to
    row.due_date, row.due_by = deadline.date, due_by(deadline.date)
    row.recurrence, row.deadline_text = deadline.recurrence, deadline.text
    row.span_start, row.span_end = task.span
    row.confidence = task.confidence
    row.updated_at = now
    return row


def _new_task(position: int, task: schemas.Task, now: str) -> Task:
    return _update_task(Task(status=TaskStatus.pending_review.value, created_at=now, origin="extracted"),
                        position, task, now)


def _threshold(auto_approve: Optional[float]) -> float:
    if auto_approve is not None:
        return auto_approve
    from pipeline.settings import Settings

    return Settings.from_env().auto_approve


def store_dispatch(session: Session, record: schemas.Dispatch, *, text: str, version: str,
                   now: Optional[str] = None, auto_approve: Optional[float] = None) -> Dispatch:
    """Insert a new dispatch with its recipients, references and tasks; link its references both
    ways; resolve its addressees and tasks to registry units. The review gate (`gate.apply_gate`,
    threshold `auto_approve`, else the setting) approves it or sends it to review."""
    now = now or now_iso()
    row = Dispatch(created_at=now, doc_key=doc_key(record.number, record.issuer, record.issued_date))
    _fill_dispatch(row, record, text, version, now)
    row.recipients = _recipients(record)
    row.references = _references(record)
    row.tasks = [_new_task(i, t, now) for i, t in enumerate(record.tasks)]
    apply_gate(row, _threshold(auto_approve), now)
    session.add(row)
    session.flush()
    link_references(session, row)
    resolve_dispatch(session, row, load_registry(session), now)
    return row


def _corrected(session: Session, row: Dispatch) -> bool:
    """Whether a person changed anything of this dispatch (the audit log has an entry for it)."""
    return session.scalar(select(AuditEntry.id).where(AuditEntry.dispatch_id == row.id).limit(1)) is not None


def replace_extraction(session: Session, row: Dispatch, record: schemas.Dispatch, *, text: str,
                       version: str, now: Optional[str] = None, auto_approve: Optional[float] = None) -> Dispatch:
    """A new extractor's record for a stored dispatch. Tasks whose text is unchanged keep their row,
    status, follow-up person, history and per-unit statuses; tasks no longer found are deleted; the
    gate is applied again. A dispatch an officer reviewed, or has begun to correct, keeps what the
    officer did: only its `machine_record` and extractor version change."""
    now = now or now_iso()
    if human_reviewed(row) or _corrected(session, row):
        row.machine_record, row.extractor_version, row.extracted_at = record.contract_json(), version, now
        session.flush()
        return row
    kept: dict[str, list[Task]] = defaultdict(list)
    for task in row.tasks:
        kept[task.text_search].append(task)
    tasks = []
    for i, task in enumerate(record.tasks):
        same = kept.get(search_key(task.text))
        tasks.append(_update_task(same.pop(0), i, task, now) if same else _new_task(i, task, now))
    row.tasks = tasks
    row.recipients = _recipients(record)
    row.references = _references(record)
    _fill_dispatch(row, record, text, version, now)
    apply_gate(row, _threshold(auto_approve), now)
    rekey(session, row)
    session.flush()
    link_references(session, row)
    resolve_dispatch(session, row, load_registry(session), now)
    return row


def rekey(session: Session, row: Dispatch) -> None:
    """The lookup keys from the row's number, issuer and date (after a new extraction or an
    officer's correction): the doc key only while no other dispatch holds it."""
    row.number_key = number_key(row.number)
    key = doc_key(row.number, row.issuer, row.issued_date)
    other = find_by_doc_key(session, key)
    row.doc_key = key if other is None or other.id == row.id else None


def find_dispatches(session: Session, id_or_number: str) -> list[Dispatch]:
    """By id ('12', '#12'), else by number ('2094/SGDĐT-HSSV', with or without accents)."""
    text = id_or_number.strip().lstrip("#")
    if text.isdigit():
        row = session.get(Dispatch, int(text))
        if row is not None:
            return [row]
    return list(session.scalars(select(Dispatch).where(Dispatch.number_key == number_key(text))
                                .order_by(Dispatch.issued_date, Dispatch.id)))


# ------------------------------------------------------------------ references

def _year(date: Optional[str]) -> Optional[str]:
    return date[:4] if date and date[:4].isdigit() else None


def _target(session: Session, ref: Reference) -> Optional[int]:
    """The one stored dispatch a reference cites (same number; same year when the date is known)."""
    if not has_serial(ref.number_key):
        return None
    rows = session.execute(select(Dispatch.id, Dispatch.issued_date).where(
        Dispatch.number_key == ref.number_key, Dispatch.id != ref.dispatch_id)).all()
    year = _year(ref.date)
    if year:
        rows = [r for r in rows if _year(r.issued_date) in (None, year)]
    return rows[0].id if len(rows) == 1 else None


def link_references(session: Session, row: Dispatch) -> None:
    """Point this dispatch's references at stored dispatches, and references to it at it."""
    for ref in row.references:
        ref.target_dispatch_id = _target(session, ref)
    if has_serial(row.number_key):
        citing = session.scalars(select(Reference).where(Reference.number_key == row.number_key,
                                                         Reference.dispatch_id != row.id))
        for ref in citing:
            ref.target_dispatch_id = _target(session, ref)
    session.flush()


# ------------------------------------------------------------------ registry and resolution

def load_registry(session: Session) -> Registry:
    rows = session.scalars(select(Unit).order_by(Unit.code))
    return Registry(tuple(RegistryUnit(u.id, u.code, u.name, u.kind, u.level, u.district, u.province,
                                       u.parent_code) for u in rows))


def _resolve_names(names: Iterable[str], ctx: Context, registry: Registry) -> Resolution:
    result = Resolution()
    for name in names:
        for piece in filter(str.strip, name.split(";")):
            result = result | resolve(piece, ctx, registry)
    return result


def _resolve_recipients(session: Session, row: Dispatch, ctx: Context, registry: Registry) -> frozenset[int]:
    """Record what each addressee resolved to; the units of the Kính gửi lines."""
    ids = [r.id for r in row.recipients]
    if ids:
        session.execute(delete(recipient_units).where(recipient_units.c.recipient_id.in_(ids)))
    addressed: frozenset[int] = frozenset()
    links = []
    for recipient in row.recipients:
        res = resolve(recipient.name, ctx, registry) if registry.units else Resolution(note="registry empty")
        recipient.rules = ",".join(dict.fromkeys(res.rules)) or None
        recipient.unit_count, recipient.resolve_note = len(res.units), res.note
        links += [{"recipient_id": recipient.id, "unit_id": u} for u in sorted(res.units)]
        if recipient.role == "to":
            addressed |= res.units
    if links:
        session.execute(recipient_units.insert(), links)
    return addressed


def _task_units(task: Task, ctx: Context, registry: Registry) -> tuple[frozenset[int], str]:
    res = _resolve_names([task.assignees or ""], ctx, registry)
    if res.units:
        return res.units, f"{task.assignees} [{','.join(dict.fromkeys(res.rules))}]"
    return ctx.addressees, FALLBACK_VIA


def resolve_dispatch(session: Session, row: Dispatch, registry: Registry, now: Optional[str] = None) -> None:
    """(Re)compute the units of each addressee and each task. An assignment to a unit that still
    applies keeps its status; one that no longer applies is removed."""
    now = now or now_iso()
    session.flush()
    ctx = issuer_context(row.issuer, row.parent_issuer, row.place, registry)
    ctx = replace(ctx, addressees=_resolve_recipients(session, row, ctx, registry))
    for task in row.tasks:
        units, via = _task_units(task, ctx, registry) if registry.units else (frozenset(), None)
        current = {a.unit_id: a for a in task.assignments}
        for unit_id, assignment in current.items():
            if unit_id not in units:
                task.assignments.remove(assignment)
            else:
                assignment.via = via
        task.assignments.extend(TaskAssignment(unit_id=u, status=TaskStatus.open.value, via=via, updated_at=now)
                                for u in sorted(units - current.keys()))
    session.flush()


def resolve_all(session: Session, now: Optional[str] = None) -> int:
    """Re-resolve every stored dispatch (after the registry changed); the number of dispatches."""
    registry = load_registry(session)
    rows = list(session.scalars(select(Dispatch).order_by(Dispatch.id)))
    for row in rows:
        resolve_dispatch(session, row, registry, now)
    return len(rows)


REGISTRY_COLUMNS = ("code", "name", "kind", "level", "district", "province", "email", "parent_code")


class RegistryFileError(ValueError):
    pass


def _canonical_level(value: str, line: int) -> Optional[str]:
    if not value:
        return None
    rules = load_rules()
    key = rules.key(value).strip()
    for level, words in rules.levels.items():
        if key in words or key == rules.key(level).strip():
            return level
    raise RegistryFileError(f"line {line}: level {value!r} is not one of {', '.join(LEVELS)}")


def read_registry_csv(path: Path | str) -> list[dict]:
    """The rows of a registry CSV (UTF-8, header row), checked: unknown columns, kinds and levels
    are errors naming the line."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        unknown = set(header) - set(REGISTRY_COLUMNS)
        missing = {"code", "name", "kind"} - set(header)
        if unknown or missing:
            raise RegistryFileError(f"columns: unknown {sorted(unknown)}, missing {sorted(missing)}; "
                                    f"expected {', '.join(REGISTRY_COLUMNS)}")
        rows = []
        for line, raw in enumerate(reader, start=2):
            row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            if not row.get("code") or not row.get("name"):
                raise RegistryFileError(f"line {line}: code and name are required")
            if row["kind"] not in {k.value for k in UnitKind}:
                raise RegistryFileError(f"line {line}: kind {row['kind']!r} is not one of "
                                        f"{', '.join(k.value for k in UnitKind)}")
            row["level"] = _canonical_level(row.get("level", ""), line)
            rows.append({c: row.get(c) or None for c in REGISTRY_COLUMNS})
    return rows


def upsert_units(session: Session, rows: list[dict], now: Optional[str] = None) -> tuple[int, int]:
    """Add or update units by code; (added, updated). Units missing from `rows` are kept."""
    now = now or now_iso()
    existing = {u.code: u for u in session.scalars(select(Unit))}
    added = updated = 0
    for data in rows:
        unit = existing.get(data["code"])
        if unit is None:
            unit = Unit(code=data["code"])
            session.add(unit)
            existing[unit.code] = unit
            added += 1
        else:
            updated += 1
        for column in REGISTRY_COLUMNS[1:]:
            setattr(unit, column, data[column])
        unit.name_search, unit.updated_at = name_key(data["name"]), now
    session.flush()
    return added, updated


def name_key(name: str) -> str:
    """A unit name as searched: `search_key` with abbreviations written out (GD&ĐT, UBND, …)."""
    return load_rules().key(name)


def find_units(session: Session, text: str, kinds: Optional[Iterable[str]] = None) -> list[Unit]:
    """Units by exact code, else by the words of their name, accents and abbreviations optional
    ('Nguyễn Trãi', 'thcs nguyen trai', 'Phòng GD&ĐT Diên Khánh')."""
    query = select(Unit).order_by(Unit.code)
    if kinds:
        query = query.where(Unit.kind.in_(list(kinds)))
    exact = session.scalars(query.where(func.upper(Unit.code) == text.strip().upper())).all()
    if exact:
        return list(exact)
    words = name_key(text).split()
    return list(session.scalars(query.where(*[Unit.name_search.like(f"% {w} %") for w in words]))) if words else []


# ------------------------------------------------------------------ task status

class NotFound(LookupError):
    pass


def _task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"no task #{task_id}")
    return task


def _assignment(session: Session, task: Task, unit: str) -> TaskAssignment:
    units = {u.id for u in find_units(session, unit)}
    matches = [a for a in task.assignments if a.unit_id in units]
    if not matches:
        raise NotFound(f"task #{task.id} is not assigned to a unit matching {unit!r}")
    if len(matches) > 1:
        raise NotFound(f"task #{task.id}: several of its units match {unit!r}; give a code")
    return matches[0]


def set_task_status(session: Session, task_id: int, status: TaskStatus | str, *, unit: Optional[str] = None,
                    actor: Optional[str] = None, note: Optional[str] = None,
                    now: Optional[str] = None) -> TaskStatusChange:
    """Change a task's status, or (with `unit`, a code or name) one unit's; recorded in the history."""
    status = TaskStatus(status)
    now = now or now_iso()
    task = _task(session, task_id)
    target = _assignment(session, task, unit) if unit else task
    change = TaskStatusChange(task_id=task.id, assignment_id=target.id if unit else None,
                              old_status=target.status, new_status=status.value, changed_at=now,
                              actor=actor, note=note)
    target.status, target.updated_at = status.value, now
    session.add(change)
    session.flush()
    return change


def assign_task(session: Session, task_id: int, person: Optional[str], now: Optional[str] = None) -> Task:
    """Name the person who follows the task up (None clears it)."""
    task = _task(session, task_id)
    task.assigned_to, task.updated_at = (person or None), (now or now_iso())
    session.flush()
    return task


def task_history(session: Session, task_id: int) -> list[TaskStatusChange]:
    return list(session.scalars(select(TaskStatusChange).where(TaskStatusChange.task_id == task_id)
                                .order_by(TaskStatusChange.id)))


__all__ = [
    "NotFound", "RegistryFileError", "assign_task",
    "find_by_doc_key", "find_dispatches", "find_source", "find_units", "link_references", "load_registry",
    "now_iso", "read_registry_csv", "record_source", "replace_extraction", "resolve_all", "resolve_dispatch",
    "set_task_status", "source_of", "store_dispatch", "task_history", "upsert_units",
]
