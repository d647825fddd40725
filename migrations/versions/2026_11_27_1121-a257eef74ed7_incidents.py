"""incidents

Revision ID: a257eef74ed7
Revises: 5e0c2a9b7d14
Create Date: 2026-11-27 11:21:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'a257eef74ed7'
down_revision = '5e0c2a9b7d14'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incidents',
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('exercise', sa.Boolean(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('operational_period_hours', sa.Integer(), nullable=False),
    sa.Column('period_start', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('area_source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('area', sa.JSON(), nullable=False),
    sa.Column('counties', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stood_down_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_status'))

    op.drop_table('incidents')
