"""The analysts' questions, shared by the CLI and notebooks.

    from pipeline.query import tasks_frame, search
    tasks_frame(school="Trường THCS Nguyễn Trãi", overdue=True, today="2018-11-01")
    search("an ninh trat tu")        # finds "an ninh, trật tự" too

`task_rows(...)` returns plain dicts (what `congvan tasks` prints); `tasks_frame(...)` the same rows
as a pandas DataFrame. Without a school or unit filter there is one row per task (`units`: how many
units it is assigned to); with one, one row per task and matching unit, whose `status` is that
unit's (or the task's own when the task is done or cancelled).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Iterable, Optional

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from pipeline.store import repository as repo
from pipeline.store.db import Store, default_store
from pipeline.store.keys import like_phrase, search_key
from pipeline.store.models import Dispatch, Task, TaskStatus, UnitKind, task_view
from pipeline.vntext import fold

if TYPE_CHECKING:
    import pandas as pd

OPEN = (TaskStatus.open.value, TaskStatus.in_progress.value)
TASK_COLUMNS = ["task_id", "dispatch_id", "number", "issued_date", "issuer", "subject", "task", "assignees",
                "report_to", "due_date", "recurrence", "status", "assigned_to", "units"]
UNIT_COLUMNS = ["task_id", "dispatch_id", "number", "issued_date", "issuer", "subject", "unit_code",
                "unit_name", "task", "assignees", "report_to", "due_date", "recurrence", "status",
                "assigned_to"]


class QueryError(ValueError):
    pass


def _iso(value: date | str | None, name: str) -> Optional[str]:
    if value is None or isinstance(value, date):
        return value.isoformat() if value else None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise QueryError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class TaskFilter:
    school: Optional[str] = None
    unit: Optional[str] = None
    status: tuple[str, ...] = ()
    due_before: Optional[str] = None      # due on or before
    due_after: Optional[str] = None       # due on or after
    overdue: bool = False                 # due before today and still open or in progress
    today: Optional[str] = None
    issuer: Optional[str] = None
    references: Optional[str] = None
    text: Optional[str] = None
    dispatch_id: Optional[int] = None

    @property
    def per_unit(self) -> bool:
        return bool(self.school or self.unit)


def make_filter(*, school=None, unit=None, status: str | Iterable[str] | None = None, due_before=None,
                due_after=None, overdue=False, today=None, issuer=None, references=None,
                text=None, dispatch_id: Optional[int] = None) -> TaskFilter:
    """A checked `TaskFilter` from loose values (dates as `date` or 'YYYY-MM-DD')."""
    statuses = (status,) if isinstance(status, str) else tuple(status or ())
    statuses = tuple(s.replace("-", "_") for s in statuses)
    bad = [s for s in statuses if s not in {t.value for t in TaskStatus}]
    if bad:
        raise QueryError(f"status: {', '.join(bad)} not one of {', '.join(t.value for t in TaskStatus)}")
    return TaskFilter(school=school, unit=unit, status=statuses, due_before=_iso(due_before, "due_before"),
                      due_after=_iso(due_after, "due_after"), overdue=overdue,
                      today=_iso(today, "today") or date.today().isoformat(), issuer=issuer,
                      references=references, text=text, dispatch_id=dispatch_id)


def matching_units(session: Session, f: TaskFilter) -> Optional[set[int]]:
    """The ids of the units --school / --unit name (None: no unit filter)."""
    return _unit_ids(session, f)


def _unit_ids(session: Session, f: TaskFilter) -> Optional[set[int]]:
    if not f.per_unit:
        return None
    ids: set[int] = set()
    if f.school:
        ids |= {u.id for u in repo.find_units(session, f.school, [UnitKind.school.value])}
    if f.unit:
        ids |= {u.id for u in repo.find_units(session, f.unit)}
    return ids


def _conditions(session: Session, f: TaskFilter) -> list:
    v = task_view.c
    status = v.status if f.per_unit else v.task_status
    where = []
    units = _unit_ids(session, f)
    if units is not None:
        where.append(v.unit_id.in_(sorted(units)))
    if f.status:
        where.append(status.in_(f.status))
    if f.due_before:
        where.append(v.due_by <= f.due_before)
    if f.due_after:
        where.append(v.due_by >= f.due_after)
    if f.overdue:
        where.append(and_(v.due_by < f.today, status.in_(OPEN)))
    if f.issuer:
        where.append(v.dispatch_id.in_(sorted(repo.dispatch_ids_by_issuer(session, f.issuer))))
    if f.references:
        where.append(v.dispatch_id.in_(sorted(repo.dispatch_ids_resting_on(session, f.references))))
    if f.dispatch_id is not None:
        where.append(v.dispatch_id == f.dispatch_id)
    if f.text:
        pattern = like_phrase(f.text)
        if pattern:
            where.append(v.text_search.like(pattern))
    return where


def _row(r, per_unit: bool) -> dict:
    row = {"task_id": r.task_id, "dispatch_id": r.dispatch_id, "number": r.number,
           "issued_date": r.issued_date, "issuer": r.issuer or r.parent_issuer, "subject": r.subject,
           "unit_code": r.unit_code, "unit_name": r.unit_name, "task": r.task_text,
           "assignees": r.assignees, "report_to": r.report_to, "due_date": r.due_date,
           "recurrence": r.recurrence, "status": r.status if per_unit else r.task_status,
           "assigned_to": r.assigned_to}
    return {k: row.get(k) for k in (UNIT_COLUMNS if per_unit else TASK_COLUMNS)}


def query_tasks(session: Session, f: TaskFilter) -> list[dict]:
    v = task_view.c
    query = (select(task_view).where(*_conditions(session, f))
             .order_by(v.due_by.is_(None), v.due_by, v.issued_date.is_(None), v.issued_date, v.dispatch_id,
                       v.position, v.unit_code))
    rows, by_task = [], {}
    for r in session.execute(query):
        if f.per_unit:
            rows.append(_row(r, True))
        elif r.task_id in by_task:
            by_task[r.task_id]["units"] += r.unit_id is not None
        else:
            by_task[r.task_id] = _row(r, False) | {"units": int(r.unit_id is not None)}
            rows.append(by_task[r.task_id])
    return rows


def task_rows(store: Optional[Store] = None, **filters) -> list[dict]:
    """The tasks matching the filters (see `make_filter`), as dicts."""
    f = make_filter(**filters)
    with (store or default_store()).session() as session:
        return query_tasks(session, f)


def tasks_frame(store: Optional[Store] = None, **filters) -> "pd.DataFrame":
    """`task_rows` as a DataFrame, columns in a fixed order even when no row matches."""
    import pandas as pd

    per_unit = bool(filters.get("school") or filters.get("unit"))
    return pd.DataFrame(task_rows(store, **filters), columns=UNIT_COLUMNS if per_unit else TASK_COLUMNS)


# ------------------------------------------------------------------ full-text search

@dataclass(frozen=True)
class Hit:
    kind: str                 # "dispatch" | "task"
    dispatch_id: int
    task_id: Optional[int]
    number: Optional[str]
    issued_date: Optional[str]
    snippet: str


def snippet(text: str, query: str, width: int = 70) -> str:
    """The words around the first place `query` occurs in `text` (matched without accents)."""
    words = search_key(query).split()
    flat = re.sub(r"\s+", " ", text)
    if not words:
        return flat[:2 * width]
    pattern = r"(?<![0-9a-z])" + r"[^0-9a-z]+".join(map(re.escape, words)) + r"(?![0-9a-z])"
    lowered = flat.lower()
    folded = fold(lowered) if len(lowered) == len(flat) else fold(flat).lower()
    m = re.search(pattern, folded)
    if not m:
        return flat[:2 * width]
    start, end = max(0, m.start() - width), min(len(flat), m.end() + width)
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")


def search_session(session: Session, query: str, limit: int = 50) -> list[Hit]:
    pattern = like_phrase(query)
    if pattern is None:
        return []
    hits = []
    dispatches = session.scalars(select(Dispatch).where(Dispatch.text_search.like(pattern))
                                 .order_by(Dispatch.issued_date.is_(None), Dispatch.issued_date.desc(), Dispatch.id)
                                 .limit(limit))
    for d in dispatches:
        where = d.subject if d.subject and search_key(query) in search_key(d.subject) else d.text
        hits.append(Hit("dispatch", d.id, None, d.number, d.issued_date, snippet(where, query)))
    tasks = session.execute(select(Task, Dispatch.number, Dispatch.issued_date).join(Dispatch)
                            .where(Task.text_search.like(pattern)).order_by(Task.dispatch_id, Task.position)
                            .limit(limit))
    for task, number, issued in tasks:
        hits.append(Hit("task", task.dispatch_id, task.id, number, issued, snippet(task.text, query)))
    return hits


def search(query: str, store: Optional[Store] = None, limit: int = 50) -> list[Hit]:
    """Dispatches (number, issuer, subject, text) and tasks containing the phrase, with or without
    accents: 'an ninh trat tu' and 'an ninh, trật tự' alike."""
    with (store or default_store()).session() as session:
        return search_session(session, query, limit)


def search_frame(query: str, store: Optional[Store] = None, limit: int = 50) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame([h.__dict__ for h in search(query, store, limit)],
                        columns=["kind", "dispatch_id", "task_id", "number", "issued_date", "snippet"])


__all__ = ["Hit", "QueryError", "TaskFilter", "make_filter", "query_tasks", "search", "search_frame",
           "snippet", "task_rows", "tasks_frame"]

