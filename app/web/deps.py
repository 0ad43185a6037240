"""Dependencies shared by the routes: the settings, a read session, and whether htmx asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy import Engine
from sqlmodel import Session

from app.settings import Settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def site_base(request: Request) -> str:
    """The site's absolute address as this request reached it, for permalinks."""
    return str(request.base_url).rstrip("/")


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def is_htmx(request: Request) -> bool:
    """True for requests htmx makes itself, which get a fragment instead of the whole page."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


SessionDep = Annotated[Session, Depends(get_session)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
HtmxDep = Annotated[bool, Depends(is_htmx)]

#: SQLite's largest integer; a larger id cannot name a row, and would not fit a query.
MAX_ID = 2**63 - 1
#: An id in a path or query: outside 1..MAX_ID it is refused with 422 before any query runs.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
