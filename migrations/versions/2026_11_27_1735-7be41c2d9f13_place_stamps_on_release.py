"""place stamps renewed when a referral is declined, released or deleted: a place it held is free again

Revision ID: 7be41c2d9f13
Revises: 1d49b6da12be
Create Date: 2026-11-27 17:35:00
"""

from alembic import op


revision = '7be41c2d9f13'
down_revision = '1d49b6da12be'
branch_labels = None
depends_on = None

FREED = "('declined', 'released')"
SQLITE_STAMP = "lower(hex(randomblob(16)))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER place_stamp_renew_on_release AFTER UPDATE OF state ON referrals FOR EACH ROW "
                   f"WHEN (NEW.state IN {FREED} AND OLD.state IS DISTINCT FROM NEW.state) "
                   "EXECUTE FUNCTION place_stamp_renew()")
        op.execute("CREATE TRIGGER place_stamp_renew_on_delete AFTER DELETE OR TRUNCATE ON referrals "
                   "FOR EACH STATEMENT EXECUTE FUNCTION place_stamp_renew()")
        return
    op.execute("CREATE TRIGGER place_stamp_referrals_release AFTER UPDATE OF state ON referrals "
               f"WHEN NEW.state IN {FREED} AND OLD.state IS NOT NEW.state BEGIN "
               f"INSERT OR REPLACE INTO place_stamps (id, stamp) VALUES (1, {SQLITE_STAMP}); END")
    op.execute("CREATE TRIGGER place_stamp_referrals_delete AFTER DELETE ON referrals BEGIN "
               f"INSERT OR REPLACE INTO place_stamps (id, stamp) VALUES (1, {SQLITE_STAMP}); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER place_stamp_renew_on_release ON referrals")
        op.execute("DROP TRIGGER place_stamp_renew_on_delete ON referrals")
    else:
        op.execute("DROP TRIGGER place_stamp_referrals_release")
        op.execute("DROP TRIGGER place_stamp_referrals_delete")
