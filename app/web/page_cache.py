"""Whole pages as a reader who is not signed in gets them, kept per revision of their story.

A claim or article page depends on nothing but its story (texts, claims, links, decisions and
articles, every write to which gives the story a new revision) and the address the site is
reached at. The same page is asked for again and again while a story is in the news, so each
server process keeps the latest renderings, within a memory budget. A signed-in editor's page
carries their own forms and is always rendered afresh; so is an htmx fragment.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from app.web.auth import current_editor
from app.web.deps import is_htmx, site_base


class PageCache:
    """Rendered pages (body and headers) by key, the least recently used dropped beyond
    ``max_bytes`` of bodies."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple, tuple[bytes, dict[str, str]]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, dict[str, str]] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, body: bytes, headers: dict[str, str] | None = None) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._size -= len(old[0]) if old is not None else 0
            self._pages[key] = (body, headers or {})
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (dropped, _headers) = self._pages.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._pages)


def page_key(request: Request, revision: int | None) -> tuple | None:
    """What the page depends on, or None when it must be rendered for this request alone."""
    if revision is None or is_htmx(request) or current_editor(request) is not None:
        return None
    return (request.url.path, request.url.query, site_base(request), revision)


def cached_page(
    request: Request, revision: int | None, render: Callable[[], Response]
) -> Response:
    """The kept rendering of this page for the story's ``revision``, or ``render()``'s, kept
    (with its Vary header) when it is a whole page that succeeded."""
    cache: PageCache | None = getattr(request.app.state, "page_cache", None)
    key = page_key(request, revision) if cache is not None else None
    if key is not None and (page := cache.get(key)) is not None:
        body, headers = page
        return HTMLResponse(body, headers=headers)
    response = render()
    if key is not None and response.status_code == 200:
        vary = response.headers.get("vary")
        cache.put(key, bytes(response.body), {"Vary": vary} if vary else None)
    return response
