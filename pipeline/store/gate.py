"""The review gate's rule: which new dispatches skip the officer, and which tasks wait.

A dispatch is approved by the gate ("auto") when the lowest confidence of its header fields and
tasks is at least the threshold (`Settings.auto_approve`); otherwise its tasks are
`pending_review` until an officer approves or rejects them (`pipeline.review`).
"""
from __future__ import annotations

from typing import Optional

import schemas
from pipeline.store.models import Dispatch, ReviewStatus, TaskStatus

AUTO = "auto"            # reviewed_by of a dispatch the gate approved
MIGRATION = "migration"  # reviewed_by of a dispatch stored before the gate existed
MACHINE_ACTORS = (AUTO, MIGRATION)


def record_confidence(record: schemas.Dispatch) -> Optional[float]:
    """The lowest confidence of the record's header fields and tasks (None: nothing was scored)."""
    values = list(record.confidence.values()) + [t.confidence for t in record.tasks if t.confidence is not None]
    return min(values) if values else None


def passes(confidence: Optional[float], threshold: float) -> bool:
    """A record nothing was scored on counts as confidence 0: approved only with the gate off (0)."""
    return (confidence or 0.0) >= threshold


def human_reviewed(row: Dispatch) -> bool:
    return row.review_status != ReviewStatus.pending.value and row.reviewed_by not in MACHINE_ACTORS


def apply_gate(row: Dispatch, threshold: float, now: str) -> None:
    """Approve a dispatch the machine is sure of; send the rest to review. Only tasks still waiting
    or released by the gate move; one an officer or a school touched keeps its status."""
    approved = passes(row.confidence, threshold)
    row.review_status = (ReviewStatus.approved if approved else ReviewStatus.pending).value
    row.reviewed_by, row.reviewed_at = (AUTO, now) if approved else (None, None)
    status = TaskStatus.open if approved else TaskStatus.pending_review
    for task in row.tasks:
        if task.status in (TaskStatus.pending_review.value, TaskStatus.open.value) and task.status != status:
            task.status, task.updated_at = status.value, now
