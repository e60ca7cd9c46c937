"""The nightly batch as plain functions: which units get a list, the files, the e-mail, a summary.

A unit gets a list when it has open (or in-progress) tasks that are overdue, due within the next
`upcoming_days`, or have no deadline at all (an undated instruction stands until it is done — the
seed dispatches give none). A recurring task is about its next deadline on or after the day.
Lists go to `OUTBOX/<date>/<unit code>/` (tasks.xlsx, tasks.docx, tasks.ics); a unit folder left
from an earlier run of the same date that has no list any more is removed. A unit whose list was
e-mailed for that date (`sent.json`) is not sent it again unless `resend`.
"""
from __future__ import annotations

import calendar
import json
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.outbox import FILES, ListedTask, UnitList, write_unit_files
from pipeline.settings import Settings
from pipeline.store.models import TaskStatus, Unit, task_view

OPEN = (TaskStatus.open.value, TaskStatus.in_progress.value)
MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}
SENT = "sent.json"


class NightlyError(ValueError):
    pass


def today_in(tz: str, now: Optional[datetime] = None) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(ZoneInfo(tz)).date()


def _add_months(day: date, months: int, anchor_day: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def next_occurrence(first: date, recurrence: Optional[str], today: date) -> date:
    """The first deadline on or after `today` of a task first due `first` and repeating."""
    if not recurrence or first >= today:
        return first
    if recurrence in ("daily", "weekly"):
        step = 1 if recurrence == "daily" else 7
        return first + timedelta(days=-(-(today - first).days // step) * step)
    months, current, n = MONTHS.get(recurrence), first, 0
    if months is None:
        return first
    while current < today:
        n += 1
        current = _add_months(first, months * n, first.day)
    return current


def _listed(r, today: date, horizon: date) -> Optional[ListedTask]:
    due_by = date.fromisoformat(r.due_by) if r.due_by else None
    next_due = next_occurrence(due_by, r.recurrence, today) if due_by else None
    if next_due is not None and next_due > horizon:
        return None
    return ListedTask(task_id=r.task_id, dispatch_id=r.dispatch_id, number=r.number, doc_type=r.doc_type,
                      issued_date=r.issued_date, issuer=r.issuer or r.parent_issuer, subject=r.subject,
                      text=r.task_text, report_to=r.report_to, due_date=r.due_date, due_by=due_by,
                      next_due=next_due, recurrence=r.recurrence, status=r.status,
                      overdue=next_due is not None and next_due < today, assigned_to=r.assigned_to)


def _order(t: ListedTask) -> tuple:
    return (t.next_due is None, t.next_due or date.max, t.dispatch_id, t.task_id)


def unit_task_lists(session: Session, today: date, upcoming_days: int = 30) -> list[UnitList]:
    """Every unit with open tasks that are overdue, due by today + `upcoming_days`, or undated."""
    horizon = today + timedelta(days=upcoming_days)
    v = task_view.c
    rows = session.execute(select(task_view).where(v.unit_id.is_not(None), v.status.in_(OPEN))
                           .order_by(v.unit_code, v.dispatch_id, v.position))
    by_unit: dict[int, list[ListedTask]] = {}
    for r in rows:
        listed = _listed(r, today, horizon)
        if listed is not None:
            by_unit.setdefault(r.unit_id, []).append(listed)
    if not by_unit:
        return []
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(sorted(by_unit))))}
    parents = {u.code: u.name for u in session.scalars(
        select(Unit).where(Unit.code.in_({u.parent_code for u in units.values() if u.parent_code})))}
    lists = [UnitList(code=u.code, name=u.name, kind=u.kind, level=u.level, district=u.district,
                      province=u.province, email=u.email, parent_name=parents.get(u.parent_code or ""),
                      tasks=tuple(sorted(by_unit[u.id], key=_order)))
             for u in units.values()]
    return sorted(lists, key=lambda u: u.code)


# ------------------------------------------------------------------ the run

@dataclass(frozen=True)
class UnitResult:
    code: str
    name: str
    tasks: int
    overdue: int
    folder: str
    mail: str   # sent to …, already sent, no e-mail address, not configured, failed: …


@dataclass
class NightlySummary:
    day: date
    folder: Path
    units: list[UnitResult] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def line(self) -> str:
        sent = sum(u.mail.startswith("sent") for u in self.units)
        failed = sum(u.mail.startswith("failed") for u in self.units)
        return (f"{len(self.units)} units, {sum(u.tasks for u in self.units)} task entries "
                f"({sum(u.overdue for u in self.units)} overdue), {sent} e-mailed, {failed} e-mail failures "
                f"→ {self.folder}")

    def markdown(self) -> str:
        lines = [f"# Nightly task lists for {self.day.isoformat()}", "", self.line(), "",
                 "| unit | name | tasks | overdue | e-mail |", "|---|---|---:|---:|---|"]
        lines += [f"| {u.code} | {u.name} | {u.tasks} | {u.overdue} | {u.mail} |" for u in self.units]
        if self.removed:
            lines += ["", "Removed (no list any more): " + ", ".join(self.removed)]
        return "\n".join(lines) + "\n"


