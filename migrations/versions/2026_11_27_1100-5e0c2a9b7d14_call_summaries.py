"""call summaries (one row per call, for the call figures); overflow index on call events

Revision ID: 5e0c2a9b7d14
Revises: 80a88433ba57
Create Date: 2026-11-27 11:00:00

Calls already stored are summarised from their events, so the figures count them too.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '5e0c2a9b7d14'
down_revision = '80a88433ba57'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('call_summaries',
    sa.Column('center', sa.String(length=63), nullable=False),
    sa.Column('call_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('abandoned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('to_center', sa.String(length=63), nullable=True),
    sa.Column('caller_county', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.ForeignKeyConstraint(['center'], ['centers.slug'], ),
    sa.ForeignKeyConstraint(['to_center'], ['centers.slug'], ),
    sa.PrimaryKeyConstraint('center', 'call_id')
    )
    with op.batch_alter_table('call_summaries', schema=None) as batch_op:
        batch_op.create_index('ix_call_summaries_offered_at', ['offered_at'], unique=False)
        batch_op.create_index('ix_call_summaries_center_offered_at', ['center', 'offered_at'], unique=False)
        batch_op.create_index('ix_call_summaries_to_center_offered_at', ['to_center', 'offered_at'], unique=False,
                              postgresql_where=sa.text('to_center IS NOT NULL'),
                              sqlite_where=sa.text('to_center IS NOT NULL'))
        batch_op.create_index('ix_call_summaries_caller_county_offered_at', ['caller_county', 'offered_at'],
                              unique=False, postgresql_where=sa.text('caller_county IS NOT NULL'),
                              sqlite_where=sa.text('caller_county IS NOT NULL'))
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.create_index('ix_call_events_to_center_at', ['to_center', 'at'], unique=False,
                              postgresql_where=sa.text('to_center IS NOT NULL'),
                              sqlite_where=sa.text('to_center IS NOT NULL'))
    op.execute("""
        INSERT INTO call_summaries (center, call_id, offered_at, answered_at, abandoned_at, ended_at, to_center,
                                    caller_county)
        SELECT center, call_id,
               MIN(CASE WHEN event = 'offered' THEN at END), MIN(CASE WHEN event = 'answered' THEN at END),
               MIN(CASE WHEN event = 'abandoned' THEN at END), MAX(CASE WHEN event = 'ended' THEN at END),
               MAX(to_center), MAX(caller_county)
        FROM call_events
        GROUP BY center, call_id
    """)


def downgrade() -> None:
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.drop_index('ix_call_events_to_center_at')
    with op.batch_alter_table('call_summaries', schema=None) as batch_op:
        batch_op.drop_index('ix_call_summaries_caller_county_offered_at')
        batch_op.drop_index('ix_call_summaries_to_center_offered_at')
        batch_op.drop_index('ix_call_summaries_center_offered_at')
        batch_op.drop_index('ix_call_summaries_offered_at')
    op.drop_table('call_summaries')
