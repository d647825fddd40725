"""the language a donation offer came in, for the donor's follow-up e-mail

Revision ID: 5e0b7c3d9a41
Revises: 7be41c2d9f13
Create Date: 2026-11-27 22:15:00
"""

import sqlalchemy as sa
from alembic import op


revision = '5e0b7c3d9a41'
down_revision = '7be41c2d9f13'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Offers taken before the column existed are taken as English.
    with op.batch_alter_table('donations') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))


def downgrade() -> None:
    with op.batch_alter_table('donations') as batch:
        batch.drop_column('language')
