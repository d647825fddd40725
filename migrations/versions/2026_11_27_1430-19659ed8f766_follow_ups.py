"""follow ups

Revision ID: 19659ed8f766
Revises: 19298c08dcc1
Create Date: 2026-11-27 14:30:32.150891
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '19659ed8f766'
down_revision = '19298c08dcc1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=True),
    sa.Column('donation_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contacted', sa.Boolean(), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name='fk_follow_ups_donation'),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_follow_ups_incident'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name='fk_follow_ups_volunteer'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('donation_id'),
    sa.UniqueConstraint('token_hash'),
    sa.UniqueConstraint('volunteer_id')
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_incident_slug'), ['incident_slug'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_incident_slug'))

    op.drop_table('follow_ups')
