"""CSRF protection: a synchronizer token tied to the visitor's secret cookie.

Every form repeats `csrftoken` (htmx and the API page send it as the `x-csrftoken` header). The
token is an HMAC of the editor's session secret, or, before signing in, of a random
`provenance_csrf` cookie; another site can neither read those cookies nor compute the token.
`csrf_protect` runs before every route: a POST, PATCH or DELETE that carries cookies but not
the right token gets 403 before the route runs, so it writes nothing. Requests with an
Authorization header (API tokens) and without any cookie carry no ambient credential a forged
request could borrow, so they pass on to the editor check, which refuses them without a valid
token. Signing in and out are checked even without cookies.

(asgi-csrf was the first choice, but its multipart parsing calls python-multipart with an
argument that the version Starlette needs no longer accepts, so the upload form broke.)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.formparsers import MultiPartException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.auth import SESSION_COOKIE

CSRF_COOKIE = "provenance_csrf"
FORM_FIELD = "csrftoken"
HEADER = "x-csrftoken"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
ALWAYS_CHECKED = {"/signin", "/signout"}
_NEW_COOKIE = "new_csrf_cookie"
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfRefused(Exception):
    def __init__(self, message: str, status: int = 403) -> None:
        self.message = message
        self.status = status


def _sign(anchor: str) -> str:
    return hmac.new(anchor.encode(), b"provenance form token", hashlib.sha256).hexdigest()


def _anchor(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(CSRF_COOKIE)


def form_token(request: Request) -> str:
    """The token this visitor's forms must carry; a visitor without a cookie gets one."""
    anchor = _anchor(request) or getattr(request.state, _NEW_COOKIE, None)
    if anchor is None:
        anchor = secrets.token_urlsafe(32)
        setattr(request.state, _NEW_COOKIE, anchor)
    return _sign(anchor)


async def csrf_protect(request: Request) -> None:
    """Run before every route (an app-wide dependency)."""
    if request.method in SAFE_METHODS or "authorization" in request.headers:
        return
    if not request.cookies and request.url.path not in ALWAYS_CHECKED:
        return
    sent = request.headers.get(HEADER)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if sent is None and content_type in _FORMS:
        limit = request.app.state.settings.max_upload_bytes
        try:
            form = await request.form(max_part_size=limit + 1024, max_files=1, max_fields=20)
        except MultiPartException as exc:
            raise CsrfRefused(f"The form could not be read: {exc}", 400) from None
        value = form.get(FORM_FIELD)
        sent = value if isinstance(value, str) else None
    anchor = _anchor(request)
    if not (anchor and sent and hmac.compare_digest(sent, _sign(anchor))):
        raise CsrfRefused(
            "The form's security token was missing or out of date, so nothing was saved. "
            "Reload the page and send it again."
        )


async def csrf_refused(request: Request, exc: CsrfRefused):
    if "text/html" in request.headers.get("accept", ""):
        body = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Not sent</title>"
            "<link rel=icon href=/static/favicon.svg type=image/svg+xml>"
            "<link rel=stylesheet href=/static/app.css><main id=main><h1>Not sent</h1>"
            f"<p role=alert>{exc.message}</p><p><a href=/>Back to the claims</a></p></main></html>"
        )
        return HTMLResponse(body, status_code=exc.status)
    return JSONResponse({"detail": exc.message}, status_code=exc.status)


class CsrfCookieMiddleware:
    """Sets the cookie that `form_token` made up for a visitor who had none."""

    def __init__(self, app: ASGIApp, secure: bool) -> None:
        self.app = app
        self.attributes = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})

        async def with_cookie(message: Message) -> None:
            new = state.get(_NEW_COOKIE)
            if message["type"] == "http.response.start" and new:
                cookie = f"{CSRF_COOKIE}={new}{self.attributes}".encode()
                headers = [*message.get("headers", []), (b"set-cookie", cookie)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_cookie)

