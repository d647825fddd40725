"""volunteers lose their index on incident_slug: the unique (incident_slug, phone_key) index leads with it

Revision ID: b41d7e2a5c60
Revises: 9c2f4e6a8b13
Create Date: 2026-11-27 23:00:00
"""

from alembic import op


revision = 'b41d7e2a5c60'
down_revision = '9c2f4e6a8b13'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('volunteers') as batch:
        batch.drop_index('ix_volunteers_incident_slug')


def downgrade() -> None:
    with op.batch_alter_table('volunteers') as batch:
        batch.create_index('ix_volunteers_incident_slug', ['incident_slug'], unique=False)
