"""Server-rendered pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app import queries
from app.web.deps import SessionDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep):
    stories = queries.list_stories(session)
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "stories": stories,
            "claims": queries.list_claims(session),
            "articles": queries.list_articles(session),
        },
    )
