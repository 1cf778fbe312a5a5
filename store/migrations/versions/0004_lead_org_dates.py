"""lead.status_changed_at (when the org changed the current status) and lead.deleted_at (gone from Salesforce)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 23:55:00
"""

from alembic import op
import sqlalchemy as sa

import store.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_changed_at', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', store.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('status_changed_at')
