"""Editor corrections and deletions through forms (redirecting back to the article, or to the
stories when a story went) and the JSON API. Each needs a signed-in editor or an editor token,
and is recorded in the audit log in the same transaction as the change itself."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.audit import record
from app.db import write_session
from app.editing import (
    EDITABLE,
    StoryDeletion,
    decide,
    delete_article,
    delete_story,
    deletion_of,
    move_article,
    story_deletion_of,
    update_metadata,
)
from app.ingest import IngestError
from app.models import Article, Sentence, Story
from app.text.extract import ExtractError
from app.views.common import counted
from app.web.auth import ApiEditor, FormEditor, safe_next
from app.web.deps import HtmxDep, PathId
from app.web.errors import error_page
from app.web.pages import render_article
from app.web.responses import WRITE, problems
from app.web.templating import templates

router = APIRouter()


class MetadataUpdate(BaseModel):
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = Field(default=None, description="A date, e.g. 2024-11-25.")
    language: str | None = Field(default=None, description="A language code such as en or pt-BR.")


class DecisionCreate(BaseModel):
    claim_key: str = Field(description="Key of the claim, e.g. LM08.")
    verdict: str = Field(description="confirm (the sentence carries the claim) or reject.")


class ArticleMetadata(BaseModel):
    id: int
    outlet: str | None
    title: str | None
    byline: str | None
    published: dt.date | None
    language: str | None


class DecisionMade(BaseModel):
    sentence_id: int
    claim_key: str
    verdict: str


def _error(exc: IngestError | ExtractError) -> JSONResponse:
    return JSONResponse({"detail": exc.message}, status_code=exc.status)


def _edit(session, editor: str, article_id: int, changes: dict, story_id: int | None, linker):
    """Apply metadata changes and a move to another story, and record what really changed."""
    article = session.get(Article, article_id)
    before = {name: getattr(article, name) for name in EDITABLE} if article else {}
    update_metadata(session, article_id, changes)
    done = [
        f"{name} to “{getattr(article, name)}”" if getattr(article, name) else f"cleared {name}"
        for name in EDITABLE
        if getattr(article, name) != before[name]
    ]
    if story_id is not None and story_id != article.story_id:
        move_article(session, linker, article_id, story_id)
        done.append(f"moved it to the story “{session.get(Story, story_id).title}”")
    if done:
        record(session, editor, "edit", "Changed " + "; ".join(done), article_id)


def _decide(session, editor: str, sentence_id: int, claim_key: str, verdict: str):
    made = decide(session, sentence_id, claim_key, verdict, editor)
    sentence = session.get(Sentence, sentence_id)
    what = "Confirmed" if verdict == "confirm" else "Removed"
    record(
        session, editor, "decision",
        f"{what} {claim_key} for sentence {sentence.index + 1} “{sentence.text[:80]}”",
        sentence.article_id,
    )
    return made


def _delete(session, editor: str, article_id: int, linker) -> tuple[Article, bool]:
    """Delete the article; True beside it when its story went too (nothing else was left)."""
    article, story_gone = delete_article(session, linker, article_id)
    record(
        session, editor, "delete",
        f"Deleted “{article.title or article.label}” ({article.source}), its sentences, links and "
        "decisions" + (", and its story, left without articles" if story_gone else ""),
        article_id,
    )
    return article, story_gone


def _delete_story(session, editor: str, story_id: int) -> StoryDeletion:
    """Delete the story and everything of it, and note in the history what went: the entry
    names no article, since none of them is left to show it."""
    gone = delete_story(session, story_id)
    record(session, editor, "delete story", _story_summary(gone))
    return gone


def _story_summary(gone: StoryDeletion) -> str:
    """The history's note of a deleted story, every count as the confirmation gave it."""
    kinds = ", ".join(f"{n} {kind}" for n, kind in gone.claim_kinds())
    claims = counted(gone.claim_total, "claim") + (f" ({kinds})" if kinds else "")
    return (
        f"Deleted the story “{gone.story.title}” (story {gone.story.id}) with "
        f"{counted(gone.articles, 'article')}, {counted(gone.sentences, 'sentence')}, {claims}, "
        f"{counted(gone.links, 'link')} and {counted(gone.decisions, 'editor decision')}"
    )


@router.patch(
    "/api/articles/{article_id}", tags=["api"], responses=WRITE | problems(400, 404),
    response_model=ArticleMetadata,
)
def patch_article(article_id: PathId, body: MetadataUpdate, request: Request, editor: ApiEditor):
    """Correct an article's metadata (outlet name, date...); only the fields sent change."""
    try:
        with write_session(request.app.state.engine) as session:
            changes = body.model_dump(exclude_unset=True)
            _edit(session, editor.name, article_id, changes, None, request.app.state.linker)
            article = session.get(Article, article_id)
            return {"id": article.id, **{name: getattr(article, name) for name in EDITABLE}}
    except (IngestError, ExtractError) as exc:
        return _error(exc)


