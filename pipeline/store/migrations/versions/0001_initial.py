"""Tracking store: registry, source files, dispatches, recipients, references, tasks, assignments,
status history, and the task_view view.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# frozen copy: a later change to the view is a new migration, not an edit of models.TASK_VIEW_SQL
TASK_VIEW_SQL = '''
CREATE VIEW task_view AS
SELECT t.id AS task_id, d.id AS dispatch_id, d.number, d.doc_type, d.issuer, d.parent_issuer,
       d.issued_date, d.subject, t.position, t.text AS task_text, t.text_search, t.action,
       t.assignees, t.report_to, t.due_date, t.due_by, t.recurrence, t.status AS task_status,
       t.assigned_to, a.id AS assignment_id, u.id AS unit_id, u.code AS unit_code,
       u.name AS unit_name, u.kind AS unit_kind, u.level AS unit_level, u.district AS unit_district,
       a.status AS unit_status,
       CASE WHEN t.status IN ('done', 'cancelled') OR a.status IS NULL THEN t.status
            ELSE a.status END AS status
FROM tasks t
JOIN dispatches d ON d.id = t.dispatch_id
LEFT JOIN task_assignments a ON a.task_id = t.id
LEFT JOIN units u ON u.id = a.unit_id
'''


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dispatches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=100), nullable=True),
    sa.Column('number', sa.String(length=200), nullable=True),
    sa.Column('number_key', sa.String(length=200), nullable=True),
    sa.Column('doc_key', sa.String(length=600), nullable=True),
    sa.Column('issued_date', sa.String(length=10), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('issuer', sa.String(length=300), nullable=True),
    sa.Column('parent_issuer', sa.String(length=300), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('urgency', sa.String(length=100), nullable=True),
    sa.Column('secrecy', sa.String(length=100), nullable=True),
    sa.Column('signer_name', sa.String(length=200), nullable=True),
    sa.Column('signer_title', sa.String(length=200), nullable=True),
    sa.Column('signer_authority', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_search', sa.Text(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('extractor_version', sa.String(length=64), nullable=False),
    sa.Column('extracted_at', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatches')),
    sa.UniqueConstraint('doc_key', name=op.f('uq_dispatches_doc_key'))
    )
    op.create_index('ix_dispatches_issued_date', 'dispatches', ['issued_date'])
    op.create_index('ix_dispatches_number_key', 'dispatches', ['number_key'])

    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_search', sa.String(length=320), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.Column('district', sa.String(length=100), nullable=True),
    sa.Column('province', sa.String(length=100), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('parent_code', sa.String(length=40), nullable=True),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.CheckConstraint("kind IN ('so_gddt', 'phong_gddt', 'school', 'center', 'other')", name=op.f('ck_units_kind')),
    sa.CheckConstraint("level IN ('Mầm non', 'Tiểu học', 'THCS', 'THPT')", name=op.f('ck_units_level')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('code', name=op.f('uq_units_code'))
    )
    op.create_index('ix_units_district', 'units', ['district'])

    op.create_table('dispatch_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispatch_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=100), nullable=True),
    sa.Column('number', sa.String(length=200), nullable=True),
    sa.Column('number_key', sa.String(length=200), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('issuer', sa.String(length=300), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('target_dispatch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_dispatch_references_dispatch_id_dispatches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_dispatch_id'], ['dispatches.id'], name=op.f('fk_dispatch_references_target_dispatch_id_dispatches'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_references'))
    )
    op.create_index('ix_dispatch_references_dispatch_id', 'dispatch_references', ['dispatch_id'])
    op.create_index('ix_dispatch_references_number_key', 'dispatch_references', ['number_key'])
    op.create_index('ix_dispatch_references_target_dispatch_id', 'dispatch_references', ['target_dispatch_id'])

    op.create_table('recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispatch_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=4), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('rules', sa.String(length=300), nullable=True),
    sa.Column('unit_count', sa.Integer(), nullable=False),
    sa.Column('resolve_note', sa.Text(), nullable=True),
    sa.CheckConstraint("role IN ('to', 'cc')", name=op.f('ck_recipients_role')),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_recipients_dispatch_id_dispatches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipients'))
    )
    op.create_index('ix_recipients_dispatch_id', 'recipients', ['dispatch_id'])

    op.create_table('source_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('original_name', sa.String(length=500), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('archive_path', sa.Text(), nullable=True),
    sa.Column('media_type', sa.String(length=120), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('dispatch_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.CheckConstraint("status IN ('stored', 'duplicate', 'failed')", name=op.f('ck_source_files_status')),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_source_files_dispatch_id_dispatches'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_files')),
    sa.UniqueConstraint('sha256', name=op.f('uq_source_files_sha256'))
    )
    op.create_index('ix_source_files_dispatch_id', 'source_files', ['dispatch_id'])
    op.create_index('ix_source_files_status', 'source_files', ['status'])

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispatch_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_search', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=200), nullable=True),
    sa.Column('assignees', sa.Text(), nullable=True),
    sa.Column('report_to', sa.Text(), nullable=True),
    sa.Column('due_date', sa.String(length=10), nullable=True),
    sa.Column('due_by', sa.String(length=10), nullable=True),
    sa.Column('recurrence', sa.String(length=12), nullable=True),
    sa.Column('deadline_text', sa.Text(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('assigned_to', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.CheckConstraint("recurrence IN ('daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'yearly')", name=op.f('ck_tasks_recurrence')),
    sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'cancelled')", name=op.f('ck_tasks_status')),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_tasks_dispatch_id_dispatches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    op.create_index('ix_tasks_dispatch_id', 'tasks', ['dispatch_id'])
    op.create_index('ix_tasks_due_by', 'tasks', ['due_by'])
    op.create_index('ix_tasks_status', 'tasks', ['status'])

    op.create_table('recipient_units',
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipients.id'], name=op.f('fk_recipient_units_recipient_id_recipients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_recipient_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recipient_id', 'unit_id', name=op.f('pk_recipient_units'))
    )
    op.create_index('ix_recipient_units_unit_id', 'recipient_units', ['unit_id'])

    op.create_table('task_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('via', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'cancelled')", name=op.f('ck_task_assignments_status')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_assignments_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_task_assignments_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_assignments')),
    sa.UniqueConstraint('task_id', 'unit_id', name='uq_task_assignments_task_unit')
    )
    op.create_index('ix_task_assignments_unit_id', 'task_assignments', ['unit_id'])

    op.create_table('task_status_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('old_status', sa.String(length=12), nullable=True),
    sa.Column('new_status', sa.String(length=12), nullable=False),
    sa.Column('changed_at', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['task_assignments.id'], name=op.f('fk_task_status_history_assignment_id_task_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_status_history_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_status_history'))
    )
    op.create_index('ix_task_status_history_task_id', 'task_status_history', ['task_id'])
    op.execute(TASK_VIEW_SQL)


def downgrade() -> None:
    op.execute("DROP VIEW task_view")
    for table in ("task_status_history", "task_assignments", "recipient_units", "tasks", "source_files",
                  "recipients", "dispatch_references", "units", "dispatches"):
        op.drop_table(table)
