"""Upload through the form (`/upload`) and the API (`POST /api/articles`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from app import queries
from app.ingest import IngestError
from app.text.extract import ExtractError
from app.uploads import UploadRequest, UploadResult, upload
from app.web.auth import ApiEditor, FormEditor
from app.web.deps import MAX_ID, SessionDep
from app.web.responses import WRITE, problems
from app.web.templating import templates

router = APIRouter()

FIELDS = ("outlet", "title", "url", "published", "language", "role", "story_id")


class ArticleCreate(BaseModel):
    """An article sent through the API: its text (plain, Markdown or HTML) and metadata."""

    text: str = Field(description="The article as plain text, Markdown or the HTML of a page.")
    filename: str | None = Field(default=None, description="Display name of the source file.")
    outlet: str | None = None
    title: str | None = None
    url: str | None = Field(default=None, description="The article's whole http(s) address.")
    published: str | None = Field(default=None, description="Publication date, e.g. 2024-11-25.")
    language: str | None = Field(
        default=None, description="A language code such as en, fr or pt-BR; detected if empty."
    )
    role: str = Field(default="derivative", description="derivative, or origin for the report.")
    story_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Story; the best match if empty."
    )


class UploadOutcome(BaseModel):
    article_id: int
    story_id: int
    created: bool
    story_created: bool
    url: str
    rekeying: dict[str, list[str]] | None = None
    coverage: queries.Coverage


def _run(request: Request, upload_request: UploadRequest, editor: str) -> UploadResult:
    state = request.app.state
    return upload(
        state.engine,
        state.linker,
        upload_request,
        max_bytes=state.settings.max_upload_bytes,
        timeout=state.settings.extract_timeout,
        editor=editor,
    )


def _outcome(session, result: UploadResult) -> UploadOutcome:
    return UploadOutcome(
        article_id=result.article_id,
        story_id=result.story_id,
        created=result.created,
        story_created=result.story_created,
        url=f"/articles/{result.article_id}",
        rekeying=vars(result.rekeying) if result.rekeying else None,
        coverage=queries.coverage(session, result.article_id),
    )


@router.post(
    "/api/articles", tags=["api"], status_code=201, response_model=UploadOutcome,
    responses=WRITE | problems(400, 404, 415)
    | {200: {"model": UploadOutcome, "description": "The same content was already stored."}},
)
def create_article(body: ArticleCreate, request: Request, session: SessionDep, editor: ApiEditor):
    """Add an article, link it at once, and say what it covers. The same content twice
    returns the stored article (200) instead of a copy."""
    try:
        result = _run(
            request, UploadRequest(data=body.text, **body.model_dump(exclude={"text"})), editor.name
        )
    except (ExtractError, IngestError) as exc:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)
    outcome = _outcome(session, result)
    return JSONResponse(outcome.model_dump(mode="json"), status_code=201 if result.created else 200)


@router.get("/upload", response_class=HTMLResponse, include_in_schema=False)
def upload_form(request: Request, session: SessionDep):
    return _form(request, session, {}, None, 200)


@router.post("/upload", response_class=HTMLResponse, include_in_schema=False)
async def upload_submit(request: Request, session: SessionDep, editor: FormEditor):
    limit = request.app.state.settings.max_upload_bytes
    try:
        form = await request.form(max_part_size=limit + 1024, max_files=1, max_fields=20)
    except MultiPartException as exc:
        return _form(request, session, {}, f"The form could not be read: {exc}", 400)
    values = {name: str(form.get(name) or "") for name in FIELDS}
    file = form.get("file")
    text = str(form.get("text") or "")
    try:
        if isinstance(file, UploadFile) and file.filename:
            data: bytes | str = await file.read()
            filename = file.filename
        elif text.strip():
            data, filename = text, None
        else:
            raise ExtractError("Paste the article's text or choose a file to upload.", 400)
        story_id = values["story_id"]
        if story_id and not story_id.isdigit():
            raise ExtractError("Choose a story from the list.", 400)
        result = _run(
            request,
            UploadRequest(
                data=data,
                filename=filename,
                story_id=int(story_id) if story_id else None,
                role=values["role"] or "derivative",
                **{k: values[k] for k in ("outlet", "title", "url", "published", "language")},
            ),
            editor.name,
        )
    except (ExtractError, IngestError) as exc:
        return _form(request, session, values | {"text": text}, exc.message, exc.status)
    flag = "uploaded" if result.created else "duplicate"
    return RedirectResponse(f"/articles/{result.article_id}?{flag}=1", status_code=303)


def _form(request: Request, session, values: dict, error: str | None, status: int):
    return templates.TemplateResponse(
        request,
        "upload.html",
        {
            "values": values,
            "error": error,
            "stories": queries.list_stories(session),
            "max_mib": request.app.state.settings.max_upload_bytes / (1024 * 1024),
        },
        status_code=status,
    )
