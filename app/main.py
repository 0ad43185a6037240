"""The FastAPI application. Nothing runs at import time: `create_app(settings)` builds it."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from app.db import check_connection, make_engine
from app.linker import Linker
from app.settings import ROOT, Settings, get_settings, link_params
from app.text.extract import segment_within
from app.text.language import detect_language
from app.views import flags
from app.web import api, docs, downloads, edit, pages, signin, upload
from app.web.auth import SignInRequired, sign_in_required
from app.web.csrf import CsrfCookieMiddleware, CsrfRefused, csrf_protect, csrf_refused
from app.web.errors import error_page, http_error, invalid_request, wants_page
from app.web.headers import HEADERS, SecurityHeadersMiddleware
from app.web.limits import BodyLimitMiddleware
from app.web.page_cache import PageCache
from app.web.templating import compile_templates
from app.web.throttle import SignInThrottle


def warm_up(linker: Linker, timeout: float) -> None:
    """Load what the first upload would otherwise wait for: the encoder's model (about 1 s),
    the helper process that upload workers are forked from (about 1 s) and the language
    identifier's model (about 1 s)."""
    try:
        linker.encoder.encode(["warm up"])
        segment_within("Warm up.", None, timeout)
        detect_language("The language of an article is identified before it is stored.")
    except Exception:  # the first upload then loads them itself, and reports what fails
        logging.getLogger(__name__).exception("warming up at start failed")


def create_app(settings: Settings | None = None, linker: Linker | None = None) -> FastAPI:
    """The app on the database of ``settings``; ``linker`` lets the start share one loaded
    encoder between seeding and serving."""
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    check_connection(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Pages are CPU work under one interpreter lock: a few threads serve more requests per
        # second than many that take the lock from each other.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        await anyio.to_thread.run_sync(compile_templates)
        await anyio.to_thread.run_sync(flags.prepare)
        if settings.warm_start:
            _app.state.warm_up = threading.Thread(
                target=warm_up, args=(_app.state.linker, settings.extract_timeout),
                name="warm-up", daemon=True,
            )
            _app.state.warm_up.start()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="provenance",
        summary="How every outlet worded each claim of an origin report.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.settings = settings
    app.state.warm_up = None
    app.state.engine = engine
    app.state.linker = linker or Linker(params=link_params(settings))
    app.state.signin_throttle = SignInThrottle()
    app.state.page_cache = (
        PageCache(settings.page_cache_mb * 2**20) if settings.page_cache_mb else None
    )
    # The last added runs first: security headers on every answer, then the size limit.
    app.add_middleware(CsrfCookieMiddleware, secure=settings.secure_cookies)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_exception_handler(SignInRequired, sign_in_required)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.mount("/static", StaticFiles(directory=str(ROOT / "static")), name="static")
    app.include_router(api.router)
    app.include_router(upload.router)
    app.include_router(edit.router)
    app.include_router(signin.router)
    app.include_router(docs.router)
    app.include_router(pages.router)
    app.include_router(downloads.router)

    @app.exception_handler(OverflowError)
    async def too_large_id(request: Request, exc: OverflowError):
        """An id beyond SQLite's integers names nothing: answered as for any unknown id."""
        if wants_page(request):
            return error_page(request, 404, {"what": "item"})
        return JSONResponse({"detail": "There is no such item."}, status_code=404)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        """A fault of ours: say so plainly; every write is one transaction, so none is half done."""
        logging.getLogger("app").exception("unhandled error on %s", request.url.path)
        message = "Something went wrong on our side; nothing was saved. Please try again."
        headers = {name.decode(): value.decode() for name, value in HEADERS.items()}
        if "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(
                f"<!doctype html><title>Error</title><main><h1>Error</h1><p>{message}</p></main>",
                status_code=500,
                headers=headers,
            )
        return JSONResponse({"detail": message}, status_code=500, headers=headers)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        check_connection(engine)
        return {"status": "ok"}

    return app
