"""Signing in (name and password, or a one-time link printed by the server) and out.

A session is a random secret in an HttpOnly, Secure, SameSite=Lax cookie; the database keeps
only its digest, and signing out deletes it. Repeated failures are throttled (see throttle.py).
"""

from __future__ import annotations

import math

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from app.db import write_session
from app.editors import SESSION_LIFETIME, check_password, issue, redeem_link, revoke
from app.models import Editor
from app.web.auth import SESSION_COOKIE, safe_next
from app.web.templating import templates
from app.web.throttle import SignInThrottle

router = APIRouter(include_in_schema=False)


def _form(request: Request, next_path: str, error: str | None = None, status: int = 200):
    return templates.TemplateResponse(
        request,
        "signin.html",
        {"next": safe_next(next_path), "error": error},
        status_code=status,
    )


def _signed_in(request: Request, editor: Editor, next_path: str) -> RedirectResponse:
    with write_session(request.app.state.engine) as session:
        secret = issue(session, editor, "session")
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=request.app.state.settings.secure_cookies,
        samesite="lax",
    )
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str = "/"):
    return _form(request, next)


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request):
    form = await request.form(max_fields=10, max_part_size=4096)
    next_path = str(form.get("next") or "/")
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    throttle: SignInThrottle = request.app.state.signin_throttle
    client = request.client.host if request.client else ""
    wait = throttle.wait_seconds(name, client)
    if wait:
        minutes = math.ceil(wait / 60)
        response = _form(
            request, next_path,
            f"Too many failed sign-ins. Try again in {minutes} minute{'s' * (minutes > 1)}, "
            "or ask for a one-time sign-in link (`provenance editor link NAME`).",
            429,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    # A read transaction: hashing takes a while and must not hold the write lock meanwhile.
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        editor = check_password(session, name, password)
        session.commit()
    if editor is None:
        throttle.failed(name, client)
        return _form(request, next_path, "That name and password do not match an editor.", 401)
    throttle.succeeded(name)
    return _signed_in(request, editor, next_path)


@router.get("/signin/{secret}", response_class=HTMLResponse)
def signin_link(secret: str, request: Request):
    """A one-time link: it signs in once, within an hour of being printed."""
    with write_session(request.app.state.engine) as session:
        editor = redeem_link(session, secret)
        if editor is not None:
            session.expunge(editor)
    if editor is None:
        message = (
            "This sign-in link was already used or has expired. Restart the server, or run "
            "`provenance editor link NAME`, for a new one."
        )
        return _form(request, "/", message, 403)
    return _signed_in(request, editor, "/upload")


@router.post("/signout")
def signout(request: Request):
    with write_session(request.app.state.engine) as session:
        revoke(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, secure=request.app.state.settings.secure_cookies
    )
    return response
