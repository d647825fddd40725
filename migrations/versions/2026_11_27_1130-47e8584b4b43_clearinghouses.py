"""clearinghouses; users and tokens tied to a clearinghouse by foreign key

Revision ID: 47e8584b4b43
Revises: a257eef74ed7
Create Date: 2026-11-27 11:30:00

Every clearinghouse slug already named by a user or a token is carried over as a clearinghouse of
that slug (named after it, kind "other", no area yet) so that the new foreign keys hold.
"""

from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '47e8584b4b43'
down_revision = 'a257eef74ed7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clearinghouses',
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('counties', sa.JSON(), nullable=False),
    sa.Column('area', sa.JSON(), nullable=True),
    sa.Column('area_counties', sa.JSON(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('zip', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('radius_miles', sa.Float(), nullable=False),
    sa.Column('accepts', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.JSON(), nullable=False),
    sa.Column('hours', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('contacts', sa.JSON(), nullable=False),
    sa.Column('delivery_emails', sa.JSON(), nullable=False),
    sa.Column('webhook_url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('webhook_secret', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    _carry_over_ties()
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_clearinghouse_slug'), ['clearinghouse_slug'], unique=False)
        batch_op.create_foreign_key('fk_api_tokens_clearinghouse_slug_clearinghouses', 'clearinghouses', ['clearinghouse_slug'], ['slug'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_clearinghouse_slug'), ['clearinghouse_slug'], unique=False)
        batch_op.create_foreign_key('fk_users_clearinghouse_slug_clearinghouses', 'clearinghouses', ['clearinghouse_slug'], ['slug'])


def _carry_over_ties() -> None:
    bind = op.get_bind()
    slugs = bind.execute(sa.text(
        "select clearinghouse_slug from users where clearinghouse_slug is not null "
        "union select clearinghouse_slug from api_tokens where clearinghouse_slug is not null")).scalars().all()
    table = sa.table('clearinghouses', sa.column('slug'), sa.column('name'), sa.column('kind'),
                     sa.column('counties', sa.JSON), sa.column('area_counties', sa.JSON), sa.column('radius_miles'),
                     sa.column('accepts', sa.JSON), sa.column('capacity', sa.JSON), sa.column('hours'),
                     sa.column('languages', sa.JSON), sa.column('contacts', sa.JSON),
                     sa.column('delivery_emails', sa.JSON), sa.column('active'), sa.column('created_at'),
                     sa.column('updated_at'))
    now = datetime.now(timezone.utc)
    rows = [{"slug": slug, "name": slug, "kind": "other", "counties": [], "area_counties": [], "radius_miles": 25,
             "accepts": {}, "capacity": {}, "hours": "", "languages": ["en"], "contacts": [], "delivery_emails": [],
             "active": True, "created_at": now, "updated_at": now} for slug in sorted(set(slugs))]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_users_clearinghouse_slug_clearinghouses', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_clearinghouse_slug'))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint('fk_api_tokens_clearinghouse_slug_clearinghouses', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_tokens_clearinghouse_slug'))

    op.drop_table('clearinghouses')
