"""Read side shared by the JSON API and the pages: one query per view, no N+1 loops."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from app.models import (
    Article,
    ArticlePublic,
    ArticleSummary,
    Claim,
    ClaimPublic,
    ClaimSummary,
    Link,
    LinkedSentence,
    LinkPublic,
    Sentence,
    SentencePublic,
    Story,
    StoryPublic,
)
from app.text.selectors import covering, locate, selectors


def list_stories(session: Session) -> list[StoryPublic]:
    articles = dict(
        session.exec(select(Article.story_id, func.count()).group_by(Article.story_id)).all()
    )
    claims = dict(session.exec(select(Claim.story_id, func.count()).group_by(Claim.story_id)).all())
    return [
        StoryPublic(
            **story.model_dump(),
            article_count=articles.get(story.id, 0),
            claim_count=claims.get(story.id, 0),
        )
        for story in session.exec(select(Story).order_by(Story.id)).all()
    ]


def get_story(session: Session, story_id: int) -> StoryPublic | None:
    return next((s for s in list_stories(session) if s.id == story_id), None)


def _summary(article: Article, sentence_count: int) -> ArticleSummary:
    return ArticleSummary(
        id=article.id,
        story_id=article.story_id,
        source=article.source,
        title=article.title,
        outlet=article.outlet,
        label=article.label,
        language=article.language,
        role=article.role,
        published=article.published,
        sentence_count=sentence_count,
    )


def list_articles(session: Session, story_id: int | None = None) -> list[ArticleSummary]:
    counts = select(Sentence.article_id, func.count().label("n")).group_by(Sentence.article_id)
    counts = counts.subquery()
    query = select(Article, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.article_id == Article.id
    )
    if story_id is not None:
        query = query.where(Article.story_id == story_id)
    query = query.order_by(Article.role != "origin", Article.id)
    return [_summary(article, n) for article, n in session.exec(query).all()]


def get_article(session: Session, article_id: int) -> ArticlePublic | None:
    article = session.get(Article, article_id)
    if article is None:
        return None
    sentences = session.exec(
        select(Sentence).where(Sentence.article_id == article_id).order_by(Sentence.index)
    ).all()
    links: dict[int, list[LinkPublic]] = defaultdict(list)
    rows = session.exec(
        select(Link, Claim.key)
        .join(Claim, Claim.id == Link.claim_id)
        .join(Sentence, Sentence.id == Link.sentence_id)
        .where(Sentence.article_id == article_id)
        .order_by(Link.score.desc())
    ).all()
    for link, key in rows:
        links[link.sentence_id].append(
            LinkPublic(
                claim_id=link.claim_id, claim_key=key, score=link.score,
                decided_by=link.decided_by,
            )
        )
    return ArticlePublic(
        **_summary(article, len(sentences)).model_dump(),
        byline=article.byline,
        url=article.url,
        format=article.format,
        content_hash=article.content_hash,
        text=article.text,
        sentences=[
            SentencePublic(
                **s.model_dump(), selector=selectors(article.text, s.start, s.end),
                links=links.get(s.id, []),
            )
            for s in sentences
        ],
    )


def list_claims(session: Session, story_id: int | None = None) -> list[ClaimSummary]:
    stats = (
        select(
            Link.claim_id,
            func.count(Link.id).label("sentences"),
            func.count(func.distinct(Sentence.article_id)).label("articles"),
        )
        .join(Sentence, Sentence.id == Link.sentence_id)
        .group_by(Link.claim_id)
        .subquery()
    )
    query = select(
        Claim, func.coalesce(stats.c.sentences, 0), func.coalesce(stats.c.articles, 0)
    ).outerjoin(stats, stats.c.claim_id == Claim.id)
    if story_id is not None:
        query = query.where(Claim.story_id == story_id)
    query = query.order_by(Claim.story_id, Claim.position, Claim.id)
    return [
        ClaimSummary(**claim.model_dump(), sentence_count=n, article_count=a)
        for claim, n, a in session.exec(query).all()
    ]


def get_claim(session: Session, claim_id: int) -> ClaimPublic | None:
    claim = session.get(Claim, claim_id)
    if claim is None:
        return None
    rows = session.exec(
        select(Link, Sentence, Article)
        .join(Sentence, Sentence.id == Link.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .where(Link.claim_id == claim_id)
        .order_by(Article.role != "origin", Article.published, Article.id, Sentence.index)
    ).all()
    sentences = [
        LinkedSentence(
            sentence_id=s.id,
            article_id=a.id,
            article_label=a.label,
            index=s.index,
            start=s.start,
            end=s.end,
            text=s.text,
            score=link.score,
            decided_by=link.decided_by,
        )
        for link, s, a in rows
    ]
    return ClaimPublic(
        **claim.model_dump(),
        sentence_count=len(sentences),
        article_count=len({s.article_id for s in sentences}),
        sentences=sentences,
    )


class ClaimRef(SQLModel):
    id: int
    key: str
    text: str


class Coverage(SQLModel):
    """What one article takes from the origin and what it adds."""

    article_id: int
    content_sentences: int
    linked_sentences: int
    own_sentences: int
    covered: list[ClaimRef]
    missing: list[ClaimRef]


def coverage(session: Session, article_id: int) -> Coverage:
    article = session.get(Article, article_id)
    content = session.exec(
        select(Sentence.id).where(Sentence.article_id == article_id, Sentence.kind == "content")
    ).all()
    linked_rows = session.exec(
        select(Link.sentence_id, Link.claim_id)
        .join(Sentence, Sentence.id == Link.sentence_id)
        .where(Sentence.article_id == article_id)
    ).all()
    linked_content = {sid for sid, _ in linked_rows} & set(content)
    carried = {cid for _, cid in linked_rows}
    claims = session.exec(
        select(Claim).where(Claim.story_id == article.story_id).order_by(Claim.position, Claim.id)
    ).all()
    refs = [ClaimRef(id=c.id, key=c.key, text=c.text) for c in claims]
    return Coverage(
        article_id=article_id,
        content_sentences=len(content),
        linked_sentences=len(linked_content),
        own_sentences=len(content) - len(linked_content),
        covered=[r for r in refs if r.id in carried],
        missing=[r for r in refs if r.id not in carried],
    )


def quoted_sentence(
    session: Session,
    article: Article,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    near: int | None = None,
) -> Sentence | None:
    """The sentence of the article that now holds a quoted passage: found by its words (and
    the words around it) in the unchanged text, then by which sentence span covers it, so a
    quote made before the article was segmented anew still lands on its sentence."""
    found = locate(article.text, exact, prefix, suffix, near)
    if found is None:
        return None
    sentences = session.exec(
        select(Sentence).where(Sentence.article_id == article.id).order_by(Sentence.index)
    ).all()
    index = covering([(s.start, s.end) for s in sentences], *found)
    return None if index is None else sentences[index]
