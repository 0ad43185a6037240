"""The story export format. Everything in it is addressed by what survives a move to another
instance: articles by content hash, sentences by their index in the article (with W3C text
selectors), claims by key. Database ids never appear.

Version 1. A reader refuses any other version rather than guess at it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from app.models import Selector
from app.text.extract import ExtractError, parse_address, parse_language

FORMAT = "provenance-story"
VERSION = 1


class SentenceEntry(BaseModel):
    index: int = Field(ge=0)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: Literal["content", "heading", "boilerplate"]
    text: str
    selector: list[Selector] = []


class ArticleEntry(BaseModel):
    content_hash: str = Field(min_length=64, max_length=64)
    source: str
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = Field(default=None, max_length=12)
    role: Literal["origin", "derivative"] = "derivative"
    format: str = Field(default="text", max_length=12)
    raw: str = Field(description="The original exactly as received.")
    text: str = Field(description="The text the sentence spans index.")
    sentences: list[SentenceEntry]

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        return _read(parse_address, value)

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str | None) -> str | None:
        return _read(parse_language, value)


class SentenceRef(BaseModel):
    """A sentence: the article's content hash and the sentence's index in it."""

    article: str
    sentence: int


class ClaimEntry(BaseModel):
    key: str = Field(min_length=1, max_length=40)
    position: int = 0
    text: str
    language: str | None = Field(default=None, max_length=12)
    source: Literal["origin", "dossier", "induced"] = "dossier"
    origin: SentenceRef | None = Field(
        default=None, description="The origin article sentence this claim is, if any."
    )

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str | None) -> str | None:
        return _read(parse_language, value)


def _read(parse, value: str | None) -> str | None:
    """A field read as an upload reads it, so an import cannot store what an upload refuses."""
    if value is None or not value.strip():
        return None
    try:
        return parse(value)
    except ExtractError as exc:
        raise ValueError(exc.message) from None


class DiscrepancyEntry(BaseModel):
    """What the outlet's sentence changes against the claim's origin wording. Derived from the
    texts: written for readers of the export, recomputed (not read) on import."""

    kind: Literal["number", "date", "entity", "modality", "quote"]
    origin: str
    outlet: str
    reason: str


class LinkEntry(SentenceRef):
    """A sentence carries a claim, with the score the model gave or an editor's confirmation."""

    claim: str
    score: float = Field(ge=0.0, le=1.0)
    decided_by: Literal["model", "editor"] = "model"
    discrepancies: list[DiscrepancyEntry] = []


class DecisionEntry(SentenceRef):
    claim: str
    verdict: Literal["confirm", "reject"]
    editor: str = Field(default="editor", max_length=120)
    created_at: dt.datetime


class StoryEntry(BaseModel):
    slug: str = Field(min_length=1, max_length=200)
    title: str
    origin_outlet: str | None = None
    origin_date: dt.date | None = None


class StoryDocument(BaseModel):
    format: Literal["provenance-story"] = FORMAT
    version: Literal[1] = VERSION
    exported_at: dt.datetime
    story: StoryEntry
    articles: list[ArticleEntry]
    claims: list[ClaimEntry]
    links: list[LinkEntry]
    decisions: list[DecisionEntry]
