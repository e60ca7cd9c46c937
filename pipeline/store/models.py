"""The tracking store's tables (SQLAlchemy 2, typed declarative).

Plain tables that read well in Datasette: dates are ISO 8601 text (`issued_date`, `due_date`
may be partial, "2019-06"), timestamps ISO text in UTC, statuses short strings guarded by CHECK
constraints. `*_search` columns hold `search_key()` of a text (lower case, diacritics folded,
punctuation as spaces, padded with one space) so `LIKE '% an ninh trat tu %'` finds a phrase
written with or without accents. The view `task_view` (one row per task × assigned unit) is
created by the migrations, not by `Base.metadata`.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class TaskStatus(StrEnum):
    pending_review = "pending_review"  # extracted, waiting for an officer (not sent to schools)
    open = "open"                      # approved: an obligation the units must meet
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"
    rejected = "rejected"              # an officer said it is no obligation (never sent)


# the statuses of a released obligation; every other status keeps a task off the schools' lists
ACTIVE = (TaskStatus.open.value, TaskStatus.in_progress.value)
INACTIVE = tuple(s.value for s in TaskStatus if s.value not in ACTIVE)


class ReviewStatus(StrEnum):
    pending = "pending"      # waits in the review queue
    approved = "approved"    # by an officer, or automatically (reviewed_by "auto")
    rejected = "rejected"    # the whole dispatch: none of its tasks is sent


class SourceStatus(StrEnum):
    stored = "stored"          # extracted; its dispatch is `dispatch_id`
    duplicate = "duplicate"    # same (number, issuer, year) as dispatch `dispatch_id`
    failed = "failed"          # unreadable or extraction failed: see `error`


class UnitKind(StrEnum):
    so_gddt = "so_gddt"            # Sở Giáo dục và Đào tạo (province)
    phong_gddt = "phong_gddt"      # Phòng Giáo dục và Đào tạo (district)
    school = "school"
    center = "center"              # trung tâm GDTX, GDNN-GDTX, …
    other = "other"


LEVELS = ("Mầm non", "Tiểu học", "THCS", "THPT")
RECURRENCES = ("daily", "weekly", "monthly", "quarterly", "semiannual", "yearly")


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON}


class Unit(Base):
    """The registry: schools, Phòng and Sở GD&ĐT, centres (loaded with `congvan registry load`)."""
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(_in("kind", [k.value for k in UnitKind]), name="kind"),
        CheckConstraint(_in("level", LEVELS), name="level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_search: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[Optional[str]] = mapped_column(String(20))
    district: Mapped[Optional[str]] = mapped_column(String(100), index=True)
    province: Mapped[Optional[str]] = mapped_column(String(100))
    email: Mapped[Optional[str]] = mapped_column(String(200))
    parent_code: Mapped[Optional[str]] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(32))


class Dispatch(Base):
    """One stored dispatch: the CONTRACT record's scalars as columns, the whole record as JSON."""
    __tablename__ = "dispatches"
    __table_args__ = (
        Index("ix_dispatches_issuer", "issuer", "parent_issuer"),  # tasks --issuer
        CheckConstraint(_in("review_status", [s.value for s in ReviewStatus]), name="review_status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[Optional[str]] = mapped_column(String(100))
    number: Mapped[Optional[str]] = mapped_column(String(200))
    number_key: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    # number_key|issuer_key|year, only for numbers with digits: a second file with the same key is a duplicate
    doc_key: Mapped[Optional[str]] = mapped_column(String(600), unique=True)
    issued_date: Mapped[Optional[str]] = mapped_column(String(10), index=True)
    place: Mapped[Optional[str]] = mapped_column(String(200))
    issuer: Mapped[Optional[str]] = mapped_column(String(300))
    parent_issuer: Mapped[Optional[str]] = mapped_column(String(300))
    subject: Mapped[Optional[str]] = mapped_column(Text)
    urgency: Mapped[Optional[str]] = mapped_column(String(100))
    secrecy: Mapped[Optional[str]] = mapped_column(String(100))
    signer_name: Mapped[Optional[str]] = mapped_column(String(200))
    signer_title: Mapped[Optional[str]] = mapped_column(String(200))
    signer_authority: Mapped[Optional[str]] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    text_search: Mapped[str] = mapped_column(Text)   # number, issuer, subject and the whole text
    record: Mapped[dict[str, Any]]                    # the CONTRACT JSON object
    extractor_version: Mapped[str] = mapped_column(String(64))
    extracted_at: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(32))
    # the review gate (migration 0003): `record` is what the officer confirmed (or the extraction
    # while none did); `machine_record` is the extraction as the machine made it
    review_status: Mapped[str] = mapped_column(String(12), default=ReviewStatus.pending.value, index=True)
    reviewed_by: Mapped[Optional[str]] = mapped_column(String(200))
    reviewed_at: Mapped[Optional[str]] = mapped_column(String(32))
    confidence: Mapped[Optional[float]] = mapped_column(Float)   # the lowest of its fields and tasks
    machine_record: Mapped[Optional[dict[str, Any]]]

    tasks: Mapped[list[Task]] = relationship(back_populates="dispatch", cascade="all, delete-orphan",
                                             order_by="Task.position", passive_deletes=True)
    recipients: Mapped[list[Recipient]] = relationship(cascade="all, delete-orphan",
                                                       order_by="Recipient.position", passive_deletes=True)
    references: Mapped[list[Reference]] = relationship(
        cascade="all, delete-orphan", order_by="Reference.position", passive_deletes=True,
        foreign_keys="Reference.dispatch_id")


class SourceFile(Base):
    """Every file ingested once per distinct content (sha256), whatever became of it."""
    __tablename__ = "source_files"
    __table_args__ = (CheckConstraint(_in("status", [s.value for s in SourceStatus]), name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(500))
    path: Mapped[str] = mapped_column(Text)                      # where it was read from
    archive_path: Mapped[Optional[str]] = mapped_column(Text)    # set by intake (archive moves)
    media_type: Mapped[Optional[str]] = mapped_column(String(120))
    size: Mapped[Optional[int]] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    error: Mapped[Optional[str]] = mapped_column(Text)
    # stored: the dispatch read from this file; duplicate: the dispatch it duplicates
    dispatch_id: Mapped[Optional[int]] = mapped_column(ForeignKey("dispatches.id", ondelete="SET NULL"), index=True)
    received_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class Recipient(Base):
    __tablename__ = "recipients"
    __table_args__ = (CheckConstraint("role IN ('to', 'cc')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(4))
    purpose: Mapped[Optional[str]] = mapped_column(Text)
    span_start: Mapped[Optional[int]] = mapped_column(Integer)
    span_end: Mapped[Optional[int]] = mapped_column(Integer)
    rules: Mapped[Optional[str]] = mapped_column(String(300))       # ids of the rules that resolved it
    unit_count: Mapped[int] = mapped_column(Integer, default=0)
    resolve_note: Mapped[Optional[str]] = mapped_column(Text)       # why it resolved to nothing


recipient_units = Table(
    "recipient_units", Base.metadata,
    Column("recipient_id", ForeignKey("recipients.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Reference(Base):
    __tablename__ = "dispatch_references"
    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[Optional[str]] = mapped_column(String(100))
    number: Mapped[Optional[str]] = mapped_column(String(200))
    number_key: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    date: Mapped[Optional[str]] = mapped_column(String(10))
    issuer: Mapped[Optional[str]] = mapped_column(String(300))
    title: Mapped[Optional[str]] = mapped_column(Text)
    span_start: Mapped[Optional[int]] = mapped_column(Integer)
    span_end: Mapped[Optional[int]] = mapped_column(Integer)
    # the stored dispatch this reference cites, when its number is in the store
    target_dispatch_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("dispatches.id", ondelete="SET NULL"), index=True)


# Open tasks, as `pipeline.query.still_open` asks for them (the partial index's condition, verbatim)
STILL_OPEN_SQL = "status NOT IN (" + ", ".join(f"'{s}'" for s in INACTIVE) + ")"


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint(_in("status", [s.value for s in TaskStatus]), name="status"),
        CheckConstraint(_in("recurrence", RECURRENCES), name="recurrence"),
        # the analysts' queries in deadline order, stopping at a page (migration 0002)
        Index("ix_tasks_status_due_by", "status", "due_by"),
        Index("ix_tasks_open_due_by", "due_by", sqlite_where=text(STILL_OPEN_SQL),
              postgresql_where=text(STILL_OPEN_SQL)),
        Index("ix_tasks_dispatch_id_position", "dispatch_id", "position"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_search: Mapped[str] = mapped_column(Text)
    action: Mapped[Optional[str]] = mapped_column(String(200))
    assignees: Mapped[Optional[str]] = mapped_column(Text)        # as extracted, joined with "; "
    report_to: Mapped[Optional[str]] = mapped_column(Text)
    due_date: Mapped[Optional[str]] = mapped_column(String(10))   # as extracted (may be partial)
    due_by: Mapped[Optional[str]] = mapped_column(String(10), index=True)  # last day of due_date
    recurrence: Mapped[Optional[str]] = mapped_column(String(12))
    deadline_text: Mapped[Optional[str]] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.open.value)
    assigned_to: Mapped[Optional[str]] = mapped_column(String(200))  # the person who follows it up
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[Optional[float]] = mapped_column(Float)    # from the rule evidence (and OCR)
    origin: Mapped[str] = mapped_column(String(12), default="extracted")  # or "reviewer": added by hand

    dispatch: Mapped[Dispatch] = relationship(back_populates="tasks")
    assignments: Mapped[list[TaskAssignment]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class TaskAssignment(Base):
    """A task addressed to a group, linked to each registry unit the group resolves to."""
    __tablename__ = "task_assignments"
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", name="uq_task_assignments_task_unit"),
        CheckConstraint(_in("status", [s.value for s in TaskStatus]), name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.open.value)
    via: Mapped[Optional[str]] = mapped_column(Text)  # the addressee phrase and rule it came from
    updated_at: Mapped[str] = mapped_column(String(32))


class TaskStatusChange(Base):
    """Every status change of a task, or of one unit's assignment of it."""
    __tablename__ = "task_status_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("task_assignments.id", ondelete="CASCADE"))
    old_status: Mapped[Optional[str]] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[Optional[str]] = mapped_column(String(200))
    note: Mapped[Optional[str]] = mapped_column(Text)


class User(Base):
    """Who may use the review page when it is bound beyond loopback (`congvan user add`)."""
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))   # scrypt, with its salt and parameters
    active: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[str] = mapped_column(String(32))


class AuditEntry(Base):
    """Every change a person (or the gate) made: who, when, what, the value before and after."""
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)
    dispatch_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)  # no FK: the log outlives rows
    task_id: Mapped[Optional[int]] = mapped_column(Integer)
    field: Mapped[Optional[str]] = mapped_column(String(60))
    old_value: Mapped[Optional[dict[str, Any]]]
    new_value: Mapped[Optional[dict[str, Any]]]
    remote: Mapped[Optional[str]] = mapped_column(String(100))   # the client address, for web changes


# The view the migrations create (read-only; not part of Base.metadata, so autogenerate ignores it).
# One row per task and assigned unit (a task with no unit: one row, unit columns NULL). `status` is
# the effective status: the task's own when it is done or cancelled, else the unit's.
VIEWS = MetaData()
task_view = Table(
    "task_view", VIEWS,
    *(Column(name, type_) for name, type_ in [
        ("task_id", Integer), ("dispatch_id", Integer), ("number", String), ("doc_type", String),
        ("issuer", String), ("parent_issuer", String), ("issued_date", String), ("subject", Text),
        ("position", Integer), ("task_text", Text), ("text_search", Text), ("action", String),
        ("assignees", Text), ("report_to", Text), ("due_date", String), ("due_by", String),
        ("recurrence", String), ("task_status", String), ("assigned_to", String),
        ("assignment_id", Integer), ("unit_id", Integer), ("unit_code", String), ("unit_name", String),
        ("unit_kind", String), ("unit_level", String), ("unit_district", String),
        ("unit_status", String), ("status", String),
    ]),
)

TASK_VIEW_SQL = """
CREATE VIEW task_view AS
SELECT t.id AS task_id, d.id AS dispatch_id, d.number, d.doc_type, d.issuer, d.parent_issuer,
       d.issued_date, d.subject, t.position, t.text AS task_text, t.text_search, t.action,
       t.assignees, t.report_to, t.due_date, t.due_by, t.recurrence, t.status AS task_status,
       t.assigned_to, a.id AS assignment_id, u.id AS unit_id, u.code AS unit_code,
       u.name AS unit_name, u.kind AS unit_kind, u.level AS unit_level, u.district AS unit_district,
       a.status AS unit_status,
       CASE WHEN t.status NOT IN ('open', 'in_progress') OR a.status IS NULL THEN t.status
            ELSE a.status END AS status
FROM tasks t
JOIN dispatches d ON d.id = t.dispatch_id
LEFT JOIN task_assignments a ON a.task_id = t.id
LEFT JOIN units u ON u.id = a.unit_id
"""
