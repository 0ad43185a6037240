"""Jinja2 templates: autoescaped `.html` files; a page and its htmx fragment are one template.

Every template sees the signed-in `editor` (or None) and `csrf_token()`, the value each form
repeats as its first field.
"""

from __future__ import annotations

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks

from app.settings import ROOT
from app.text.extract import language_name
from app.views.common import counted


def _request_context(request: Request) -> dict:
    from app.web.auth import current_editor
    from app.web.csrf import form_token

    return {"editor": current_editor(request), "csrf_token": lambda: form_token(request)}


def web_address(value: str | None) -> str | None:
    """The address if it is an http(s) URL, else None: a stored `javascript:` URL never
    becomes a link."""
    value = (value or "").strip()
    return value if value.lower().startswith(("https://", "http://")) else None


templates = Jinja2Blocks(
    directory=str(ROOT / "templates"), context_processors=[_request_context]
)
templates.env.filters["web_address"] = web_address
templates.env.filters["counted"] = counted
templates.env.filters["language_name"] = language_name


def compile_templates() -> None:
    """Compile every template now, at start-up, so that the first readers of each page do not
    wait for it (some 120 ms in all)."""
    for name in templates.env.list_templates(extensions=["html"]):
        templates.env.get_template(name)
