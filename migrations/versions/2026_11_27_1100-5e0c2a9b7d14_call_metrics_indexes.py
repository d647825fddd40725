"""indexes for call figures: a center's events, calls overflowed to it, callers' counties

Revision ID: 5e0c2a9b7d14
Revises: 80a88433ba57
Create Date: 2026-11-27 11:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '5e0c2a9b7d14'
down_revision = '80a88433ba57'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.create_index('ix_call_events_center_at', ['center', 'at'], unique=False)
        batch_op.create_index('ix_call_events_to_center_at', ['to_center', 'at'], unique=False,
                              postgresql_where=sa.text('to_center IS NOT NULL'),
                              sqlite_where=sa.text('to_center IS NOT NULL'))
        batch_op.create_index('ix_call_events_caller_county_at', ['caller_county', 'at'], unique=False,
                              postgresql_where=sa.text('caller_county IS NOT NULL'),
                              sqlite_where=sa.text('caller_county IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.drop_index('ix_call_events_caller_county_at')
        batch_op.drop_index('ix_call_events_to_center_at')
        batch_op.drop_index('ix_call_events_center_at')
