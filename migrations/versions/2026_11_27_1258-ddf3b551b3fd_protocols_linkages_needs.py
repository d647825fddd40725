"""protocols linkages needs

Revision ID: ddf3b551b3fd
Revises: 1d7fa8d967e0
Create Date: 2026-11-27 12:58:54.400365
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'ddf3b551b3fd'
down_revision = '1d7fa8d967e0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clearinghouse_needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('clearinghouse_slug', sa.String(length=63), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.ForeignKeyConstraint(['clearinghouse_slug'], ['clearinghouses.slug'], name='fk_clearinghouse_needs_clearinghouse'),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_clearinghouse_needs_incident'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('incident_slug', 'clearinghouse_slug', 'code', name='uq_clearinghouse_needs_incident_clearinghouse_code')
    )
    with op.batch_alter_table('clearinghouse_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clearinghouse_needs_clearinghouse_slug'), ['clearinghouse_slug'], unique=False)

    op.create_table('clearinghouse_protocols',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clearinghouse_slug', sa.String(length=63), nullable=False),
    sa.Column('incident_types', sa.JSON(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('donation_categories', sa.JSON(), nullable=False),
    sa.Column('ack_hours', sa.Integer(), nullable=False),
    sa.Column('escalation', sa.JSON(), nullable=False),
    sa.Column('mou', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clearinghouse_slug'], ['clearinghouses.slug'], name='fk_clearinghouse_protocols_clearinghouse'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('clearinghouse_protocols', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clearinghouse_protocols_clearinghouse_slug'), ['clearinghouse_slug'], unique=False)

    op.create_table('incident_linkages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('clearinghouse_slug', sa.String(length=63), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('protocol_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['clearinghouse_slug'], ['clearinghouses.slug'], name='fk_incident_linkages_clearinghouse'),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_incident_linkages_incident'),
    sa.ForeignKeyConstraint(['protocol_id'], ['clearinghouse_protocols.id'], name='fk_incident_linkages_protocol', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('incident_slug', 'clearinghouse_slug', name='uq_incident_linkages_incident_clearinghouse')
    )
    with op.batch_alter_table('incident_linkages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_linkages_clearinghouse_slug'), ['clearinghouse_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_linkages_incident_slug'), ['incident_slug'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('incident_linkages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_linkages_incident_slug'))
        batch_op.drop_index(batch_op.f('ix_incident_linkages_clearinghouse_slug'))

    op.drop_table('incident_linkages')
    with op.batch_alter_table('clearinghouse_protocols', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clearinghouse_protocols_clearinghouse_slug'))

    op.drop_table('clearinghouse_protocols')
    with op.batch_alter_table('clearinghouse_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clearinghouse_needs_clearinghouse_slug'))

    op.drop_table('clearinghouse_needs')
