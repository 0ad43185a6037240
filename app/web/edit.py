"""Editor corrections through forms (redirecting back to the article) and the JSON API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.db import write_session
from app.editing import EDITABLE, decide, move_article, update_metadata
from app.ingest import IngestError
from app.models import Sentence
from app.text.extract import ExtractError
from app.web.pages import render_article

router = APIRouter()


class MetadataUpdate(BaseModel):
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = Field(default=None, description="A date, e.g. 2024-11-25.")
    language: str | None = None


class DecisionCreate(BaseModel):
    claim_key: str = Field(description="Key of the claim, e.g. LM08.")
    verdict: str = Field(description="confirm (the sentence carries the claim) or reject.")


def _error(exc: IngestError | ExtractError) -> JSONResponse:
    return JSONResponse({"detail": exc.message}, status_code=exc.status)


@router.patch("/api/articles/{article_id}", tags=["api"])
def patch_article(article_id: int, body: MetadataUpdate, request: Request):
    """Correct an article's metadata (outlet name, date...); only the fields sent change."""
    try:
        with write_session(request.app.state.engine) as session:
            article = update_metadata(session, article_id, body.model_dump(exclude_unset=True))
            return {"id": article.id, **{name: getattr(article, name) for name in EDITABLE}}
    except (IngestError, ExtractError) as exc:
        return _error(exc)


@router.post("/api/sentences/{sentence_id}/decisions", tags=["api"], status_code=201)
def post_decision(sentence_id: int, body: DecisionCreate, request: Request):
    """Confirm or remove the link between a sentence and a claim; it survives every re-link."""
    try:
        with write_session(request.app.state.engine) as session:
            d = decide(session, sentence_id, body.claim_key, body.verdict)
            return {"sentence_id": d.sentence_id, "claim_key": d.claim_key, "verdict": d.verdict}
    except (IngestError, ExtractError) as exc:
        return _error(exc)


def _refused(request: Request, article_id: int | None, exc: IngestError | ExtractError):
    """Show the article again with the message, or a JSON message when there is no article."""
    if article_id is None:
        return _error(exc)
    with Session(request.app.state.engine) as session:
        return render_article(request, session, article_id, error=exc.message, status=exc.status)


@router.post("/articles/{article_id}/metadata", include_in_schema=False)
async def metadata_form(article_id: int, request: Request):
    form = await request.form()
    changes = {name: str(form[name]) for name in EDITABLE if name in form}
    story_id = str(form.get("story_id") or "")
    try:
        with write_session(request.app.state.engine) as session:
            update_metadata(session, article_id, changes)
            if story_id:
                if not story_id.isdigit():
                    raise IngestError("Choose a story from the list.", 400)
                move_article(session, request.app.state.linker, article_id, int(story_id))
    except (IngestError, ExtractError) as exc:
        return _refused(request, article_id, exc)
    return RedirectResponse(f"/articles/{article_id}?edited=1", status_code=303)


@router.post("/sentences/{sentence_id}/decisions", include_in_schema=False)
async def decision_form(sentence_id: int, request: Request):
    form = await request.form()
    try:
        with write_session(request.app.state.engine) as session:
            decide(session, sentence_id, str(form.get("claim_key", "")), str(form.get("verdict")))
    except (IngestError, ExtractError) as exc:
        with Session(request.app.state.engine) as session:
            found = session.get(Sentence, sentence_id)
        return _refused(request, found.article_id if found else None, exc)
    return RedirectResponse(f"/sentences/{sentence_id}", status_code=303)
