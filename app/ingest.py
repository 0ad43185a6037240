"""Store one article: segment it and write the article and its sentences in the caller's
transaction, so a failure at any step leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import insert
from sqlmodel import Session, select

from app.models import Article, Sentence, Story
from app.story_index import story_changed
from app.text.segment import Segment, segment


class IngestError(ValueError):
    """Input that cannot become an article; the message is meant for the person who sent it."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class ArticleInput:
    raw: str
    text: str
    source: str
    format: str = "text"
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    role: str = "derivative"


_SPACE = re.compile(r"\s+")
#: A letter or digit of any script: a line of punctuation or dashes is no sentence.
_WORD = re.compile(r"[^\W_]")


def content_hash(text: str) -> str:
    """Hash of the text with white space folded, so a re-saved copy is the same article."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().encode("utf-8")).hexdigest()


def find_duplicate(session: Session, text: str) -> Article | None:
    return session.exec(select(Article).where(Article.content_hash == content_hash(text))).first()


def check_article(item: ArticleInput, segments: list[Segment] | None = None) -> list[Segment]:
    """The text's segmentation, or IngestError when no sentence outside the page furniture
    holds a word; writes nothing."""
    if not item.text.strip():
        raise IngestError("The article has no text.")
    if segments is None:
        segments = segment(item.text, item.language)
    if not any(s.kind != "boilerplate" and _WORD.search(item.text[s.start : s.end])
               for s in segments):
        raise IngestError(
            "No sentence could be found in the text: it needs at least one sentence with words."
        )
    return segments


def store_article(
    session: Session, story: Story, item: ArticleInput, segments: list[Segment] | None = None
) -> tuple[Article, bool]:
    """Add the article and its sentences; return (article, created). The same content twice
    returns the article already stored. ``segments``: the text's segmentation, when the caller
    has already made it."""
    existing = find_duplicate(session, item.text)
    if existing is not None:
        return existing, False
    segments = check_article(item, segments)
    article = Article(
        story_id=story.id,
        source=item.source,
        outlet=item.outlet,
        title=item.title,
        byline=item.byline,
        url=item.url,
        published=item.published,
        language=item.language,
        role=item.role,
        format=item.format,
        raw=item.raw,
        text=item.text,
        content_hash=content_hash(item.text),
    )
    session.add(article)
    session.flush()
    session.exec(
        insert(Sentence),
        params=[
            {
                "article_id": article.id,
                "index": i,
                "start": s.start,
                "end": s.end,
                "kind": s.kind,
                "text": item.text[s.start : s.end],
            }
            for i, s in enumerate(segments)
        ],
    )
    story_changed(session, story.id)
    return article, True
