"""log-in limits: throttle per (account, address) and per address; audit rows that count repeats

Revision ID: c4d8e1a27f63
Revises: b2c7620cda1e
Create Date: 2026-11-27 09:30:00

The old throttle rows were keyed by e-mail only; they hold nothing worth carrying over (a lock lasts
minutes), so the table is rebuilt with its new key.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'c4d8e1a27f63'
down_revision = 'b2c7620cda1e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table('login_throttle')
    op.create_table('login_throttle',
    sa.Column('account', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('account', 'address')
    )
    with op.batch_alter_table('login_throttle') as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_last_failure_at'), ['last_failure_at'], unique=False)
    with op.batch_alter_table('audit_log') as batch_op:
        batch_op.add_column(sa.Column('count', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('last_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_log') as batch_op:
        batch_op.drop_column('last_at')
        batch_op.drop_column('count')
    op.drop_table('login_throttle')
    op.create_table('login_throttle',
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('email')
    )
