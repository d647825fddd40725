"""brief subscriptions

Revision ID: 1d49b6da12be
Revises: 2d3d6cf921d5
Create Date: 2026-11-27 16:40:33.047373
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '1d49b6da12be'
down_revision = '2d3d6cf921d5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('brief_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('incident_slug', sa.String(length=63), nullable=True),
    sa.Column('counties', sa.JSON(), nullable=False),
    sa.Column('subscriber_key', sqlmodel.sql.sqltypes.AutoString(length=340), nullable=False),
    sa.Column('target_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_slug'], ['incidents.slug'], name='fk_brief_subscriptions_incident'),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name='fk_brief_subscriptions_token'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_brief_subscriptions_user'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subscriber_key', 'target_key', name='uq_brief_subscriptions_target')
    )
    with op.batch_alter_table('brief_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_subscriptions_created_by'), ['created_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_brief_subscriptions_incident_slug'), ['incident_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_brief_subscriptions_token_id'), ['token_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_brief_subscriptions_user_id'), ['user_id'], unique=False)

    op.create_table('brief_unsubscribe_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['brief_subscriptions.id'], name='fk_brief_unsubscribe_links_subscription'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('brief_unsubscribe_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_unsubscribe_links_subscription_id'), ['subscription_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('brief_unsubscribe_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_unsubscribe_links_subscription_id'))

    op.drop_table('brief_unsubscribe_links')
    with op.batch_alter_table('brief_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_subscriptions_user_id'))
        batch_op.drop_index(batch_op.f('ix_brief_subscriptions_token_id'))
        batch_op.drop_index(batch_op.f('ix_brief_subscriptions_incident_slug'))
        batch_op.drop_index(batch_op.f('ix_brief_subscriptions_created_by'))

    op.drop_table('brief_subscriptions')
