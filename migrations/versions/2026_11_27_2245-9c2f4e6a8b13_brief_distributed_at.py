"""when a brief's e-mails were queued: sending follows production in a transaction of its own

Revision ID: 9c2f4e6a8b13
Revises: 5e0b7c3d9a41
Create Date: 2026-11-27 22:45:00
"""

import sqlalchemy as sa
from alembic import op


revision = '9c2f4e6a8b13'
down_revision = '5e0b7c3d9a41'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('briefs') as batch:
        batch.add_column(sa.Column('distributed_at', sa.DateTime(timezone=True), nullable=True))
    # Briefs made before this were sent as they were produced.
    op.execute("UPDATE briefs SET distributed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table('briefs') as batch:
        batch.drop_column('distributed_at')
