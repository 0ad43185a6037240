"""The story page: the origin's claims, how many outlets carry each and how faithfully."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pydantic import BaseModel, Field
from sqlmodel import Session

from app.search import story_hits
from app.text.search import phrase_marks, terms
from app.views import reads
from app.views.common import (
    ArticleRef,
    Score,
    StoryRef,
    article_ref,
    from_coverage,
    kept_label,
    outlet_identity,
    percent,
    score_view,
    story_ref,
)

Marks = list[tuple[str, bool]]
#: Most sentence matches a search lists; a journalist narrows the search rather than scrolls.
MAX_HITS = 60
#: Stories the story page offers to switch to: the latest updated; /stories lists them all.
SWITCHER_SIZE = 10


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
    outlet_count: int = Field(description="Outlets carrying the claim (an outlet may have "
                              "several articles).")
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
    stories: list[StoryRef] = Field(
        description=f"The {SWITCHER_SIZE} most recently updated stories; /stories lists all."
    )
    filters: Filters
    outlets: list[ArticleRef]
    has_links: bool
    from_coverage: bool = Field(
        description="The claims are induced from what the outlets share: the story has no "
        "origin report and no dossier."
    )
    outlet_total: int = Field(description="Distinct outlets among the story's articles.")
    claim_count: int
    claims: list[ClaimRow]
    hits: list[SentenceHit]
    hit_total: int
    articles: list[ArticleRow]


def story_page(
    session: Session, story_id: int | None, filters: Filters, max_hits: int | None = MAX_HITS
) -> StoryPage | None:
    """``max_hits``: how many matching sentences to list (None: all, for a download).

    Every figure comes from aggregates and the search index, so the page costs what one
    story's claims and articles cost, whatever the corpus holds."""
    story = reads.story_or_first(session, story_id)
    if story is None:
        return None
    counted = reads.articles_with_counts(session, story.id)
    claims = reads.story_claims(session, story.id)
    coverage = reads.claim_coverage(session, story.id)
    labels = {c.article.id: c.article.label for c in counted}
    outlet_of = {c.article.id: outlet_identity(c.article) for c in counted}
    if filters.outlet not in labels:
        filters = Filters(q=filters.q)
    words = terms(filters.q)

    by_claim: dict[int, list[reads.ClaimCoverage]] = defaultdict(list)
    for row in coverage:
        if not row.own:
            by_claim[row.claim_id].append(row)
    rows = []
    for claim in claims:
        linked = by_claim[claim.id]
        carried_by = sorted({r.article_id for r in linked})
        if filters.outlet is not None and filters.outlet not in carried_by:
            continue
        marks = phrase_marks(claim.text, words) if filters.q else None
        if filters.q and marks is None:
            continue
        sentences = sum(r.links for r in linked)
        compared = sum(r.kept_count for r in linked)
        kept = round(100 * sum(r.kept_sum for r in linked) / compared) if compared else None
        rows.append(
            ClaimRow(
                id=claim.id, key=claim.key, text=claim.text, source=claim.source,
                url=f"/claims/{claim.id}",
                article_count=len(carried_by),
                outlet_count=len({outlet_of[a] for a in carried_by}),
                sentence_count=sentences,
                match=score_view(sum(r.score_sum for r in linked) / sentences)
                if sentences else None,
                kept_percent=kept,
                kept_label=kept_label(kept) if kept is not None else None,
                carried_by=carried_by,
                marks=marks,
            )
        )

    hits, hit_total = (
        _hits(session, story.id, filters, labels, max_hits) if filters.q else ([], 0)
    )
    return StoryPage(
        story=story_ref(story),
        origin_date=story.origin_date,
        stories=[story_ref(s) for s in reads.latest_stories(session, SWITCHER_SIZE)],
        filters=filters,
        outlets=[article_ref(c.article) for c in counted],
        has_links=bool(coverage),
        from_coverage=from_coverage(c.source for c in claims),
        outlet_total=len(set(outlet_of.values())),
        claim_count=len(claims),
        claims=rows,
        hits=hits,
        hit_total=hit_total,
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


def _hits(session, story_id, filters, labels, max_hits) -> tuple[list[SentenceHit], int]:
    found, total, words = story_hits(
        session, story_id, filters.q, outlet=filters.outlet, limit=max_hits
    )
    keys = reads.claim_keys(session, [h.sentence_id for h in found])
    hits = [
        SentenceHit(
            sentence_id=h.sentence_id, article_id=h.article_id,
            article_label=labels[h.article_id], kind=h.kind, text=h.text,
            claim_keys=keys.get(h.sentence_id, []),
            url=f"/articles/{h.article_id}?sentence={h.sentence_id}#s-{h.sentence_id}",
            marks=phrase_marks(h.text, words) or [(h.text, False)],
        )
        for h in found
    ]
    return hits, total
