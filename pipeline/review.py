"""The review gate as plain functions over a Session: what waits for an officer, and every change
an officer makes (approve, reject, fix a field or a deadline, split, merge or add a task).

A new dispatch is approved by the gate ("auto") when every header field and every task has at
least the configured confidence (`Settings.auto_approve`); otherwise its tasks are `pending_review`
and it waits in the queue. Approving releases its pending tasks (`open`); rejecting a task (or the
whole dispatch) keeps it off every school's list for good. Every change is one `AuditEntry` (who,
when, the value before and after), and `Dispatch.record` is kept equal to what the officer sees:
the CONTRACT record with the corrections and without the rejected tasks. `Dispatch.machine_record`
keeps the extraction as the machine made it, so the corrections can be scored (`pipeline.gold`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

import schemas
from pipeline.store import repository as repo
from pipeline.store.gate import AUTO, MACHINE_ACTORS, MIGRATION, human_reviewed  # noqa: F401 (re-exported)
from pipeline.store.keys import due_by, search_key
from pipeline.store.models import (
    RECURRENCES,
    AuditEntry,
    Dispatch,
    ReviewStatus,
    Task,
    TaskStatus,
)

# header fields an officer may correct: record key → (column, record path)
HEADER_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "doc_type": ("doc_type", ("doc_type",)),
    "number": ("number", ("number",)),
    "issued_date": ("issued_date", ("issued_date",)),
    "place": ("place", ("place",)),
    "issuer": ("issuer", ("issuer",)),
    "parent_issuer": ("parent_issuer", ("parent_issuer",)),
    "subject": ("subject", ("subject",)),
    "urgency": ("urgency", ("urgency",)),
    "signer.name": ("signer_name", ("signer", "name")),
    "signer.title": ("signer_title", ("signer", "title")),
    "signer.authority": ("signer_authority", ("signer", "authority")),
}
TASK_FIELDS = ("text", "action", "assignees", "report_to", "due_date", "recurrence")


class ReviewError(ValueError):
    """A change that cannot be made (the message says why, for the officer)."""


# ---------------------------------------------------------------- the queue

@dataclass(frozen=True)
class QueueItem:
    id: int
    number: Optional[str]
    doc_type: Optional[str]
    issuer: Optional[str]
    issued_date: Optional[str]
    subject: Optional[str]
    confidence: Optional[float]
    tasks: int
    review_status: str
    reviewed_by: Optional[str]


def review_queue(session: Session, status: str = ReviewStatus.pending.value, limit: int = 200) -> list[QueueItem]:
    """Dispatches in one review status, the least certain first (pending: oldest first among equals)."""
    rows = session.scalars(select(Dispatch).where(Dispatch.review_status == status)
                           .order_by(Dispatch.confidence.is_(None).desc(), Dispatch.confidence, Dispatch.id)
                           .limit(limit))
    return [QueueItem(r.id, r.number, r.doc_type, r.issuer, r.issued_date, r.subject, r.confidence,
                      sum(1 for t in r.tasks if t.status != TaskStatus.rejected.value), r.review_status,
                      r.reviewed_by) for r in rows]


def review_counts(session: Session) -> dict[str, int]:
    from sqlalchemy import func

    rows = session.execute(select(Dispatch.review_status, func.count()).group_by(Dispatch.review_status))
    return {status.value: 0 for status in ReviewStatus} | {s: n for s, n in rows}


def audit_trail(session: Session, dispatch_id: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.dispatch_id == dispatch_id)
                                .order_by(AuditEntry.id)))


# ---------------------------------------------------------------- changes

@dataclass(frozen=True)
class Actor:
    """Who makes a change, and from where (the web client's address; None from the command line)."""
    name: str
    remote: Optional[str] = None


def _audit(session: Session, actor: Actor, action: str, dispatch_id: Optional[int], *, task_id: Optional[int] = None,
           field: Optional[str] = None, old: Any = None, new: Any = None, now: Optional[str] = None) -> AuditEntry:
    entry = AuditEntry(at=now or repo.now_iso(), actor=actor.name, action=action, dispatch_id=dispatch_id,
                       task_id=task_id, field=field, old_value=None if old is None else {"value": old},
                       new_value=None if new is None else {"value": new}, remote=actor.remote)
    session.add(entry)
    return entry


log = _audit  # an entry for something that is no correction (a login, an export)


def get_dispatch(session: Session, dispatch_id: int) -> Dispatch:
    row = session.get(Dispatch, dispatch_id)
    if row is None:
        raise ReviewError(f"no dispatch #{dispatch_id}")
    return row


def get_task(session: Session, task_id: int, dispatch_id: Optional[int] = None) -> Task:
    task = session.get(Task, task_id)
    if task is None or (dispatch_id is not None and task.dispatch_id != dispatch_id):
        raise ReviewError(f"no task #{task_id}" + (f" in dispatch #{dispatch_id}" if dispatch_id else ""))
    return task


def _set_status(session: Session, task: Task, status: TaskStatus, actor: Actor, now: str, note: str) -> None:
    if task.status == status.value:
        return
    repo.set_task_status(session, task.id, status, actor=actor.name, note=note, now=now)


def approve(session: Session, dispatch_id: int, actor: Actor, now: Optional[str] = None) -> Dispatch:
    """Release the dispatch: its pending tasks become open; rejected ones stay rejected."""
    now = now or repo.now_iso()
    row = get_dispatch(session, dispatch_id)
    for task in row.tasks:
        if task.status == TaskStatus.pending_review.value:
            _set_status(session, task, TaskStatus.open, actor, now, "approved in review")
    _audit(session, actor, "approve", row.id, old=row.review_status, new=ReviewStatus.approved.value, now=now)
    row.review_status, row.reviewed_by, row.reviewed_at = ReviewStatus.approved.value, actor.name, now
    session.flush()
    return row


def reject(session: Session, dispatch_id: int, actor: Actor, now: Optional[str] = None,
           note: Optional[str] = None) -> Dispatch:
    """The whole dispatch places no obligation: every task not yet finished is rejected."""
    now = now or repo.now_iso()
    row = get_dispatch(session, dispatch_id)
    for task in row.tasks:
        if task.status in (TaskStatus.pending_review.value, TaskStatus.open.value, TaskStatus.in_progress.value):
            _set_status(session, task, TaskStatus.rejected, actor, now, note or "dispatch rejected in review")
    _audit(session, actor, "reject", row.id, old=row.review_status, new=ReviewStatus.rejected.value, now=now)
    row.review_status, row.reviewed_by, row.reviewed_at = ReviewStatus.rejected.value, actor.name, now
    sync_record(row)
    session.flush()
    return row


def reject_task(session: Session, task_id: int, actor: Actor, now: Optional[str] = None) -> Task:
    now = now or repo.now_iso()
    task = get_task(session, task_id)
    if task.status == TaskStatus.rejected.value:
        return task
    _audit(session, actor, "reject_task", task.dispatch_id, task_id=task.id, old=task.status,
           new=TaskStatus.rejected.value, now=now)
    _set_status(session, task, TaskStatus.rejected, actor, now, "rejected in review")
    sync_record(task.dispatch)
    session.flush()
    return task


def restore_task(session: Session, task_id: int, actor: Actor, now: Optional[str] = None) -> Task:
    """Undo a rejection: the task waits for review again (or is open, in an approved dispatch)."""
    now = now or repo.now_iso()
    task = get_task(session, task_id)
    if task.status != TaskStatus.rejected.value:
        raise ReviewError(f"task #{task_id} is not rejected")
    status = TaskStatus.open if task.dispatch.review_status == ReviewStatus.approved.value else TaskStatus.pending_review
    _audit(session, actor, "restore_task", task.dispatch_id, task_id=task.id, old=task.status, new=status.value, now=now)
    _set_status(session, task, status, actor, now, "restored in review")
    sync_record(task.dispatch)
    session.flush()
    return task


def _check_date(value: Optional[str]) -> Optional[str]:
    """A calendar date, month or year in ISO form (the record's own check looks at the shape only:
    it lets '2019-13-01' and '2019-02-30' through, and due_by cannot place them)."""
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise ValueError(value)
        date.fromisoformat((value + "-01-01")[:10])
        return schemas.Dispatch(issued_date=value).issued_date
    except ValueError:
        raise ReviewError(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None


def _clean(value: Optional[str]) -> Optional[str]:
    value = " ".join((value or "").split())
    return value or None


def update_header(session: Session, dispatch_id: int, field: str, value: Optional[str], actor: Actor,
                  now: Optional[str] = None) -> Dispatch:
    """Correct one header field (`HEADER_FIELDS`); an empty value clears it."""
    if field not in HEADER_FIELDS:
        raise ReviewError(f"{field!r} is not a header field one can correct")
    now = now or repo.now_iso()
    row = get_dispatch(session, dispatch_id)
    column, _ = HEADER_FIELDS[field]
    value = _clean(value)
    if field == "issued_date":
        value = _check_date(value)
    old = getattr(row, column)
    if old == value:
        return row
    _audit(session, actor, "correct", row.id, field=field, old=old, new=value, now=now)
    setattr(row, column, value)
    if field in ("number", "issuer", "issued_date"):
        repo.rekey(session, row)
    row.text_search = repo.dispatch_search_key(row)
    sync_record(row)
    session.flush()
    if field in ("issuer", "parent_issuer", "place"):  # "các trường trực thuộc" depends on who issued it
        repo.resolve_dispatch(session, row, repo.load_registry(session), now)
    return row


def update_task(session: Session, task_id: int, changes: dict[str, Optional[str]], actor: Actor,
                now: Optional[str] = None) -> Task:
    """Correct a task's text, action, assignees ("; "-separated), whom to report to, deadline date or
    recurrence. Each changed field is one audit entry; the task's units are resolved again."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise ReviewError(f"not task fields: {', '.join(sorted(unknown))}")
    now = now or repo.now_iso()
    task = get_task(session, task_id)
    for name, raw in changes.items():
        value = _clean(raw)
        if name == "due_date":
            value = _check_date(value)
        elif name == "recurrence" and value is not None and value not in RECURRENCES:
            raise ReviewError(f"recurrence {value!r} is not one of {', '.join(RECURRENCES)}")
        elif name == "assignees" and value is not None:
            value = "; ".join(filter(None, (_clean(a) for a in value.split(";")))) or None
        elif name == "text" and value is None:
            raise ReviewError("a task needs a text (reject it instead)")
        old = getattr(task, name)
        if old == value:
            continue
        _audit(session, actor, "correct_task", task.dispatch_id, task_id=task.id, field=name, old=old, new=value,
               now=now)
        setattr(task, name, value)
        if name == "due_date":
            task.due_by = due_by(value)
        if name == "text":
            task.text_search = search_key(value)
    task.updated_at = now
    row = task.dispatch
    sync_record(row)
    repo.resolve_dispatch(session, row, repo.load_registry(session), now)
    return task


def _status_for_new(row: Dispatch) -> TaskStatus:
    return TaskStatus.open if row.review_status == ReviewStatus.approved.value else TaskStatus.pending_review


def _span_text(row: Dispatch, start: int, end: int) -> str:
    if not (0 <= start < end <= len(row.text)):
        raise ReviewError(f"[{start}, {end}) is not a span of the text (0–{len(row.text)})")
    text = " ".join(row.text[start:end].split())
    if not text:
        raise ReviewError("the selected text is blank")
    return text


def _renumber(row: Dispatch) -> None:
    for i, task in enumerate(sorted(row.tasks, key=lambda t: (t.span_start, t.position, t.id or 0))):
        task.position = i
    row.tasks.sort(key=lambda t: t.position)


def _new_task(row: Dispatch, start: int, end: int, now: str, *, like: Optional[Task] = None) -> Task:
    """A task read from [start, end) of the text: its deadline, assignees and whom to report to found
    by the extractors' own rules (the officer corrects what they miss)."""
    from extractors.assignees import find_assignees, find_report_to
    from extractors.deadlines import find_deadline

    text = _span_text(row, start, end)
    deadline = find_deadline(text, row.issued_date)
    assignees = find_assignees(text, None, []) or ((like.assignees or "").split("; ") if like else [])
    task = Task(position=len(row.tasks), text=text, text_search=search_key(text),
                action=like.action if like else None, assignees="; ".join(a for a in assignees if a) or None,
                report_to=find_report_to(text) or (like.report_to if like else None),
                due_date=deadline.date or (like.due_date if like else None),
                recurrence=deadline.recurrence or (like.recurrence if like else None),
                deadline_text=deadline.text, span_start=start, span_end=end,
                status=_status_for_new(row).value, assigned_to=like.assigned_to if like else None,
                created_at=now, updated_at=now, confidence=1.0, origin="reviewer")
    task.due_by = due_by(task.due_date)
    return task


def add_task(session: Session, dispatch_id: int, start: int, end: int, actor: Actor,
             now: Optional[str] = None) -> Task:
    """A task the rules missed, from the text the officer selected."""
    now = now or repo.now_iso()
    row = get_dispatch(session, dispatch_id)
    task = _new_task(row, start, end, now)
    row.tasks.append(task)
    _renumber(row)
    session.flush()
    _audit(session, actor, "add_task", row.id, task_id=task.id, new={"text": task.text, "span": [start, end]}, now=now)
    sync_record(row)
    repo.resolve_dispatch(session, row, repo.load_registry(session), now)
    return task


def split_task(session: Session, task_id: int, at: int, actor: Actor, now: Optional[str] = None) -> tuple[Task, Task]:
    """Two tasks from one, cut at offset `at` of the document text (inside the task's span). The
    second part's deadline and assignees are read from its own text, else inherited."""
    now = now or repo.now_iso()
    task = get_task(session, task_id)
    row = task.dispatch
    if not task.span_start < at < task.span_end:
        raise ReviewError(f"{at} is not inside task #{task_id} ({task.span_start}–{task.span_end})")
    old = {"text": task.text, "span": [task.span_start, task.span_end]}
    second = _new_task(row, at, task.span_end, now, like=task)
    second.status = task.status
    first_text = _span_text(row, task.span_start, at)
    task.text, task.text_search, task.span_end, task.updated_at = first_text, search_key(first_text), at, now
    row.tasks.append(second)
    _renumber(row)
    session.flush()
    _audit(session, actor, "split_task", row.id, task_id=task.id, old=old,
           new={"first": task.id, "second": second.id, "at": at}, now=now)
    sync_record(row)
    repo.resolve_dispatch(session, row, repo.load_registry(session), now)
    return task, second


def merge_tasks(session: Session, task_id: int, other_id: int, actor: Actor, now: Optional[str] = None) -> Task:
    """One task from two of the same dispatch: the text from the first's start to the last's end;
    deadline, assignees and report-to of the first, filled from the other where the first has none."""
    now = now or repo.now_iso()
    task, other = get_task(session, task_id), get_task(session, other_id)
    if task.id == other.id or task.dispatch_id != other.dispatch_id:
        raise ReviewError("merge needs two different tasks of the same dispatch")
    if other.span_start < task.span_start:
        task, other = other, task
    row = task.dispatch
    start, end = task.span_start, max(task.span_end, other.span_end)
    _audit(session, actor, "merge_tasks", row.id, task_id=task.id,
           old={"tasks": [task.id, other.id], "texts": [task.text, other.text]}, new={"span": [start, end]}, now=now)
    text = _span_text(row, start, end)
    task.text, task.text_search, task.span_start, task.span_end = text, search_key(text), start, end
    for name in ("action", "assignees", "report_to", "due_date", "due_by", "recurrence", "deadline_text"):
        if getattr(task, name) is None:
            setattr(task, name, getattr(other, name))
    task.updated_at = now
    row.tasks.remove(other)
    session.delete(other)
    _renumber(row)
    session.flush()
    sync_record(row)
    repo.resolve_dispatch(session, row, repo.load_registry(session), now)
    return task


# ---------------------------------------------------------------- the record the officer sees

def _task_json(task: Task, machine: dict[tuple[int, int], dict]) -> dict:
    before = machine.get((task.span_start, task.span_end), {})
    return {"text": task.text, "action": task.action,
            "assignees": [a for a in (task.assignees or "").split("; ") if a],
            "report_to": task.report_to,
            "deadline": {"date": task.due_date, "recurrence": task.recurrence, "text": task.deadline_text},
            "span": [task.span_start, task.span_end],
            "evidence": before.get("evidence") if task.origin != "reviewer" else "reviewer",
            "confidence": task.confidence}


def sync_record(row: Dispatch) -> None:
    """`row.record` from the row's columns and tasks (rejected tasks left out)."""
    record = dict(row.record or {})
    for field, (column, path) in HEADER_FIELDS.items():
        if len(path) == 1:
            record[path[0]] = getattr(row, column)
        else:
            signer = dict(record.get("signer") or {})
            signer[path[1]] = getattr(row, column)
            record["signer"] = signer if any(signer.values()) else None
    machine = {tuple(t["span"]): t for t in (row.machine_record or {}).get("tasks", []) if t.get("span")}
    record["tasks"] = [_task_json(t, machine) for t in sorted(row.tasks, key=lambda t: t.position)
                       if t.status != TaskStatus.rejected.value]
    row.record = record
