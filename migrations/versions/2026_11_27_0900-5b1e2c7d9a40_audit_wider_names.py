"""audit log: actor and target wide enough for the longest e-mail address

Revision ID: 5b1e2c7d9a40
Revises: f83b086ebbfc
Create Date: 2026-11-27 09:00:00
"""

from alembic import op
import sqlmodel


revision = '5b1e2c7d9a40'
down_revision = 'f83b086ebbfc'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log') as batch_op:
        batch_op.alter_column('actor', existing_type=sqlmodel.sql.sqltypes.AutoString(length=200),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=400), existing_nullable=False)
        batch_op.alter_column('target_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=200),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=400), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_log') as batch_op:
        batch_op.alter_column('target_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=400),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=200), existing_nullable=False)
        batch_op.alter_column('actor', existing_type=sqlmodel.sql.sqltypes.AutoString(length=400),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=200), existing_nullable=False)
