"""Outlets: how much of each article comes from the origin, and which claims it left out.

A row is an article; an outlet with several articles has a row for each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pydantic import BaseModel, Field
from sqlmodel import Session

from app.views import reads
from app.views.common import (
    ArticleRef,
    ClaimRef,
    StoryRef,
    article_ref,
    claim_ref,
    outlet_count,
    percent,
    story_ref,
)
from app.views.flags import kind_counts, story_flags
from app.views.story import SWITCHER_SIZE


class OutletRow(BaseModel):
    article: ArticleRef
    published: dt.date | None
    content_sentences: int
    linked_sentences: int
    linked_percent: int
    own_percent: int
    carried: list[ClaimRef]
    left_out: list[ClaimRef]
    flag_counts: dict[str, int] = {}
    flag_total: int = 0
    unattributed: int = 0


class OutletsPage(BaseModel):
    story: StoryRef
    stories: list[StoryRef]
    has_links: bool
    claim_count: int
    rows: list[OutletRow] = Field(description="One row for each article.")
    article_count: int
    outlet_count: int = Field(
        description="Outlets of the articles: an outlet with several counts once."
    )


def outlets_page(session: Session, story_id: int | None) -> OutletsPage | None:
    story = reads.story_or_first(session, story_id)
    if story is None:
        return None
    claims = reads.story_claims(session, story.id)
    links = reads.links(session, story_id=story.id)
    carried: dict[int, set[int]] = defaultdict(set)
    origin_sentences = {c.sentence_id for c in claims}
    for row in links:
        if row.sentence_id not in origin_sentences:
            carried[row.article_id].add(row.claim_id)
    flags = story_flags(session, story.id)
    flagged = flags.by_sentence()
    sentences_of: dict[int, set[int]] = defaultdict(set)
    for row in links:
        sentences_of[row.article_id].add(row.sentence_id)
    unattributed: dict[int, int] = defaultdict(int)
    for sentence_id, found in flags.attributions.items():
        if found.unattributed:
            unattributed[flags.article_of[sentence_id]] += 1
    rows = []
    articles = reads.articles_with_counts(session, story.id)
    for counted in articles:
        article, has = counted.article, carried[counted.article.id]
        rows.append(
            OutletRow(
                article=article_ref(article),
                published=article.published,
                content_sentences=counted.content,
                linked_sentences=counted.linked,
                linked_percent=percent(counted.linked, counted.content),
                own_percent=percent(counted.content - counted.linked, counted.content)
                if counted.content else 0,
                carried=[claim_ref(c) for c in claims if c.id in has],
                left_out=[claim_ref(c) for c in claims if c.id not in has],
                flag_counts=(counts := kind_counts(
                    flagged.get(s, []) for s in sentences_of[article.id]
                )),
                flag_total=sum(counts.values()),
                unattributed=unattributed[article.id],
            )
        )
    return OutletsPage(
        story=story_ref(story),
        stories=[story_ref(s) for s in reads.latest_stories(session, SWITCHER_SIZE)],
        has_links=bool(links),
        claim_count=len(claims),
        rows=rows,
        article_count=len(articles),
        outlet_count=outlet_count(c.article for c in articles),
    )

