"""The story page: the origin's claims, how many outlets carry each and how faithfully."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pydantic import BaseModel, Field
from sqlmodel import Session

from app.views import reads
from app.views.common import (
    ArticleRef,
    Score,
    StoryRef,
    article_ref,
    find_marks,
    kept_label,
    kept_share,
    percent,
    same_language,
    score_view,
    story_ref,
)

Marks = list[tuple[str, bool]]
#: Most sentence matches a search lists; a journalist narrows the search rather than scrolls.
MAX_HITS = 60


class Filters(BaseModel):
    q: str = ""
    outlet: int | None = None


class ClaimRow(BaseModel):
    id: int
    key: str
    text: str
    source: str
    url: str
    article_count: int
    sentence_count: int
    match: Score | None = Field(description="Mean link score of the claim's wordings.")
    kept_percent: int | None = Field(
        description="Mean share of the claim's words kept by wordings in the claim's language."
    )
    kept_label: str | None
    carried_by: list[int]
    marks: Marks | None = Field(default=None, exclude=True)


class SentenceHit(BaseModel):
    sentence_id: int
    article_id: int
    article_label: str
    kind: str
    text: str
    claim_keys: list[str]
    url: str
    marks: Marks = Field(exclude=True)


class ArticleRow(ArticleRef):
    published: dt.date | None
    language: str | None
    content_sentences: int
    linked_percent: int


class StoryPage(BaseModel):
    story: StoryRef
    origin_date: dt.date | None
    stories: list[StoryRef]
    filters: Filters
    outlets: list[ArticleRef]
    has_links: bool
    claim_count: int
    claims: list[ClaimRow]
    hits: list[SentenceHit]
    hit_total: int
    articles: list[ArticleRow]


def story_page(
    session: Session, story_id: int | None, filters: Filters, max_hits: int | None = MAX_HITS
) -> StoryPage | None:
    """``max_hits``: how many matching sentences to list (None: all, for a download)."""
    story = reads.story_or_first(session, story_id)
    if story is None:
        return None
    counted = reads.articles_with_counts(session, story.id)
    claims = reads.story_claims(session, story.id)
    links = reads.links(session, story_id=story.id)
    labels = {c.article.id: c.article.label for c in counted}
    language_of = {c.article.id: c.article.language for c in counted}
    if filters.outlet not in labels:
        filters = Filters(q=filters.q)

    by_claim: dict[int, list[reads.LinkRow]] = defaultdict(list)
    keys_by_sentence: dict[int, list[str]] = defaultdict(list)
    key_of = {c.id: c.key for c in claims}
    for row in links:
        by_claim[row.claim_id].append(row)
        keys_by_sentence[row.sentence_id].append(key_of[row.claim_id])

    rows = []
    for claim in claims:
        linked = [r for r in by_claim[claim.id] if r.sentence_id != claim.sentence_id]
        carried_by = sorted({r.article_id for r in linked})
        if filters.outlet is not None and filters.outlet not in carried_by:
            continue
        marks = find_marks(claim.text, filters.q) if filters.q else None
        if filters.q and marks is None:
            continue
        comparable = [
            r for r in linked if same_language(claim.language, language_of[r.article_id])
        ]
        kept = _mean([kept_share(claim.text, r.text) for r in comparable])
        rows.append(
            ClaimRow(
                id=claim.id, key=claim.key, text=claim.text, source=claim.source,
                url=f"/claims/{claim.id}",
                article_count=len(carried_by),
                sentence_count=len(linked),
                match=score_view(_mean([r.score for r in linked])) if linked else None,
                kept_percent=round(kept * 100) if comparable else None,
                kept_label=kept_label(round(kept * 100)) if comparable else None,
                carried_by=carried_by,
                marks=marks,
            )
        )

    hits = _hits(session, story.id, filters, labels, keys_by_sentence) if filters.q else []
    return StoryPage(
        story=story_ref(story),
        origin_date=story.origin_date,
        stories=[story_ref(s) for s in reads.stories(session)],
        filters=filters,
        outlets=[article_ref(c.article) for c in counted],
        has_links=bool(links),
        claim_count=len(claims),
        claims=rows,
        hits=hits[:max_hits],
        hit_total=len(hits),
        articles=[
            ArticleRow(
                **article_ref(c.article).model_dump(),
                published=c.article.published,
                language=c.article.language,
                content_sentences=c.content,
                linked_percent=percent(c.linked, c.content),
            )
            for c in counted
        ],
    )


def _hits(session, story_id, filters, labels, keys_by_sentence) -> list[SentenceHit]:
    hits = []
    for sid, article_id, kind, text in reads.story_sentences(session, story_id):
        if kind == "boilerplate" or filters.outlet not in (None, article_id):
            continue
        marks = find_marks(text, filters.q)
        if marks is None:
            continue
        hits.append(
            SentenceHit(
                sentence_id=sid, article_id=article_id, article_label=labels[article_id],
                kind=kind, text=text, claim_keys=keys_by_sentence.get(sid, []),
                url=f"/articles/{article_id}?sentence={sid}#s-{sid}", marks=marks,
            )
        )
    return hits


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
