"""signal_correction: an AE's "not right" on one reason of a score, a signal-level label

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 03:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import store.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signal_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('score_id', sa.Integer(), nullable=False),
    sa.Column('evidence_index', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('signal', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('corrected_signal', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], ),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], ),
    sa.ForeignKeyConstraint(['score_id'], ['score.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('score_id', 'evidence_index', 'user_id', name='uq_correction_item_user')
    )
    with op.batch_alter_table('signal_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_correction_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_correction_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_correction_score_id'), ['score_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_correction_signal'), ['signal'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_correction_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signal_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_correction_updated_at'))
        batch_op.drop_index(batch_op.f('ix_signal_correction_signal'))
        batch_op.drop_index(batch_op.f('ix_signal_correction_score_id'))
        batch_op.drop_index(batch_op.f('ix_signal_correction_lead_id'))
        batch_op.drop_index(batch_op.f('ix_signal_correction_call_id'))
    op.drop_table('signal_correction')
