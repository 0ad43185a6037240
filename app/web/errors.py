"""Error answers: a page of the site for a browser on a page route, JSON for everything else.

The API (`/api/...`) and the pages' `.json` twins keep FastAPI's JSON errors, which their
clients and schema read; a browser that mistypes a page's address gets a plain-language page
with the same status code instead of a validator's dump.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from app.web.templating import templates

_HEADINGS = {405: "Not done at this address", 413: "Upload too large"}
_OPENED_FORM = (
    "This address takes a form's submission and cannot be opened on its own. Go back to the "
    "page the form is on and use its button."
)
_POSTED_PAGE = "This address is a page to read; it does not take a form's submission."


def wants_page(request: Request) -> bool:
    """A browser (it asks for HTML) on a page route (not the API nor a JSON twin)."""
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, view: dict, headers: dict | None = None):
    """The site's error page: ``view`` gives ``what`` is missing, or a ``heading`` and a
    ``message``."""
    return templates.TemplateResponse(
        request, "missing.html", {"view": view}, status_code=status, headers=headers
    )


async def http_error(request: Request, exc: HTTPException):
    if not wants_page(request):
        return await http_exception_handler(request, exc)
    if exc.status_code == 404:
        # a route's own message ("No claim with id 9") says more than routing's "Not Found"
        view = {"what": "page", "message": None if exc.detail == "Not Found" else exc.detail}
    else:
        message = exc.detail
        if exc.status_code == 405:
            message = _OPENED_FORM if request.method in ("GET", "HEAD") else _POSTED_PAGE
        view = {"heading": _HEADINGS.get(exc.status_code, "Request refused"), "message": message}
    return error_page(request, exc.status_code, view, exc.headers)


async def invalid_request(request: Request, exc: RequestValidationError):
    if not wants_page(request):
        return await request_validation_exception_handler(request, exc)
    values = [
        f"{error['loc'][-1]} “{str(error['input'])[:40]}”"
        if error.get("input") is not None else f"{error['loc'][-1]} (missing)"
        for error in exc.errors()
    ]
    message = (
        f"This address has a value the page cannot read: {', '.join(values)}. "
        "The link may be cut short or mistyped."
    )
    return error_page(request, 422, {"heading": "Address not understood", "message": message})
