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
    """Rendered pages by key, the least recently used dropped beyond ``max_bytes``."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._size -= len(old) if old is not None else 0
            self._pages[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._pages)


def page_key(request: Request, revision: int | None) -> tuple | None:
    """What the page depends on, or None when it must be rendered for this request alone."""
    if revision is None or is_htmx(request) or current_editor(request) is not None:
        return None
    return (request.url.path, request.url.query, site_base(request), revision)


def cached_page(
    request: Request, revision: int | None, render: Callable[[], Response], headers: dict
) -> Response:
    """The kept rendering of this page for the story's ``revision``, or ``render()``'s, kept
    when it is a whole page that succeeded."""
    cache: PageCache | None = getattr(request.app.state, "page_cache", None)
    key = page_key(request, revision) if cache is not None else None
    if key is not None and (body := cache.get(key)) is not None:
        return HTMLResponse(body, headers=headers)
    response = render()
    if key is not None and response.status_code == 200:
        cache.put(key, bytes(response.body))
    return response
