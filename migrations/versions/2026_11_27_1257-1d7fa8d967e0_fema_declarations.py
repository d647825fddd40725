"""fema declarations: one row per designated area of an OpenFEMA declaration

Revision ID: 1d7fa8d967e0
Revises: eba6efd97082
Create Date: 2026-11-27 12:57:09.738961
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '1d7fa8d967e0'
down_revision = 'eba6efd97082'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fema_declaration_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('row_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('declaration', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('incident_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('county_fips', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('designated_area', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('row_id', name='uq_fema_declaration_areas_row_id')
    )
    with op.batch_alter_table('fema_declaration_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fema_declaration_areas_declaration'), ['declaration'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('fema_declaration_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fema_declaration_areas_declaration'))

    op.drop_table('fema_declaration_areas')
