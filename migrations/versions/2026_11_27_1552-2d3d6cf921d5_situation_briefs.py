"""situation briefs

Revision ID: 2d3d6cf921d5
Revises: a3c1e5d7f902
Create Date: 2026-11-27 15:52:26.661582
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '2d3d6cf921d5'
down_revision = 'a3c1e5d7f902'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('brief_narratives',
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('situation', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('rumor_control', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_brief_narratives_incident'),
    sa.PrimaryKeyConstraint('incident_slug')
    )
    op.create_table('brief_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('operational_period_hours', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.DateTime(), nullable=True),
    sa.Column('cron', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('catch_up', sa.Boolean(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_brief_schedules_incident'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('incident_slug', name='uq_brief_schedules_incident')
    )
    op.create_table('briefs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('narrative', sa.JSON(), nullable=False),
    sa.Column('prepared_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_briefs_incident'),
    sa.ForeignKeyConstraint(['schedule_id'], ['brief_schedules.id'], name='fk_briefs_schedule'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('incident_slug', 'number', name='uq_briefs_incident_number'),
    sa.UniqueConstraint('schedule_id', 'period_start', name='uq_briefs_schedule_period')
    )
    with op.batch_alter_table('briefs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefs_incident_slug'), ['incident_slug'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('briefs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefs_incident_slug'))

    op.drop_table('briefs')
    op.drop_table('brief_schedules')
    op.drop_table('brief_narratives')
