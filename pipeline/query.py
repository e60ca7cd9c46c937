"""The analysts' questions, shared by the CLI and notebooks.

    from pipeline.query import tasks_frame, search
    tasks_frame(school="Trường THCS Nguyễn Trãi", overdue=True, today="2018-11-01")
    search("an ninh trat tu")        # finds "an ninh, trật tự" too

`task_rows(...)` returns plain dicts (what `congvan tasks` prints); `tasks_frame(...)` the same rows
as a pandas DataFrame; `limit=100` gives the first page only, in milliseconds even on a million
tasks (the order follows the indexes, so SQLite stops at the page). Without a school or unit filter there is one row per task (`units`: how many
units it is assigned to); with one, one row per task and matching unit, whose `status` is that
unit's (or the task's own when the task is not open or in progress).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Iterable, Optional

from sqlalchemy import and_, bindparam, case, false, func, or_, select, union
from sqlalchemy.orm import Session

from pipeline.store import repository as repo
from pipeline.store.db import Store, default_store
from pipeline.store.keys import like_phrase, query_number_key, search_key
from pipeline.store.models import ACTIVE, INACTIVE, Dispatch, Reference, Task, TaskAssignment, TaskStatus, Unit, UnitKind
from pipeline.vntext import fold

if TYPE_CHECKING:
    import pandas as pd

OPEN = ACTIVE        # released and not finished: what the schools must still do
CLOSED = INACTIVE    # finished, or not (yet) released: pending review, rejected
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


# The rows queried: tasks with their dispatch (one row per task, `units` = how many units it is
# assigned to), or tasks joined to their assignments (one row per task and unit, `status` the
# effective one, as in `task_view`). Built here rather than read from `task_view`: its LEFT JOINs
# keep SQLite from starting at a unit's assignments, and per task its one-row-per-unit shape made
# the rows be counted in Python.

def _task_columns() -> list:
    t, d = Task.__table__.c, Dispatch.__table__.c
    return [t.id.label("task_id"), d.id.label("dispatch_id"), d.number, d.issuer, d.parent_issuer,
            d.issued_date, d.subject, t.position, t.text.label("task_text"), t.text_search, t.assignees,
            t.report_to, t.due_date, t.due_by, t.recurrence, t.status.label("task_status"), t.assigned_to]


def _per_task():
    t, a = Task.__table__.c, TaskAssignment.__table__.c
    units = select(func.count()).where(a.task_id == t.id).scalar_subquery()
    return (select(*_task_columns(), units.label("units"))
            .select_from(Task.__table__.join(Dispatch.__table__, Dispatch.id == Task.dispatch_id))
            .subquery("task_rows"))


def _per_unit():
    t, a, u = Task.__table__.c, TaskAssignment.__table__.c, Unit.__table__.c
    status = case((t.status.not_in(OPEN), t.status), else_=a.status)
    joined = (TaskAssignment.__table__.join(Task.__table__, Task.id == TaskAssignment.task_id)
              .join(Dispatch.__table__, Dispatch.id == Task.dispatch_id)
              .join(Unit.__table__, Unit.id == TaskAssignment.unit_id))
    return (select(*_task_columns(), a.unit_id, u.code.label("unit_code"), u.name.label("unit_name"),
                   status.label("status"))
            .select_from(joined).subquery("unit_task_rows"))


def still_open(status):
    """`status NOT IN ('pending_review', 'done', 'cancelled', 'rejected')` with the values written
    out: the partial index ix_tasks_open_due_by (models.STILL_OPEN_SQL) is used only for this exact
    condition, and only with literals (a bound parameter could be anything)."""
    return status.not_in(bindparam("closed", list(CLOSED), expanding=True, literal_execute=True))


def _status_in(status, wanted: tuple[str, ...]):
    return still_open(status) if set(wanted) == set(OPEN) else status.in_(wanted)


def _conditions(session: Session, f: TaskFilter, v, limit: Optional[int] = None) -> list:
    status = v.status if f.per_unit else v.task_status
    where = []
    units = _unit_ids(session, f)
    if units is not None:
        where.append(v.unit_id.in_(sorted(units)))
    if f.status:
        where.append(_status_in(status, f.status))
    if f.due_before:
        where.append(v.due_by <= f.due_before)
    if f.due_after:
        where.append(v.due_by >= f.due_after)
    if f.overdue:
        where.append(and_(v.due_by < f.today, still_open(status)))
    if f.issuer:
        where.append(_issued_by(session, f.issuer, v, limit))
    if f.references:
        where.append(v.dispatch_id.in_(resting_on(session, f.references)))
    if f.dispatch_id is not None:
        where.append(v.dispatch_id == f.dispatch_id)
    if f.text:
        pattern = like_phrase(f.text)
        if pattern:
            where.append(v.text_search.like(pattern))
    return where


def _equals(column, value):
    return column.is_(None) if value is None else column == value


WALK_SHARE = 0.02   # an issuer with this share of the dispatches is found faster by walking deadlines


def _issued_by(session: Session, issuer: str, v, limit: Optional[int] = None):
    """Dispatches whose issuer or parent issuer contains these words (accents and abbreviations
    optional), as a condition on the (issuer, parent issuer) pairs that match: the distinct pairs
    are few and indexed, where the dispatches can be a hundred thousand.

    For one page of a common issuer (the Sở: a quarter of the dispatches) the pairs are compared
    through coalesce(), which no index serves: SQLite then walks the tasks in deadline order and
    stops at the page, where the issuer index would fetch and sort all of its tasks (200,000 of a
    million). A rarer issuer keeps the index: walking would pass many tasks to find a page."""
    phrase = repo.name_key(issuer)
    pairs = session.execute(select(Dispatch.issuer, Dispatch.parent_issuer, func.count())
                            .group_by(Dispatch.issuer, Dispatch.parent_issuer)).all()
    matching = [(i, p, n) for i, p, n in pairs if phrase in repo.name_key(f"{i or ''} / {p or ''}")]
    if not matching:
        return false()
    share = sum(n for *_, n in matching) / max(1, sum(n for *_, n in pairs))
    if limit is not None and share >= WALK_SHARE:
        return or_(*(and_(func.coalesce(v.issuer, "") == (i or ""), func.coalesce(v.parent_issuer, "") == (p or ""))
                     for i, p, _ in matching))
    return or_(*(and_(_equals(v.issuer, i), _equals(v.parent_issuer, p)) for i, p, _ in matching))


def resting_on(session: Session, reference: str):
    """SELECT of the ids of the dispatches resting on a document: those citing it (by number, or by
    title words for a law cited by name), the document itself when it is stored, and those citing
    a stored dispatch that rests on it, at any depth (a recursive CTE: the ids stay in the database)."""
    key = query_number_key(reference) if any(c.isdigit() for c in reference) else None
    if key:
        seed = union(select(Dispatch.id.label("id")).where(Dispatch.number_key == key),
                     select(Reference.dispatch_id.label("id")).where(Reference.number_key == key))
    else:
        phrase = search_key(reference)
        titles = session.execute(select(Reference.doc_type, Reference.title).distinct()).all()
        matching = [(k, t) for k, t in titles if phrase in search_key(f"{k} {t or ''}")]
        cited = or_(*(and_(_equals(Reference.doc_type, k), _equals(Reference.title, t)) for k, t in matching)) \
            if matching else false()
        seed = select(Reference.dispatch_id.label("id")).where(cited)
    seed_rows = seed.subquery("seed")
    found = select(seed_rows.c.id).cte("resting_on", recursive=True)
    citing = Reference.__table__.alias("citing")
    found = found.union(select(citing.c.dispatch_id).where(citing.c.target_dispatch_id == found.c.id))
    return select(found.c.id)


def _output(v, per_unit: bool) -> list:
    """The columns of UNIT_COLUMNS or TASK_COLUMNS, in their order (rows become dicts by zip)."""
    issuer = func.coalesce(func.nullif(v.issuer, ""), v.parent_issuer)
    by_name = {"issuer": issuer, "task": v.task_text, "status": v.status if per_unit else v.task_status}
    return [(by_name[name] if name in by_name else v[name]).label(name)
            for name in (UNIT_COLUMNS if per_unit else TASK_COLUMNS)]


def query_tasks(session: Session, f: TaskFilter, limit: Optional[int] = None) -> list[dict]:
    """The rows matching `f`, by deadline (none last), issue date (none last), dispatch, position
    and unit; the first `limit` of them if given. NULLS LAST rather than `due_by IS NULL, due_by`:
    SQLite then walks the due_by indexes in order and stops at `limit`, instead of sorting them all."""
    v = (_per_unit() if f.per_unit else _per_task()).c
    order = [v.due_by.asc().nulls_last(), v.issued_date.asc().nulls_last(), v.dispatch_id, v.position]
    query = (select(*_output(v, f.per_unit)).where(*_conditions(session, f, v, limit))
             .order_by(*order, *([v.unit_code] if f.per_unit else [])))
    if limit is not None:
        query = query.limit(limit)
    names = UNIT_COLUMNS if f.per_unit else TASK_COLUMNS
    return [dict(zip(names, r)) for r in session.execute(query)]


def task_rows(store: Optional[Store] = None, *, limit: Optional[int] = None, **filters) -> list[dict]:
    """The tasks matching the filters (see `make_filter`), as dicts; the first `limit` if given."""
    f = make_filter(**filters)
    with (store or default_store()).session() as session:
        return query_tasks(session, f, limit)


def tasks_frame(store: Optional[Store] = None, *, limit: Optional[int] = None, **filters) -> "pd.DataFrame":
    """`task_rows` as a DataFrame, columns in a fixed order even when no row matches."""
    import pandas as pd

    per_unit = bool(filters.get("school") or filters.get("unit"))
    return pd.DataFrame(task_rows(store, limit=limit, **filters), columns=UNIT_COLUMNS if per_unit else TASK_COLUMNS)


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
    # newest first, undated last: written with NULLS LAST so that SQLite walks the issued_date index
    # and stops at `limit` when the phrase is common, instead of reading every dispatch's text
    dispatches = session.scalars(select(Dispatch).where(Dispatch.text_search.like(pattern))
                                 .order_by(Dispatch.issued_date.desc().nulls_last(), Dispatch.id)
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

