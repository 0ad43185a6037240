"""Downloads: every list of the pages as CSV (same filters as the page), and a whole story as
a JSON document or a ZIP of it with one CSV per table, for journalists' own tools."""

from __future__ import annotations

import re
from itertools import chain

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from app.exchange.archive import to_json, to_zip
from app.exchange.export import export_story
from app.tabular import csv_lines
from app.views import tables
from app.views.articles import article_page
from app.views.claims import claim_page
from app.views.outlets import outlets_page
from app.views.story import story_page
from app.web.deps import SessionDep, site_base
from app.web.pages import parse_filters

router = APIRouter(include_in_schema=False)


def _found(view, what: str, item_id: int | None):
    if view is None:
        raise HTTPException(status_code=404, detail=f"No {what} with id {item_id}.")
    return view


def _attachment(name: str) -> dict[str, str]:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    return {"Content-Disposition": f'attachment; filename="{safe}"'}


#: Excel reads a CSV file as the system's legacy code page unless it opens with a byte order
#: mark, which turns "Kyiv’s" and "Élysée" into mojibake; other spreadsheets skip it.
BOM = "\ufeff"


def _csv(name: str, table: tables.Table) -> StreamingResponse:
    """Rows are written to the response as they are made, not gathered first."""
    header, rows = table
    return StreamingResponse(
        chain([BOM], csv_lines(header, rows)), media_type="text/csv; charset=utf-8",
        headers=_attachment(name),
    )


@router.get("/stories/{story_id:int}.csv")
def story_claims_csv(
    story_id: int, request: Request, session: SessionDep, q: str = "", outlet: str = ""
):
    view = _found(story_page(session, story_id, parse_filters(q, outlet)), "story", story_id)
    return _csv(f"story-{story_id}-claims.csv", tables.story_claims(view, site_base(request)))


@router.get("/stories/{story_id:int}/sentences.csv")
def story_sentences_csv(
    story_id: int, request: Request, session: SessionDep, q: str = "", outlet: str = ""
):
    """Every sentence the search finds, not only the first ones the page lists."""
    view = story_page(session, story_id, parse_filters(q, outlet), max_hits=None)
    view = _found(view, "story", story_id)
    name = f"story-{story_id}-sentences.csv"
    return _csv(name, tables.story_sentences(view, site_base(request)))


@router.get("/claims/{claim_id:int}.csv")
def claim_csv(claim_id: int, request: Request, session: SessionDep):
    view = _found(claim_page(session, claim_id), "claim", claim_id)
    key = view.comparison.claim.key
    return _csv(f"claim-{key}-wordings.csv", tables.claim_wordings(view, site_base(request)))


@router.get("/articles/{article_id:int}.csv")
def article_csv(article_id: int, request: Request, session: SessionDep):
    view = _found(article_page(session, article_id, None), "article", article_id)
    name = f"article-{article_id}-sentences.csv"
    return _csv(name, tables.article_sentences(view, site_base(request)))


@router.get("/outlets.csv")
def outlets_csv(request: Request, session: SessionDep, story: int | None = None):
    view = _found(outlets_page(session, story), "story", story)
    return _csv(f"story-{view.story.id}-outlets.csv", tables.outlets(view, site_base(request)))


#: Export file ending -> how to write the document, and its media type.
EXPORTS = {"json": (to_json, "application/json"), "zip": (to_zip, "application/zip")}


@router.get("/stories/{story_id:int}/export.{ending}")
def story_export(story_id: int, ending: str, session: SessionDep):
    """The story as one document another instance can import (`provenance import`)."""
    if ending not in EXPORTS:
        raise HTTPException(status_code=404, detail=f"Exports are {' or '.join(EXPORTS)}.")
    document = _found(export_story(session, story_id), "story", story_id)
    write, media_type = EXPORTS[ending]
    return Response(
        write(document), media_type=media_type,
        headers=_attachment(f"{document.story.slug}.{ending}"),
    )
