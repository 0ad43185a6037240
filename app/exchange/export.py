"""Write a story as one document: original texts, sentence spans, claims, links, decisions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlmodel import Session, select

from app.exchange.document import (
    ArticleEntry,
    ClaimEntry,
    DecisionEntry,
    DiscrepancyEntry,
    LinkEntry,
    SentenceEntry,
    SentenceRef,
    StoryDocument,
    StoryEntry,
)
from app.models import Article, Claim, Decision, Link, Sentence, Story
from app.text.selectors import selectors
from app.views import reads
from app.views.flags import story_flags


def export_story(session: Session, story_id: int) -> StoryDocument | None:
    """The story as a document, in a stable order (articles origin first, sentences by index,
    links and decisions by article, sentence and claim), so two exports of the same story are
    equal but for the time they were made."""
    story = session.get(Story, story_id)
    if story is None:
        return None
    articles = reads.story_articles(session, story.id)
    order = {a.id: n for n, a in enumerate(articles)}
    sentences: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in session.exec(
        select(Sentence)
        .join(Article, Article.id == Sentence.article_id)
        .where(Article.story_id == story.id)
        .order_by(Sentence.article_id, Sentence.index)
    ).all():
        sentences[sentence.article_id].append(sentence)
    hash_of = {a.id: a.content_hash for a in articles}
    place = {s.id: (s.article_id, s.index) for group in sentences.values() for s in group}

    def ref(sentence_id: int) -> SentenceRef | None:
        if sentence_id not in place:
            return None
        article_id, index = place[sentence_id]
        return SentenceRef(article=hash_of[article_id], sentence=index)

    claims = reads.story_claims(session, story.id)
    key_of = {c.id: c.key for c in claims}
    flags = story_flags(session, story.id, articles)
    links = [
        LinkEntry(**ref(link.sentence_id).model_dump(), claim=key_of[link.claim_id],
                  score=link.score, decided_by=link.decided_by,
                  discrepancies=[
                      DiscrepancyEntry(kind=f.kind, origin=f.origin, outlet=f.outlet,
                                       reason=f.reason)
                      for f in flags.by_link.get((link.sentence_id, link.claim_id), [])
                  ])
        for link in session.exec(
            select(Link).join(Claim, Claim.id == Link.claim_id).where(Claim.story_id == story.id)
        ).all()
        if link.sentence_id in place
    ]
    decisions = [
        DecisionEntry(**ref(d.sentence_id).model_dump(), claim=d.claim_key, verdict=d.verdict,
                      editor=d.editor, created_at=d.created_at)
        for d in session.exec(
            select(Decision)
            .join(Sentence, Sentence.id == Decision.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .where(Article.story_id == story.id)
        ).all()
    ]
    rank = {a.content_hash: order[a.id] for a in articles}

    def position(entry: LinkEntry | DecisionEntry) -> tuple[int, int, str]:
        return rank[entry.article], entry.sentence, entry.claim

    return StoryDocument(
        exported_at=dt.datetime.now(dt.UTC),
        story=StoryEntry(
            slug=story.slug, title=story.title, origin_outlet=story.origin_outlet,
            origin_date=story.origin_date,
        ),
        articles=[_article(a, sentences[a.id]) for a in articles],
        claims=[
            ClaimEntry(
                key=c.key, position=c.position, text=c.text, language=c.language,
                source=c.source, origin=ref(c.sentence_id) if c.sentence_id else None,
            )
            for c in claims
        ],
        links=sorted(links, key=position),
        decisions=sorted(decisions, key=position),
    )


def _article(article: Article, sentences: list[Sentence]) -> ArticleEntry:
    return ArticleEntry(
        content_hash=article.content_hash, source=article.source, outlet=article.outlet,
        title=article.title, byline=article.byline, url=article.url, published=article.published,
        language=article.language, role=article.role, format=article.format, raw=article.raw,
        text=article.text,
        sentences=[
            SentenceEntry(
                index=s.index, start=s.start, end=s.end, kind=s.kind, text=s.text,
                selector=selectors(article.text, s.start, s.end),
            )
            for s in sentences
        ],
    )
