"""The FastAPI application. Nothing runs at import time: `create_app(settings)` builds it."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.db import check_connection, make_engine
from app.settings import ROOT, Settings, get_settings
from app.web import api, pages


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    check_connection(engine)
    app = FastAPI(
        title="provenance",
        summary="How every outlet worded each claim of an origin report.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.mount("/static", StaticFiles(directory=str(ROOT / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        check_connection(engine)
        return {"status": "ok"}

    return app
