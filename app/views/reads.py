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


def story_page_revision(session: Session, story_id: int | None) -> int | None:
    """What the story page depends on: the story's revision and the latest change to any
    story, or a story gone (its switcher lists the latest); None when there is no such story."""
    latest = select(func.max(Story.updated_at)).scalar_subquery()
    stories = select(func.count()).select_from(Story).scalar_subquery()
    query = select(Story.revision, latest, stories)
    query = query.where(Story.id == story_id) if story_id is not None else query.order_by(
        Story.id
    ).limit(1)
    row = session.exec(query).first()
    return None if row is None else hash((row[0], str(row[1]), row[2]))


def latest_stories(session: Session, limit: int) -> list[Story]:
    """The stories most recently changed, newest first."""
    query = select(Story).order_by(Story.updated_at.desc(), Story.id.desc()).limit(limit)
    return list(session.exec(query).all())


@dataclass(frozen=True)
class ClaimCoverage:
    """One claim's links from one article, summed: what the story page shows per claim."""

    claim_id: int
    article_id: int
    own: bool  # the claim's own origin sentence, which is not coverage
    links: int
    score_sum: float
    kept_sum: float
    kept_count: int


def claim_coverage(session: Session, story_id: int) -> list[ClaimCoverage]:
    """The story's links summed per claim and article, with their stored kept shares."""
    own = func.coalesce(Link.sentence_id == Claim.sentence_id, False)
    query = (
        select(
            Link.claim_id, Sentence.article_id, own, func.count(), func.sum(Link.score),
            func.coalesce(func.sum(Link.kept), 0.0), func.count(Link.kept),
        )
        .join(Claim, Claim.id == Link.claim_id)
        .join(Sentence, Sentence.id == Link.sentence_id)
        .where(Claim.story_id == story_id)
        .group_by(Link.claim_id, Sentence.article_id, own)
    )
    return [ClaimCoverage(*row) for row in session.exec(query).all()]


def claim_keys(session: Session, sentence_ids: list[int]) -> dict[int, list[str]]:
    """The keys of the claims each sentence carries, strongest first."""
    if not sentence_ids:
        return {}
    query = (
        select(Link.sentence_id, Claim.key)
        .join(Claim, Claim.id == Link.claim_id)
        .where(Link.sentence_id.in_(sentence_ids))
        .order_by(Link.sentence_id, Link.score.desc())
    )
    out: dict[int, list[str]] = {}
    for sid, key in session.exec(query).all():
        out.setdefault(sid, []).append(key)
    return out


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


def revision_of(session: Session, *, claim_id: int | None = None,
                article_id: int | None = None) -> int | None:
    """The revision of the story the claim or article belongs to; None if there is none."""
    owner = Claim if claim_id is not None else Article
    query = select(Story.revision).join(owner, owner.story_id == Story.id).where(
        owner.id == (claim_id if claim_id is not None else article_id)
    )
    return session.exec(query).first()
