"""call events and route decisions

Revision ID: 80a88433ba57
Revises: 2d262cbc74d6
Create Date: 2026-11-27 09:45:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '80a88433ba57'
down_revision = '2d262cbc74d6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('route_decisions',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('county_fips', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('zip', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=True),
    sa.Column('tty', sa.Boolean(), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('skipped', sa.JSON(), nullable=False),
    sa.Column('stale', sa.JSON(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('route_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_route_decisions_decided_at'), ['decided_at'], unique=False)

    op.create_table('call_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('center', sa.String(length=63), nullable=False),
    sa.Column('call_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('to_center', sa.String(length=63), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=True),
    sa.Column('caller_zip', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('caller_county', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.ForeignKeyConstraint(['center'], ['centers.slug'], ),
    sa.ForeignKeyConstraint(['to_center'], ['centers.slug'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('center', 'call_id', 'event', name='uq_call_events_center_call_event')
    )
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.create_index('ix_call_events_at_center', ['at', 'center'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.drop_index('ix_call_events_at_center')

    op.drop_table('call_events')
    with op.batch_alter_table('route_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_decisions_decided_at'))

    op.drop_table('route_decisions')
