"""feedback.salesforce_user_id: the Salesforce user behind a verdict given on the Lead page panel

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 02:45:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feedback') as batch:
        batch.add_column(sa.Column('salesforce_user_id', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feedback') as batch:
        batch.drop_column('salesforce_user_id')
