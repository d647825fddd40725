"""need reports: people's needs and unmet needs logged by call-takers or imported

Revision ID: c4ae6c670ed5
Revises: 19659ed8f766
Create Date: 2026-11-27 15:52:27.222794
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'c4ae6c670ed5'
down_revision = '19659ed8f766'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('need_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('center_slug', sa.String(length=63), nullable=False),
    sa.Column('county_fips', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('zip', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('unmet_reason', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('logged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('logged_by', sa.Integer(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('import_batch', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.ForeignKeyConstraint(['center_slug'], ['centers.slug'], name='fk_need_reports_center'),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_need_reports_incident'),
    sa.ForeignKeyConstraint(['logged_by'], ['users.id'], name='fk_need_reports_logged_by', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('center_slug', 'external_id', name='uq_need_reports_center_external_id')
    )
    with op.batch_alter_table('need_reports', schema=None) as batch_op:
        batch_op.create_index('ix_need_reports_incident_county', ['incident_slug', 'county_fips'], unique=False)
        batch_op.create_index('ix_need_reports_incident_logged_at', ['incident_slug', 'logged_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('need_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_need_reports_incident_logged_at')
        batch_op.drop_index('ix_need_reports_incident_county')

    op.drop_table('need_reports')
