"""handoff policy per model version; score.handoff_basis and score.calibrated

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 23:30:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import store.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handoff_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model_version', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('policy', sa.JSON(), nullable=False),
    sa.Column('chosen_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('handoff_policy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_policy_model_version'), ['model_version'], unique=True)
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handoff_basis', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('calibrated', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.drop_column('calibrated')
        batch_op.drop_column('handoff_basis')
    with op.batch_alter_table('handoff_policy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_policy_model_version'))
    op.drop_table('handoff_policy')
