"""The review gate: task statuses pending_review and rejected, a dispatch's review status and
confidence, the machine's own record beside the reviewed one, users and the audit log.

Dispatches stored before the gate were already released: they become `approved` (by "migration").
SQLite re-creates `tasks` and `task_assignments` to change their CHECK constraints; `db.upgrade`
runs migrations with foreign keys off, so the copy does not cascade into assignments and history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

STATUSES = ('pending_review', 'open', 'in_progress', 'done', 'cancelled', 'rejected')
OLD_STATUSES = ('open', 'in_progress', 'done', 'cancelled')


def _in(values) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


# frozen copies (a later change is a new migration)
STILL_OPEN = sa.text("status NOT IN ('pending_review', 'done', 'cancelled', 'rejected')")
OLD_STILL_OPEN = sa.text("status NOT IN ('done', 'cancelled')")
VIEW_SQL = '''
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
'''
OLD_VIEW_SQL = VIEW_SQL.replace("t.status NOT IN ('open', 'in_progress')", "t.status IN ('done', 'cancelled')")


def _status_check(table: str, values, length: int) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(f'ck_{table}_status'), type_='check')
        batch.alter_column('status', type_=sa.String(length=length), existing_nullable=False)
        batch.create_check_constraint(op.f(f'ck_{table}_status'), sa.text(_in(values)))


def _history_columns(length: int) -> None:
    with op.batch_alter_table('task_status_history') as batch:
        batch.alter_column('old_status', type_=sa.String(length=length), existing_nullable=True)
        batch.alter_column('new_status', type_=sa.String(length=length), existing_nullable=False)


def upgrade() -> None:
    op.execute("DROP VIEW task_view")
    op.drop_index('ix_tasks_open_due_by', table_name='tasks')
    with op.batch_alter_table('dispatches') as batch:
        batch.add_column(sa.Column('review_status', sa.String(length=12), nullable=False,
                                   server_default='approved'))
        batch.add_column(sa.Column('reviewed_by', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('reviewed_at', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('confidence', sa.Float(), nullable=True))
        batch.add_column(sa.Column('machine_record', sa.JSON(), nullable=True))
        batch.create_check_constraint(op.f('ck_dispatches_review_status'),
                                      sa.text("review_status IN ('pending', 'approved', 'rejected')"))
        batch.create_index('ix_dispatches_review_status', ['review_status'])
    op.execute("UPDATE dispatches SET reviewed_by = 'migration', machine_record = record")
    with op.batch_alter_table('tasks') as batch:
        batch.add_column(sa.Column('confidence', sa.Float(), nullable=True))
        batch.add_column(sa.Column('origin', sa.String(length=12), nullable=False, server_default='extracted'))
        batch.drop_constraint(op.f('ck_tasks_status'), type_='check')
        batch.alter_column('status', type_=sa.String(length=20), existing_nullable=False)
        batch.create_check_constraint(op.f('ck_tasks_status'), sa.text(_in(STATUSES)))
    _status_check('task_assignments', STATUSES, 20)
    _history_columns(20)
    op.create_index('ix_tasks_open_due_by', 'tasks', ['due_by'], sqlite_where=STILL_OPEN, postgresql_where=STILL_OPEN)
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('dispatch_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=60), nullable=True),
    sa.Column('old_value', sa.JSON(), nullable=True),
    sa.Column('new_value', sa.JSON(), nullable=True),
    sa.Column('remote', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_action', 'audit_log', ['action'])
    op.create_index('ix_audit_log_dispatch_id', 'audit_log', ['dispatch_id'])
    op.execute(VIEW_SQL)


def downgrade() -> None:
    op.execute("DROP VIEW task_view")
    op.drop_table('audit_log')
    op.drop_table('users')
    op.drop_index('ix_tasks_open_due_by', table_name='tasks')
    op.execute("UPDATE tasks SET status = 'open' WHERE status = 'pending_review'")
    op.execute("UPDATE tasks SET status = 'cancelled' WHERE status = 'rejected'")
    op.execute("UPDATE task_assignments SET status = 'open' WHERE status = 'pending_review'")
    op.execute("UPDATE task_assignments SET status = 'cancelled' WHERE status = 'rejected'")
    op.execute("UPDATE task_status_history SET old_status = 'open' WHERE old_status = 'pending_review'")
    op.execute("UPDATE task_status_history SET new_status = 'open' WHERE new_status = 'pending_review'")
    _history_columns(12)
    _status_check('task_assignments', OLD_STATUSES, 12)
    with op.batch_alter_table('tasks') as batch:
        batch.drop_constraint(op.f('ck_tasks_status'), type_='check')
        batch.alter_column('status', type_=sa.String(length=12), existing_nullable=False)
        batch.create_check_constraint(op.f('ck_tasks_status'), sa.text(_in(OLD_STATUSES)))
        batch.drop_column('origin')
        batch.drop_column('confidence')
    op.create_index('ix_tasks_open_due_by', 'tasks', ['due_by'], sqlite_where=OLD_STILL_OPEN,
                    postgresql_where=OLD_STILL_OPEN)
    with op.batch_alter_table('dispatches') as batch:
        batch.drop_index('ix_dispatches_review_status')
        batch.drop_constraint(op.f('ck_dispatches_review_status'), type_='check')
        for column in ('machine_record', 'confidence', 'reviewed_at', 'reviewed_by', 'review_status'):
            batch.drop_column(column)
    op.execute(OLD_VIEW_SQL)
