"""Jinja2 templates: autoescaped `.html` files; a page and its htmx fragment are one template."""

from __future__ import annotations

from jinja2_fragments.fastapi import Jinja2Blocks

from app.settings import ROOT

templates = Jinja2Blocks(directory=str(ROOT / "templates"))
