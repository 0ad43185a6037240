"""abandoned stories: delete those earlier versions left without articles and without claims of
an origin report or a dossier, with their induced claims and the links to them

Revision ID: 0006_abandoned_stories
Revises: 0005_story_search
Create Date: 2026-11-22 10:00:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision: str = "0006_abandoned_stories"
down_revision: str | None = "0005_story_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Who the history names for these deletions: no editor made them.
EDITOR = "database upgrade"
_CHUNK = 500

# The same test as app.editing.abandoned, written out so that this migration keeps its meaning
# whatever the models become. A story with a dossier or an origin report's claims stays.
_ABANDONED = sa.text(
    "SELECT story.id, story.title, "
    "(SELECT count(*) FROM claim WHERE claim.story_id = story.id) "
    "FROM story "
    "WHERE NOT EXISTS (SELECT 1 FROM article WHERE article.story_id = story.id) "
    "AND NOT EXISTS (SELECT 1 FROM claim WHERE claim.story_id = story.id "
    "AND claim.source IN ('origin', 'dossier')) "
    "ORDER BY story.id"
)
# Children first: links to the stories' claims (from any sentence), the claims, the stories.
# Decisions hang on sentences, and these stories have none.
_DELETES = (
    "DELETE FROM link WHERE claim_id IN (SELECT id FROM claim WHERE story_id IN :ids)",
    "DELETE FROM claim WHERE story_id IN :ids",
    "DELETE FROM story WHERE id IN :ids",
)
_AUDIT = sa.table(
    "audit_entry",
    sa.column("at", UTCDateTime()),
    sa.column("editor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("article_id", sa.Integer()),
    sa.column("summary", sa.String()),
)


def upgrade() -> None:
    bind = op.get_bind()
    stories = bind.execute(_ABANDONED).all()
    for i in range(0, len(stories), _CHUNK):
        ids = [row[0] for row in stories[i : i + _CHUNK]]
        for statement in _DELETES:
            query = sa.text(statement).bindparams(sa.bindparam("ids", expanding=True))
            bind.execute(query, {"ids": ids})
    if stories:
        op.bulk_insert(_AUDIT, [_note(*row) for row in stories])


def _note(story_id: int, title: str, claims: int) -> dict:
    """The history's entry for one deleted story, as an editor's deletion gets one."""
    noun = "claim" if claims == 1 else "claims"
    induced = f", with its {claims} {noun} induced from its coverage" if claims else ""
    return {
        "at": dt.datetime.now(dt.UTC),
        "editor": EDITOR,
        "action": "delete story",
        "article_id": None,
        "summary": f"Deleted the story “{title}” (story {story_id}), which an earlier version "
        f"had left without articles and without a dossier or origin report{induced}",
    }


def downgrade() -> None:
    """Nothing to restore: the stories held nothing an editor could use."""
