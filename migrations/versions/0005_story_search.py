"""story search: a full-text index over sentences, each link's kept share, story update time

Revision ID: 0005_story_search
Revises: 0004_story_revision
Create Date: 2026-11-21 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

from app.text.diff import kept_share

revision: str = "0005_story_search"
down_revision: str | None = "0004_story_revision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000

# SQLite: an external-content FTS5 table over sentence.text, kept in step by triggers (also on
# the cascade from a deleted article), filled from the existing rows by 'rebuild'.
_SQLITE = (
    "CREATE VIRTUAL TABLE sentence_fts USING fts5(text, content='sentence', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER sentence_fts_insert AFTER INSERT ON sentence BEGIN "
    "INSERT INTO sentence_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER sentence_fts_delete AFTER DELETE ON sentence BEGIN "
    "INSERT INTO sentence_fts(sentence_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "END",
    "CREATE TRIGGER sentence_fts_update AFTER UPDATE OF text ON sentence BEGIN "
    "INSERT INTO sentence_fts(sentence_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO sentence_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO sentence_fts(sentence_fts) VALUES ('rebuild')",
)
_SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS sentence_fts_insert",
    "DROP TRIGGER IF EXISTS sentence_fts_delete",
    "DROP TRIGGER IF EXISTS sentence_fts_update",
    "DROP TABLE IF EXISTS sentence_fts",
)
# PostgreSQL: a GIN index over the words of each sentence without accents (unaccent is a
# trusted contrib extension), through an immutable function so that the index can use it.
_POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE FUNCTION sentence_words(text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT "
    "PARALLEL SAFE AS $$ SELECT to_tsvector('simple'::regconfig, "
    "public.unaccent('public.unaccent'::regdictionary, $1)) $$",
    "CREATE FUNCTION sentence_query(text) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT "
    "PARALLEL SAFE AS $$ SELECT to_tsquery('simple'::regconfig, "
    "public.unaccent('public.unaccent'::regdictionary, $1)) $$",
    "CREATE INDEX ix_sentence_words ON sentence USING gin (sentence_words(text))",
)
_POSTGRES_DROP = (
    "DROP INDEX IF EXISTS ix_sentence_words",
    "DROP FUNCTION IF EXISTS sentence_words(text)",
    "DROP FUNCTION IF EXISTS sentence_query(text)",
)


def upgrade() -> None:
    op.add_column("link", sa.Column("kept", sa.Float(), nullable=True))
    op.add_column("story", sa.Column("updated_at", UTCDateTime(), nullable=True))
    op.create_index("ix_story_updated_at", "story", ["updated_at"], unique=False)
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE story SET updated_at = COALESCE("
        "(SELECT MAX(article.created_at) FROM article WHERE article.story_id = story.id), "
        "story.created_at)"
    ))
    _fill_kept(bind)
    if bind.dialect.name == "postgresql":
        for statement in _POSTGRES:
            bind.execute(sa.text(statement))
    else:
        for statement in _SQLITE:
            bind.execute(sa.text(statement))


def _fill_kept(bind) -> None:
    """Every existing link's kept share, computed as new links get it."""
    last = 0
    while True:
        rows = bind.execute(sa.text(
            "SELECT link.id, claim.text, claim.language, sentence.text, article.language "
            "FROM link JOIN claim ON claim.id = link.claim_id "
            "JOIN sentence ON sentence.id = link.sentence_id "
            "JOIN article ON article.id = sentence.article_id "
            "WHERE link.id > :last ORDER BY link.id LIMIT :n"
        ), {"last": last, "n": _BATCH}).all()
        if not rows:
            return
        bind.execute(
            sa.text("UPDATE link SET kept = :kept WHERE id = :id"),
            [{"id": r[0], "kept": kept_share(r[1], r[3], r[2], r[4])} for r in rows],
        )
        last = rows[-1][0]


def downgrade() -> None:
    bind = op.get_bind()
    for statement in _POSTGRES_DROP if bind.dialect.name == "postgresql" else _SQLITE_DROP:
        bind.execute(sa.text(statement))
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_index("ix_story_updated_at")
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_column("kept")
