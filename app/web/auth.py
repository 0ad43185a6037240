"""Who is writing: a signed-in editor's session cookie, or an API token in the Authorization
header. Reading needs neither; every write route depends on `ApiEditor` or `FormEditor`.

A request that carries an Authorization header is judged by that header alone, never by a
cookie: the CSRF check lets Bearer requests through (a browser cannot add that header to a
forged cross-site request), so a cookie must not be able to stand in for a bad token.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.editors import editor_for
from app.models import Editor

SESSION_COOKIE = "provenance_session"

bearer = HTTPBearer(
    auto_error=False,
    description="An editor's API token, printed by `provenance editor token NAME`.",
)


class SignInRequired(Exception):
    """Raised by form routes for anonymous visitors; answered with a redirect to /signin."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def current_editor(request: Request) -> Editor | None:
    """The editor behind this request, looked up once per request."""
    if "editor" in request.scope.get("state", {}):
        return request.state.editor
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, token = header.partition(" ")
            bearer_token = token.strip() if scheme.lower() == "bearer" else None
            editor = editor_for(session, bearer_token, "token")
        else:
            editor = editor_for(session, request.cookies.get(SESSION_COOKIE), "session")
        if editor is not None:
            session.expunge(editor)
    request.state.editor = editor
    return editor


def api_editor(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Editor:
    editor = current_editor(request)
    if editor is None:
        raise HTTPException(
            status_code=401,
            detail="Writing needs an editor: send `Authorization: Bearer <token>` with a token "
            "from `provenance editor token NAME`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return editor


def form_editor(request: Request) -> Editor:
    editor = current_editor(request)
    if editor is None:
        raise SignInRequired(request.url.path)
    return editor


def safe_next(value: str | None) -> str:
    """A path on this site to go to after signing in; anything else (another site) is '/'."""
    value = value or "/"
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def sign_in_required(request: Request, exc: SignInRequired) -> RedirectResponse:
    return RedirectResponse(f"/signin?next={quote(safe_next(exc.next_path))}", status_code=303)


ApiEditor = Annotated[Editor, Depends(api_editor)]
FormEditor = Annotated[Editor, Depends(form_editor)]
