"""The few queries the pages need; each returns a whole story's worth of rows in one go."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from app.models import Article, Claim, Link, Sentence, Story

#: Article columns left unread by the pages that list articles: the original and its text.
WITHOUT_TEXT = (defer(Article.raw), defer(Article.text))


@dataclass(frozen=True)
class ArticleCounts:
    article: Article
    content: int
    linked: int


@dataclass(frozen=True)
class LinkRow:
    claim_id: int
    score: float
    decided_by: str
    sentence_id: int
    article_id: int
    index: int
    text: str


def story_or_first(session: Session, story_id: int | None) -> Story | None:
    if story_id is not None:
        return session.get(Story, story_id)
    return session.exec(select(Story).order_by(Story.id)).first()


def stories(session: Session) -> list[Story]:
    return list(session.exec(select(Story).order_by(Story.id)).all())


def articles_with_counts(session: Session, story_id: int) -> list[ArticleCounts]:
    """Each article of the story with its content sentences and how many of them are linked."""
    linked = (
        select(Link.sentence_id)
        .join(Sentence, Sentence.id == Link.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .where(Article.story_id == story_id)
        .distinct()
        .subquery()
    )  # the story's linked sentences only: the pages never read the whole corpus
    is_content = Sentence.kind == "content"
    rows = session.exec(
        select(
            Article,
            func.count(Sentence.id).filter(is_content),
            func.count(linked.c.sentence_id).filter(is_content),
        )
        .outerjoin(Sentence, Sentence.article_id == Article.id)
        .outerjoin(linked, linked.c.sentence_id == Sentence.id)
        .where(Article.story_id == story_id)
        .group_by(Article.id)
        .order_by(Article.role != "origin", Article.id)
        .options(*WITHOUT_TEXT)
    ).all()
    return [ArticleCounts(article, content, n) for article, content, n in rows]


def story_articles(session: Session, story_id: int) -> list[Article]:
    """The story's articles without their texts, which the lists and comparisons never show."""
    query = select(Article).options(*WITHOUT_TEXT).where(Article.story_id == story_id)
    return list(session.exec(query.order_by(Article.role != "origin", Article.id)).all())


def story_claims(session: Session, story_id: int) -> list[Claim]:
    query = select(Claim).where(Claim.story_id == story_id)
    return list(session.exec(query.order_by(Claim.position, Claim.id)).all())


def links(
    session: Session, *, story_id: int | None = None, claim_ids: list[int] | None = None
) -> list[LinkRow]:
    """Links with their sentences, for a whole story or for a few claims, strongest first."""
    query = (
        select(
            Link.claim_id, Link.score, Link.decided_by, Sentence.id, Sentence.article_id,
            Sentence.index, Sentence.text,
        )
        .join(Sentence, Sentence.id == Link.sentence_id)
    )
    if story_id is not None:
        query = query.join(Claim, Claim.id == Link.claim_id).where(Claim.story_id == story_id)
    if claim_ids is not None:
        query = query.where(Link.claim_id.in_(claim_ids))
    query = query.order_by(Sentence.article_id, Sentence.index, Link.score.desc())
    return [LinkRow(*row) for row in session.exec(query).all()]


def story_sentences(session: Session, story_id: int) -> list[tuple[int, int, str, str]]:
    """(id, article id, kind, text) of every sentence of the story, for search."""
    query = (
        select(Sentence.id, Sentence.article_id, Sentence.kind, Sentence.text)
        .join(Article, Article.id == Sentence.article_id)
        .where(Article.story_id == story_id)
        .order_by(Sentence.article_id, Sentence.index)
    )
    return list(session.exec(query).all())


def revision_of(session: Session, *, claim_id: int | None = None,
                article_id: int | None = None) -> int | None:
    """The revision of the story the claim or article belongs to; None if there is none."""
    owner = Claim if claim_id is not None else Article
    query = select(Story.revision).join(owner, owner.story_id == Story.id).where(
        owner.id == (claim_id if claim_id is not None else article_id)
    )
    return session.exec(query).first()
