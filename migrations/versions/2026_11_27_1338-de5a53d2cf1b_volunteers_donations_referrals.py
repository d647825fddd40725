"""volunteers donations referrals

Revision ID: de5a53d2cf1b
Revises: ddf3b551b3fd
Create Date: 2026-11-27 13:38:30.854419
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'de5a53d2cf1b'
down_revision = 'ddf3b551b3fd'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('donations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('donor_type', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('zip', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('county', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('can_deliver', sa.Boolean(), nullable=False),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('available_to', sa.Date(), nullable=True),
    sa.Column('estimated_value', sa.Float(), nullable=True),
    sa.Column('cash_pledge', sa.Float(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_donations_incident'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donations_incident_slug'), ['incident_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_donations_status'), ['status'], unique=False)

    op.create_table('volunteers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('phone_key', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('email_key', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('preferred_contact', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('zip', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('county', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('travel_miles', sa.Float(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('certifications', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('adult', sa.Boolean(), nullable=False),
    sa.Column('guardian', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('activity', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('consents', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_volunteers_incident'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('incident_slug', 'email_key', name='uq_volunteers_incident_email'),
    sa.UniqueConstraint('incident_slug', 'phone_key', name='uq_volunteers_incident_phone'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteers_incident_slug'), ['incident_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteers_status'), ['status'], unique=False)

    op.create_table('donation_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('quantity', sa.Float(), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('condition', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('packaging', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('perishable', sa.Boolean(), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name='fk_donation_items_donation'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('donation_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_items_donation_id'), ['donation_id'], unique=False)

    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=False),
    sa.Column('clearinghouse_slug', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=True),
    sa.Column('donation_item_id', sa.Integer(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('distance_miles', sa.Float(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('ack_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fulfilled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.ForeignKeyConstraint(['clearinghouse_slug'], ['clearinghouses.slug'], name='fk_referrals_clearinghouse'),
    sa.ForeignKeyConstraint(['donation_item_id'], ['donation_items.id'], name='fk_referrals_donation_item'),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_referrals_incident'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name='fk_referrals_volunteer'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index('ix_referrals_clearinghouse_state', ['clearinghouse_slug', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_donation_item_id'), ['donation_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_incident_slug'), ['incident_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_volunteer_id'), ['volunteer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrals_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_incident_slug'))
        batch_op.drop_index(batch_op.f('ix_referrals_donation_item_id'))
        batch_op.drop_index('ix_referrals_clearinghouse_state')

    op.drop_table('referrals')
    with op.batch_alter_table('donation_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_items_donation_id'))

    op.drop_table('donation_items')
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteers_status'))
        batch_op.drop_index(batch_op.f('ix_volunteers_incident_slug'))

    op.drop_table('volunteers')
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donations_status'))
        batch_op.drop_index(batch_op.f('ix_donations_incident_slug'))

    op.drop_table('donations')
