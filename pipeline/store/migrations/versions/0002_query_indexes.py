"""Indexes for the analysts' queries at scale (100,000 dispatches, 1,000,000 tasks; see
benchmarks/store.py): tasks by status in deadline order, open tasks by deadline (a partial index:
overdue and upcoming), a dispatch's tasks in order, dispatches by issuer.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# the condition `pipeline.query.still_open` writes, word for word: SQLite uses a partial index only
# for a query that repeats its WHERE clause
STILL_OPEN = sa.text("status NOT IN ('done', 'cancelled')")


def upgrade() -> None:
    op.drop_index('ix_tasks_status', table_name='tasks')
    op.create_index('ix_tasks_status_due_by', 'tasks', ['status', 'due_by'])
    op.create_index('ix_tasks_open_due_by', 'tasks', ['due_by'], sqlite_where=STILL_OPEN, postgresql_where=STILL_OPEN)
    op.drop_index('ix_tasks_dispatch_id', table_name='tasks')
    op.create_index('ix_tasks_dispatch_id_position', 'tasks', ['dispatch_id', 'position'])
    op.create_index('ix_dispatches_issuer', 'dispatches', ['issuer', 'parent_issuer'])


def downgrade() -> None:
    op.drop_index('ix_dispatches_issuer', table_name='dispatches')
    op.drop_index('ix_tasks_dispatch_id_position', table_name='tasks')
    op.create_index('ix_tasks_dispatch_id', 'tasks', ['dispatch_id'])
    op.drop_index('ix_tasks_open_due_by', table_name='tasks')
    op.drop_index('ix_tasks_status_due_by', table_name='tasks')
    op.create_index('ix_tasks_status', 'tasks', ['status'])
