"""web sessions: when each was last used, for the idle timeout

Revision ID: b2c7620cda1e
Revises: 5b1e2c7d9a40
Create Date: 2026-11-27 09:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'b2c7620cda1e'
down_revision = '5b1e2c7d9a40'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: sessions from before this revision count from their creation.
    with op.batch_alter_table('web_sessions') as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('web_sessions') as batch_op:
        batch_op.drop_column('last_seen_at')