@router.delete(
    "/api/articles/{article_id}", tags=["api"], status_code=204, responses=WRITE | problems(404)
)
def remove_article(article_id: PathId, request: Request, editor: ApiEditor):
    """Delete an article with its sentences, links and decisions, in one transaction."""
    try:
        with write_session(request.app.state.engine) as session:
            _delete(session, editor.name, article_id, request.app.state.linker)
    except (IngestError, ExtractError) as exc:
        return _error(exc)
    return Response(status_code=204)


@router.delete(
    "/api/stories/{story_id}", tags=["api"], status_code=204, responses=WRITE | problems(404)
)
def remove_story(story_id: PathId, request: Request, editor: ApiEditor):
    """Delete a story with everything of it, in one transaction: its articles, sentences,
    claims (dossier, origin report and induced alike), links and editor decisions. The
    history keeps a note of what went."""
    try:
        with write_session(request.app.state.engine) as session:
            _delete_story(session, editor.name, story_id)
    except IngestError as exc:
        return _error(exc)
    return Response(status_code=204)


@router.post(
    "/api/sentences/{sentence_id}/decisions", tags=["api"], status_code=201,
    responses=WRITE | problems(400, 404), response_model=DecisionMade,
)
def post_decision(sentence_id: PathId, body: DecisionCreate, request: Request, editor: ApiEditor):
    """Confirm or remove the link between a sentence and a claim; it survives every re-link."""
    try:
        with write_session(request.app.state.engine) as session:
            d = _decide(session, editor.name, sentence_id, body.claim_key, body.verdict)
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
async def metadata_form(article_id: int, request: Request, editor: FormEditor):
    form = await request.form()
    changes = {name: str(form[name]) for name in EDITABLE if name in form}
    story_id = str(form.get("story_id") or "")
    try:
        if story_id and not story_id.isdigit():
            raise IngestError("Choose a story from the list.", 400)
        with write_session(request.app.state.engine) as session:
            _edit(
                session, editor.name, article_id, changes,
                int(story_id) if story_id else None, request.app.state.linker,
            )
    except (IngestError, ExtractError) as exc:
        return _refused(request, article_id, exc)
    return RedirectResponse(f"/articles/{article_id}?edited=1", status_code=303)


def _confirmation(request: Request, template: str, view, htmx: bool):
    """What a deletion would take, with a confirm button and a way back: a page of its own, or
    only its ``confirm`` block in place of the form that asked, with htmx."""
    return templates.TemplateResponse(
        request, template, {"view": view},
        block_name="confirm" if htmx else None, headers={"Vary": "HX-Request"},
    )


@router.post("/articles/{article_id}/delete", include_in_schema=False)
async def delete_form(article_id: int, request: Request, editor: FormEditor, htmx: HtmxDep):
    """Two steps: a post without ``confirm=yes`` only shows what would be lost, with a confirm
    button and a way back (in place, with htmx); the confirming post deletes."""
    form = await request.form()
    try:
        if form.get("confirm") != "yes":
            with Session(request.app.state.engine) as session:
                view = deletion_of(session, article_id)
                return _confirmation(request, "delete_article.html", view, htmx)
        with write_session(request.app.state.engine) as session:
            article, story_gone = _delete(
                session, editor.name, article_id, request.app.state.linker
            )
    except (IngestError, ExtractError) as exc:
        return _refused(request, article_id, exc)
    where = "/stories" if story_gone else f"/stories/{article.story_id}"
    return RedirectResponse(f"{where}?deleted={article_id}", status_code=303)


@router.post("/stories/{story_id}/delete", include_in_schema=False)
async def delete_story_form(story_id: int, request: Request, editor: FormEditor, htmx: HtmxDep):
    """Two steps, as for an article: a post without ``confirm=yes`` only shows everything that
    would go, with a confirm button and a way back; the confirming post deletes and sends the
    editor to the list of stories, which says which one went."""
    form = await request.form()
    try:
        if form.get("confirm") != "yes":
            with Session(request.app.state.engine) as session:
                view = story_deletion_of(session, story_id)
                return _confirmation(request, "delete_story.html", view, htmx)
        with write_session(request.app.state.engine) as session:
            gone = _delete_story(session, editor.name, story_id)
    except IngestError as exc:
        return error_page(request, exc.status, {"what": "story", "message": exc.message})
    query = urlencode({"deleted_story": gone.story.title})
    return RedirectResponse(f"/stories?{query}", status_code=303)


@router.post("/sentences/{sentence_id}/decisions", include_in_schema=False)
async def decision_form(sentence_id: int, request: Request, editor: FormEditor):
    form = await request.form()
    try:
        with write_session(request.app.state.engine) as session:
            _decide(
                session, editor.name, sentence_id,
                str(form.get("claim_key", "")), str(form.get("verdict")),
            )
    except (IngestError, ExtractError) as exc:
        with Session(request.app.state.engine) as session:
            found = session.get(Sentence, sentence_id)
        return _refused(request, found.article_id if found else None, exc)
    # a close call settled from a claim's page goes back to that page, for the next one
    back = safe_next(str(form.get("next") or f"/sentences/{sentence_id}"))
    return RedirectResponse(back, status_code=303)
