"""shadow_score: a challenger's scores of live leads beside the champion's

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import store.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shadow_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('score_id', sa.Integer(), nullable=False),
    sa.Column('model_version', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('champion_version', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('qualification_score', sa.Integer(), nullable=False),
    sa.Column('progression_probability', sa.Float(), nullable=False),
    sa.Column('voice_ai_fit', sa.Integer(), nullable=False),
    sa.Column('recommendation', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('handoff_basis', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('calibrated', sa.Boolean(), nullable=True),
    sa.Column('scored_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], ),
    sa.ForeignKeyConstraint(['score_id'], ['score.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('shadow_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shadow_score_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shadow_score_model_version'), ['model_version'], unique=False)
        batch_op.create_index(batch_op.f('ix_shadow_score_score_id'), ['score_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shadow_score_scored_at'), ['scored_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('shadow_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shadow_score_scored_at'))
        batch_op.drop_index(batch_op.f('ix_shadow_score_score_id'))
        batch_op.drop_index(batch_op.f('ix_shadow_score_model_version'))
        batch_op.drop_index(batch_op.f('ix_shadow_score_lead_id'))
    op.drop_table('shadow_score')
