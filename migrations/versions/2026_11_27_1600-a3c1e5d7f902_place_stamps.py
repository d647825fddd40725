"""place stamps: a random stamp renewed by triggers on every change matching reads; the capacity index

Revision ID: a3c1e5d7f902
Revises: c4ae6c670ed5
Create Date: 2026-11-27 16:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'a3c1e5d7f902'
down_revision = 'c4ae6c670ed5'
branch_labels = None
depends_on = None

WATCHED = ("clearinghouses", "clearinghouse_protocols", "clearinghouse_needs", "incident_linkages")
SQLITE_STAMP = "lower(hex(randomblob(16)))"
POSTGRES_STAMP = "md5(random()::text || clock_timestamp()::text)"


def upgrade() -> None:
    op.create_table('place_stamps',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('stamp', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_referrals_capacity', 'referrals', ['clearinghouse_slug', 'incident_slug', 'sent_at'],
                    unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"INSERT INTO place_stamps (id, stamp) VALUES (1, {POSTGRES_STAMP})")
        # One new stamp a statement, in the changing transaction: readers see it with the change, never before.
        op.execute(f"""CREATE FUNCTION place_stamp_renew() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO place_stamps (id, stamp) VALUES (1, {POSTGRES_STAMP})
              ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp;
              RETURN NULL;
            END $$""")
        for table in WATCHED:
            op.execute(f"CREATE TRIGGER place_stamp_renew AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION place_stamp_renew()")
        return
    op.execute(f"INSERT INTO place_stamps (id, stamp) VALUES (1, {SQLITE_STAMP})")
    for table in WATCHED:  # SQLite has row triggers only
        for change in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER place_stamp_{table}_{change.lower()} AFTER {change} ON {table} BEGIN "
                       f"INSERT OR REPLACE INTO place_stamps (id, stamp) VALUES (1, {SQLITE_STAMP}); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER place_stamp_renew ON {table}")
        op.execute("DROP FUNCTION place_stamp_renew()")
    else:
        for table in WATCHED:
            for change in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER place_stamp_{table}_{change}")
    op.drop_index('ix_referrals_capacity', table_name='referrals')
    op.drop_table('place_stamps')
