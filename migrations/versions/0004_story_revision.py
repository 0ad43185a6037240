"""story revision: a marker each process compares to reload only the stories that changed

Revision ID: 0004_story_revision
Revises: 0003_editors
Create Date: 2026-11-21 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_story_revision"
down_revision: str | None = "0003_editors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_column("revision")
