"""The list of every story: newest first, a page at a time, searchable by title."""

from __future__ import annotations

import datetime as dt
import math
from urllib.parse import urlencode

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Article, Claim, Story
from app.text.search import fold_word
from app.views.common import StoryRef, story_ref

#: Longest title search kept; a longer one is cut.
MAX_QUERY = 200


class StoryRow(StoryRef):
    origin_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime | None
    article_count: int
    claim_count: int


class StoriesPage(BaseModel):
    q: str = Field(
        description="The title search: text the title contains, ignoring case and accents."
    )
    page: int
    page_count: int
    page_size: int
    total: int = Field(description="Stories matching the search, over every page.")
    stories: list[StoryRow]
    previous_url: str | None
    next_url: str | None


def parse_page(value: str) -> int:
    """A page number as a link or a person gives it; anything else is the first page."""
    value = value.strip()
    return max(1, int(value)) if value.isdigit() and len(value) < 9 else 1


def stories_page(session: Session, q: str, page: int, page_size: int) -> StoriesPage:
    """One page of stories, newest first; a page past the last shows the last."""
    q = " ".join(q.split())[:MAX_QUERY]
    where = []
    if q:
        postgres = session.get_bind().dialect.name == "postgresql"
        title = func.lower(func.unaccent(Story.title)) if postgres else func.fold(Story.title)
        where.append(title.contains(fold_word(q), autoescape=True))
    total = session.exec(select(func.count()).select_from(Story).where(*where)).one()
    page_count = max(1, math.ceil(total / page_size))
    page = min(page, page_count)
    articles = select(func.count()).where(Article.story_id == Story.id).scalar_subquery()
    claims = select(func.count()).where(Claim.story_id == Story.id).scalar_subquery()
    rows = session.exec(
        select(Story, articles, claims)
        .where(*where)
        .order_by(Story.created_at.desc(), Story.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()

    def url(number: int) -> str:
        params = {k: v for k, v in (("q", q), ("page", number)) if v and v != 1}
        return "/stories" + (f"?{urlencode(params)}" if params else "")

    return StoriesPage(
        q=q, page=page, page_count=page_count, page_size=page_size, total=total,
        stories=[
            StoryRow(
                **story_ref(story).model_dump(), origin_date=story.origin_date,
                created_at=story.created_at, updated_at=story.updated_at,
                article_count=n_articles, claim_count=n_claims,
            )
            for story, n_articles, n_claims in rows
        ],
        previous_url=url(page - 1) if page > 1 else None,
        next_url=url(page + 1) if page < page_count else None,
    )
