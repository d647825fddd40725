"""who took a volunteer registration or a donation offer in, kept on the record

Revision ID: c7d2a9e4f516
Revises: b41d7e2a5c60
Create Date: 2026-11-28 01:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = 'c7d2a9e4f516'
down_revision = 'b41d7e2a5c60'
branch_labels = None
depends_on = None

TABLES = ('volunteers', 'donations')


def upgrade() -> None:
    # Records taken before the column existed have their taker in the audit log, as it was then kept.
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('taken_by', sa.String(length=400), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('taken_by')
