"""JSON API shared by the pages and other tools."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from app import queries
from app.models import ArticlePublic, ArticleSummary, ClaimPublic, ClaimSummary, StoryPublic
from app.web.deps import SessionDep

router = APIRouter(prefix="/api", tags=["api"])


def _found(item, what: str, item_id: int):
    if item is None:
        raise HTTPException(status_code=404, detail=f"No {what} with id {item_id}.")
    return item


@router.get("/stories", response_model=list[StoryPublic])
def stories(session: SessionDep):
    return queries.list_stories(session)


@router.get("/stories/{story_id}", response_model=StoryPublic)
def story(story_id: int, session: SessionDep):
    return _found(queries.get_story(session, story_id), "story", story_id)


@router.get("/articles", response_model=list[ArticleSummary])
def articles(session: SessionDep, story_id: int | None = None):
    return queries.list_articles(session, story_id)


@router.get("/articles/{article_id}", response_model=ArticlePublic)
def article(article_id: int, session: SessionDep):
    return _found(queries.get_article(session, article_id), "article", article_id)


@router.get("/claims", response_model=list[ClaimSummary])
def claims(session: SessionDep, story_id: int | None = None):
    return queries.list_claims(session, story_id)


@router.get("/claims/{claim_id}", response_model=ClaimPublic)
def claim(claim_id: int, session: SessionDep):
    return _found(queries.get_claim(session, claim_id), "claim", claim_id)
