"""Referrals: why released, when to remind, indexes for the deadline jobs; marks to re-match an incident's reserve.

Revision ID: 19298c08dcc1
Revises: 5f74879a1493
Create Date: 2026-11-27 13:54:07.661545
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '19298c08dcc1'
down_revision = '5f74879a1493'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rematch_requests',
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('volunteer_cursor', sa.Integer(), server_default='0', nullable=False),
    sa.Column('item_cursor', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_rematch_requests_incident'),
    sa.PrimaryKeyConstraint('incident_slug')
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('released_why', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
        batch_op.add_column(sa.Column('remind_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_referrals_state_accepted', ['state', 'accepted_at'], unique=False)
        batch_op.create_index('ix_referrals_state_ack_due', ['state', 'ack_due_at'], unique=False)
        batch_op.create_index('ix_referrals_state_remind', ['state', 'remind_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_state_remind')
        batch_op.drop_index('ix_referrals_state_ack_due')
        batch_op.drop_index('ix_referrals_state_accepted')
        batch_op.drop_column('remind_at')
        batch_op.drop_column('released_why')

    op.drop_table('rematch_requests')
