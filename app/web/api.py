"""JSON API shared by the pages and other tools."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from app import queries
from app.models import ArticlePublic, ArticleSummary, ClaimPublic, ClaimSummary, StoryPublic
from app.views.flags import (
    AttributionRecord,
    FlagRecord,
    QuoteFamily,
    attribution_records,
    flag_records,
    quotes_page,
)
from app.web.deps import PathId, QueryId, SessionDep
from app.web.responses import problems

router = APIRouter(prefix="/api", tags=["api"])


def _found(item, what: str, item_id: int):
    if item is None:
        raise HTTPException(status_code=404, detail=f"No {what} with id {item_id}.")
    return item


@router.get("/stories", response_model=list[StoryPublic], responses=problems(422))
def stories(session: SessionDep):
    return queries.list_stories(session)


@router.get("/stories/{story_id}", response_model=StoryPublic, responses=problems(404, 422))
def story(story_id: PathId, session: SessionDep):
    return _found(queries.get_story(session, story_id), "story", story_id)


@router.get("/articles", response_model=list[ArticleSummary], responses=problems(422))
def articles(session: SessionDep, story_id: QueryId = None):
    return queries.list_articles(session, story_id)


@router.get("/articles/{article_id}", response_model=ArticlePublic, responses=problems(404, 422))
def article(article_id: PathId, session: SessionDep):
    return _found(queries.get_article(session, article_id), "article", article_id)


@router.get("/claims", response_model=list[ClaimSummary], responses=problems(422))
def claims(session: SessionDep, story_id: QueryId = None):
    return queries.list_claims(session, story_id)


@router.get("/claims/{claim_id}", response_model=ClaimPublic, responses=problems(404, 422))
def claim(claim_id: PathId, session: SessionDep):
    return _found(queries.get_claim(session, claim_id), "claim", claim_id)


@router.get(
    "/stories/{story_id}/flags",
    response_model=list[FlagRecord],
    responses=problems(404, 422),
)
def story_flags(story_id: PathId, session: SessionDep):
    """Every substantive change an outlet sentence makes to the claims it carries, once per
    sentence: a change found against several of its claims is one record naming them all."""
    _found(queries.get_story(session, story_id), "story", story_id)
    return flag_records(session, story_id)


@router.get(
    "/stories/{story_id}/attributions",
    response_model=list[AttributionRecord],
    responses=problems(404, 422),
)
def story_attributions(story_id: PathId, session: SessionDep):
    """Whom each content sentence of the story's rewrites credits: origin, secondary, none."""
    _found(queries.get_story(session, story_id), "story", story_id)
    return attribution_records(session, story_id)


@router.get(
    "/stories/{story_id}/quotes",
    response_model=list[QuoteFamily],
    responses=problems(404, 422),
)
def story_quotes(story_id: PathId, session: SessionDep):
    """Quotes of the story quoted by several outlets, grouped as versions of one quote."""
    return _found(quotes_page(session, story_id), "story", story_id).families
