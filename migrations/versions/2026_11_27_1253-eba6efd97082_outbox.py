"""outbox

Revision ID: eba6efd97082
Revises: 47e8584b4b43
Create Date: 2026-11-27 12:53:33.227750
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'eba6efd97082'
down_revision = '47e8584b4b43'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('clearinghouse_slug', sqlmodel.sql.sqltypes.AutoString(length=63), nullable=True),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_clearinghouse_slug'), ['clearinghouse_slug'], unique=False)
        batch_op.create_index('ix_outbox_messages_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_topic'), ['topic'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_topic'))
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_clearinghouse_slug'))

    op.drop_table('outbox_messages')
