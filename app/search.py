"""Searching a story's sentences through the database's full-text index.

SQLite keeps an FTS5 table (``sentence_fts``) over ``sentence.text``; PostgreSQL a GIN index on
``sentence_words(text)``; both are made and kept in step by migration 0005. The index returns
the matching sentences of the story, the first few with their texts and the total in one query,
so a search costs what the matches cost, not what the story or the corpus holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import column, func, table
from sqlmodel import Session, select

from app.models import Article, Sentence
from app.text.search import fts5_query, terms, tsquery

#: Tables and indexes of the full-text search that no model declares (schema comparisons skip
#: them): the FTS5 table with its shadow tables, and PostgreSQL's expression index.
SEARCH_OBJECTS = ("sentence_fts", "ix_sentence_words")
_FTS = table("sentence_fts", column("rowid"), column("text"))


def is_model_object(_object, name, type_, _reflected, _compare_to) -> bool:
    """Alembic ``include_object``: everything but the search index belongs to the models."""
    return not (name and name.startswith(SEARCH_OBJECTS))


@dataclass(frozen=True)
class Hit:
    sentence_id: int
    article_id: int
    kind: str
    text: str


def story_hits(
    session: Session, story_id: int, query: str, *, outlet: int | None = None,
    limit: int | None = None,
) -> tuple[list[Hit], int, list[str]]:
    """The first ``limit`` (all when None) non-boilerplate sentences of the story that hold the
    query's phrase, in reading order; how many there are in all; and the query's words."""
    words = terms(query)
    if not words:
        return [], 0, words
    total = func.count().over().label("total")
    statement = select(Sentence.id, Sentence.article_id, Sentence.kind, Sentence.text, total)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.join(Article, Article.id == Sentence.article_id).where(
            Article.story_id == story_id,
            func.sentence_words(Sentence.text).op("@@")(func.sentence_query(tsquery(words))),
        )
    else:
        # The index's matches are checked against the story's sentence ids as a set, never
        # joined one by one nor probed sentence by sentence (``+ 0`` keeps SQLite from
        # handing the set to FTS5 as rowid lookups, which costs far more for a prefix).
        in_story = (
            select(Sentence.id)
            .join(Article, Article.id == Sentence.article_id)
            .where(Article.story_id == story_id)
        )
        statement = statement.join(_FTS, _FTS.c.rowid == Sentence.id).where(
            _FTS.c.text.op("MATCH")(fts5_query(words)), (_FTS.c.rowid + 0).in_(in_story)
        )
    statement = statement.where(Sentence.kind != "boilerplate").order_by(
        Sentence.article_id, Sentence.index
    )
    if outlet is not None:
        statement = statement.where(Sentence.article_id == outlet)
    if limit is not None:
        statement = statement.limit(limit)
    rows = session.exec(statement).all()
    hits = [Hit(sid, article_id, kind, body) for sid, article_id, kind, body, _ in rows]
    return hits, rows[0][4] if rows else 0, words