def parse_day(day: Optional[str | date], tz: str) -> date:
    if isinstance(day, date):
        return day
    if not day:
        return today_in(tz)
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise NightlyError(f"--date: {day!r} is not a date (YYYY-MM-DD)") from None


def _unit_folder(root: Path, code: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in code)
    return root / safe


def _clear_stale(root: Path, keep: set[Path]) -> list[str]:
    removed = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if folder not in keep and any((folder / f).exists() for f in FILES):
            shutil.rmtree(folder)
            removed.append(folder.name)
    return removed


def _mail_body(unit: UnitList, day: date) -> str:
    from pipeline.outbox import vi_date

    return (f"Kính gửi: {unit.name}\n\n"
            f"Danh sách nhiệm vụ của đơn vị tính đến ngày {vi_date(day)}: {len(unit.tasks)} nhiệm vụ, "
            f"trong đó {unit.overdue} nhiệm vụ quá hạn.\n"
            "Chi tiết trong các tệp đính kèm: tasks.xlsx (bảng tính), tasks.docx (văn bản), "
            "tasks.ics (lịch các thời hạn).\n\n"
            "Thư được gửi tự động; xin không trả lời thư này.\n")


def send_lists(lists: list[tuple[UnitList, Path]], settings: Settings, day: date, resend: bool = False) -> dict[str, str]:
    """E-mail each unit its files (one SMTP connection); unit code → what happened."""
    from pipeline.mail import build_message, smtp_connection
    from pipeline.outbox import vi_date

    status: dict[str, str] = {}
    todo = []
    for unit, folder in lists:
        if settings.smtp is None:
            status[unit.code] = "not configured"
        elif not unit.email:
            status[unit.code] = "no e-mail address"
        elif (folder / SENT).exists() and not resend:
            status[unit.code] = "already sent"
        else:
            todo.append((unit, folder))
    if not todo:
        return status
    try:
        with smtp_connection(settings.smtp) as client:
            for unit, folder in todo:
                message = build_message(settings.smtp.sender, unit.email,
                                        f"Danh sách nhiệm vụ ngày {vi_date(day)} — {unit.name}",
                                        _mail_body(unit, day), [folder / f for f in FILES])
                try:
                    client.send_message(message)
                except Exception as exc:  # one refused address does not stop the others
                    status[unit.code] = f"failed: {type(exc).__name__}: {exc}"
                    continue
                (folder / SENT).write_text(json.dumps(
                    {"to": unit.email, "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "message_id": message["Message-ID"]}) + "\n", encoding="utf-8")
                status[unit.code] = f"sent to {unit.email}"
    except Exception as exc:  # the server could not be reached: every unit not yet sent failed
        for unit, _ in todo:
            status.setdefault(unit.code, f"failed: {type(exc).__name__}: {exc}")
    return status


def write_lists(store, settings: Settings, day: date, stamp: Optional[datetime] = None
                ) -> tuple[list[tuple[UnitList, Path]], list[str]]:
    """Every unit's files for `day`; ([(unit, folder)], the stale unit folders removed)."""
    with store.session() as session:
        lists = unit_task_lists(session, day, settings.upcoming_days)
    root = settings.outbox / day.isoformat()
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for unit in lists:
        folder = _unit_folder(root, unit.code)
        write_unit_files(unit, day, folder, settings.upcoming_days, stamp or datetime.now(timezone.utc))
        written.append((unit, folder))
    return written, _clear_stale(root, {f for _, f in written})


def summarize(day: date, root: Path, written: list[tuple[UnitList, Path]], removed: list[str],
              status: dict[str, str]) -> NightlySummary:
    """The run's summary, also written to `<date>/summary.md`."""
    summary = NightlySummary(day, root, removed=removed)
    for unit, folder in written:
        summary.units.append(UnitResult(unit.code, unit.name, len(unit.tasks), unit.overdue, str(folder),
                                        status.get(unit.code, "not sent (--no-mail)")))
    (root / "summary.md").write_text(summary.markdown(), encoding="utf-8")
    return summary


def run_nightly(store, settings: Settings, *, day: Optional[str | date] = None, mail: bool = True,
                resend: bool = False, now: Optional[datetime] = None) -> NightlySummary:
    """Write every unit's list for `day` (default: today in the settings' timezone), e-mail them."""
    day = parse_day(day, settings.timezone)
    written, removed = write_lists(store, settings, day, now)
    status = send_lists(written, settings, day, resend) if mail else {}
    return summarize(day, settings.outbox / day.isoformat(), written, removed, status)
