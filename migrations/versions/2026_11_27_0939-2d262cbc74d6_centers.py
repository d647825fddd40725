"""centers, overflow agreements, live status; users and tokens tied to a center by foreign key

Revision ID: 2d262cbc74d6
Revises: c4d8e1a27f63
Create Date: 2026-11-27 09:39:25

Every center slug already named by a user or a token is carried over as a center of that slug (named
after it, on UTC, with no coverage yet) so that the new foreign keys hold; an admin then fills it in.
"""

from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import sqlmodel



revision = '2d262cbc74d6'
down_revision = 'c4d8e1a27f63'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('centers',
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('counties', sa.JSON(), nullable=False),
    sa.Column('zips', sa.JSON(), nullable=False),
    sa.Column('area', sa.JSON(), nullable=True),
    sa.Column('area_counties', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('tty', sa.Boolean(), nullable=False),
    sa.Column('hours', sa.JSON(), nullable=False),
    sa.Column('closures', sa.JSON(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('accredited', sa.Boolean(), nullable=False),
    sa.Column('sip_uri', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_table('network_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('center_status',
    sa.Column('center_slug', sa.String(length=63), nullable=False),
    sa.Column('calls_waiting', sa.Integer(), nullable=False),
    sa.Column('longest_wait_s', sa.Integer(), nullable=False),
    sa.Column('agents_available', sa.Integer(), nullable=False),
    sa.Column('agents_staffed', sa.Integer(), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reported_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.ForeignKeyConstraint(['center_slug'], ['centers.slug'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('center_slug')
    )
    op.create_table('overflow_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_center', sa.String(length=63), nullable=False),
    sa.Column('to_center', sa.String(length=63), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('counties', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('max_calls_per_hour', sa.Integer(), nullable=True),
    sa.Column('disaster_only', sa.Boolean(), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_center'], ['centers.slug'], ),
    sa.ForeignKeyConstraint(['to_center'], ['centers.slug'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('overflow_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overflow_agreements_from_center'), ['from_center'], unique=False)
        batch_op.create_index(batch_op.f('ix_overflow_agreements_to_center'), ['to_center'], unique=False)

    _carry_over_ties()
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_center_slug'), ['center_slug'], unique=False)
        batch_op.create_foreign_key('fk_api_tokens_center_slug_centers', 'centers', ['center_slug'], ['slug'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_center_slug'), ['center_slug'], unique=False)
        batch_op.create_foreign_key('fk_users_center_slug_centers', 'centers', ['center_slug'], ['slug'])


def _carry_over_ties() -> None:
    bind = op.get_bind()
    slugs = bind.execute(sa.text(
        "select center_slug from users where center_slug is not null "
        "union select center_slug from api_tokens where center_slug is not null")).scalars().all()
    centers = sa.table('centers', sa.column('slug'), sa.column('name'), sa.column('timezone'),
                       sa.column('counties', sa.JSON), sa.column('zips', sa.JSON), sa.column('area_counties', sa.JSON),
                       sa.column('languages', sa.JSON), sa.column('tty'), sa.column('hours', sa.JSON),
                       sa.column('closures', sa.JSON), sa.column('seats'), sa.column('accredited'),
                       sa.column('active'), sa.column('created_at'), sa.column('updated_at'))
    now = datetime.now(timezone.utc)
    rows = [{"slug": slug, "name": slug, "timezone": "Etc/UTC", "counties": [], "zips": [], "area_counties": [],
             "languages": ["en"], "tty": False, "hours": "24/7", "closures": [], "seats": 0, "accredited": False,
             "active": True, "created_at": now, "updated_at": now} for slug in sorted(set(slugs))]
    if rows:
        op.bulk_insert(centers, rows)



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_users_center_slug_centers', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_center_slug'))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint('fk_api_tokens_center_slug_centers', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_tokens_center_slug'))

    with op.batch_alter_table('overflow_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overflow_agreements_to_center'))
        batch_op.drop_index(batch_op.f('ix_overflow_agreements_from_center'))

    op.drop_table('overflow_agreements')
    op.drop_table('center_status')
    op.drop_table('network_revision')
    op.drop_table('centers')
