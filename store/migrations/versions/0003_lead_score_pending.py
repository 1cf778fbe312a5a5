"""lead.score_pending: a lead stored as needing a (re)score keeps the flag until a score commits

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 04:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score_pending', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_lead_score_pending'), ['score_pending'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_score_pending'))
        batch_op.drop_column('score_pending')
