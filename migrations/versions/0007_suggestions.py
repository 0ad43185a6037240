"""suggestions: claims the linker found close to a sentence but left unlinked

Revision ID: 0007_suggestions
Revises: 0006_abandoned_stories
Create Date: 2026-11-22 14:00:00

Derived data like links: an upgraded database has none until its stories are linked again
(``provenance relink``, or any new article of the story).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_suggestions"
down_revision: str | None = "0006_abandoned_stories"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sentence_id"], ["sentence.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sentence_id", "claim_id"),
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_suggestion_sentence_id"), ["sentence_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_sentence_id"))
        batch_op.drop_index(batch_op.f("ix_suggestion_claim_id"))
    op.drop_table("suggestion")
