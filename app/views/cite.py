"""The "cite this" box: a permanent address and a one-line summary a journalist can paste.

The summaries are plain text built from counts, so a clause such as how many outlets change a
figure is one more count passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel

from app.models import Article, Story
from app.views.common import counted


class Citation(BaseModel):
    permalink: str
    summary: str
    text: str


@dataclass(frozen=True)
class Origin:
    """Who first reported the story and when: the origin article when the story has one,
    otherwise what the story (its dossier) says."""

    outlet: str | None
    published: dt.date | None
    article: Article | None = None


def origin_of(story: Story, articles: Iterable[Article]) -> Origin:
    """``articles``: the story's articles, which the pages have read already."""
    article = next((a for a in articles if a.role == "origin"), None)
    if article is None:
        return Origin(outlet=story.origin_outlet, published=story.origin_date)
    return Origin(
        outlet=article.outlet or story.origin_outlet or article.label,
        published=article.published or story.origin_date,
        article=article,
    )


def short_date(value: dt.date) -> str:
    return f"{value.day} {value.strftime('%b %Y')}"


def origin_phrase(origin: Origin) -> str:
    """"Le Monde, 25 Nov 2024", or as much of it as is known."""
    parts = [origin.outlet or "the origin report"]
    if origin.published:
        parts.append(short_date(origin.published))
    return ", ".join(parts)


def claim_summary(
    key: str, origin: Origin, carried: int, outlets: int, changed: int | None = None
) -> str:
    """"Claim LM08 of Le Monde, 25 Nov 2024, carried by 4 of 5 outlets"; ``changed`` (how many
    of them change a figure) adds a clause when it is known."""
    summary = f"Claim {key} of {origin_phrase(origin)}, carried by {carried} of "
    summary += counted(outlets, "outlet")
    if changed is not None:
        summary += f"; {changed or 'none'} change{'s' if changed in (0, 1) else ''} the figure"
    return summary + "."


def article_summary(
    label: str,
    title: str | None,
    published: dt.date | None,
    origin: Origin,
    *,
    is_origin: bool,
    linked: int,
    content: int,
    carried: int,
    claims: int,
    shared: bool = False,
) -> str:
    """What the article is and how much of it comes from the origin report; ``shared``: the
    story has no origin report, its claims are what the outlets share."""
    head = label
    if title:
        head += f", \u201c{title}\u201d"
    if published:
        head += f", {short_date(published)}"
    if is_origin:
        return f"{head}: the origin report of this story ({counted(claims, 'claim')})."
    source = "carry claims shared across the coverage" if shared else (
        f"from {origin_phrase(origin)}"
    )
    return (
        f"{head}: {linked} of {counted(content, 'content sentence')} {source}; "
        f"carries {carried} of {counted(claims, 'claim')}."
    )


def citation(base: str, path: str, summary: str) -> Citation:
    """``base``: the site's absolute address as the request reached it."""
    permalink = base.rstrip("/") + path
    return Citation(permalink=permalink, summary=summary, text=f"{summary} {permalink}")
