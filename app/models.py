"""Tables and the shapes the API returns.

Articles keep their original text exactly as received; sentences are spans into it, and links,
claims induced from coverage and cached embeddings are derived data that can be rebuilt.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Literal

from sqlalchemy import BigInteger, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

#: The source of an article pasted into the upload form rather than sent as a file or URL.
PASTED = "pasted text"

Role = Literal["origin", "derivative"]
SentenceKind = Literal["content", "heading", "boilerplate"]
ClaimSource = Literal["origin", "dossier", "induced"]
Decider = Literal["model", "editor"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_revision() -> int:
    """A fresh random revision: never equal to one a rolled-back transaction handed out."""
    return secrets.randbits(62)


class Story(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=200)
    title: str
    origin_outlet: str | None = None
    origin_date: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime | None = Field(
        default_factory=utcnow, index=True,
        description="When the story's claims or articles last changed: the story switcher "
        "lists the latest.",
    )
    revision: int = Field(
        default_factory=new_revision,
        sa_column_kwargs={"server_default": "0"},
        sa_type=BigInteger,
        description="Changes whenever the story's claims or articles change, so each process "
        "reloads only those stories into its candidate index.",
    )


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id", index=True)
    source: str = Field(description="Seed file name, upload file name or URL; display only.")
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = Field(default=None, max_length=12)
    role: str = Field(default="derivative", max_length=12)
    format: str = Field(default="text", max_length=12)
    raw: str = Field(description="The original exactly as received (HTML stays HTML).")
    text: str = Field(description="The article text that sentence spans index.")
    content_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)

    @property
    def label(self) -> str:
        """A stable name for an outlet nobody has named yet: its source, without extension."""
        if self.outlet:
            return self.outlet
        if self.source == PASTED:  # every pasted article has this source: tell them apart
            return f"Unnamed outlet ({PASTED}, article {self.id})"
        stem = self.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return f"Unnamed outlet ({stem})"


class Sentence(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("article_id", "index"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    index: int
    start: int
    end: int
    kind: str = Field(max_length=12)
    text: str


class Claim(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("story_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=40)
    position: int = 0
    text: str
    language: str | None = Field(default=None, max_length=12)
    source: str = Field(default="dossier", max_length=12)
    sentence_id: int | None = Field(
        default=None, foreign_key="sentence.id", ondelete="SET NULL",
        description="The origin article sentence this claim is, when it comes from one.",
    )


class Link(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("sentence_id", "claim_id"),)

    id: int | None = Field(default=None, primary_key=True)
    sentence_id: int = Field(foreign_key="sentence.id", index=True, ondelete="CASCADE")
    claim_id: int = Field(foreign_key="claim.id", index=True, ondelete="CASCADE")
    score: float
    decided_by: str = Field(default="model", max_length=12)
    kept: float | None = Field(
        default=None,
        description="Share of the claim's words the sentence keeps (derived, see "
        "app.text.diff.kept_share); None when they are in different languages.",
    )
    created_at: dt.datetime = Field(default_factory=utcnow)


class Suggestion(SQLModel, table=True):
    """A claim the linker found close to a sentence but left unlinked: shown to editors as a
    close call to confirm. Derived like links, and rebuilt with them."""

    __table_args__ = (UniqueConstraint("sentence_id", "claim_id"),)

    id: int | None = Field(default=None, primary_key=True)
    sentence_id: int = Field(foreign_key="sentence.id", index=True, ondelete="CASCADE")
    claim_id: int = Field(foreign_key="claim.id", index=True, ondelete="CASCADE")
    score: float = Field(description="The linker's confidence, below the 0.5 that links.")


class Decision(SQLModel, table=True):
    """An editor's verdict on one sentence and one claim key; it survives every re-link.

    Keyed by claim key, not claim id, because re-keying a story (an origin upload replacing a
    dossier) keeps the keys of the claims that match.
    """

    __table_args__ = (UniqueConstraint("sentence_id", "claim_key"),)

    id: int | None = Field(default=None, primary_key=True)
    sentence_id: int = Field(foreign_key="sentence.id", index=True, ondelete="CASCADE")
    claim_key: str = Field(max_length=40)
    verdict: str = Field(max_length=12, description="confirm or reject")
    editor: str = Field(default="editor", max_length=120)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Embedding(SQLModel, table=True):
    """Cached sentence vectors, keyed by encoder and text hash, so a re-link re-encodes nothing."""

    model: str = Field(primary_key=True, max_length=80)
    text_hash: str = Field(primary_key=True, max_length=64)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Editor(SQLModel, table=True):
    """Someone allowed to write: upload, correct, decide and delete. Reading needs no account."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=80)
    password_hash: str | None = Field(
        default=None, max_length=200, description="Argon2id hash; none for link-only editors."
    )
    created_at: dt.datetime = Field(default_factory=utcnow)


class Credential(SQLModel, table=True):
    """A secret that stands for an editor: a browser session, an API token or a one-time
    sign-in link. Only the SHA-256 of the secret is stored, so a copy of the database signs
    nobody in."""

    id: int | None = Field(default=None, primary_key=True)
    editor_id: int = Field(foreign_key="editor.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=12, description="session, token or link")
    secret_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime | None = Field(default=None, description="None: until revoked.")


class AuditEntry(SQLModel, table=True):
    """One write: who, when, what. Kept by name and id without foreign keys, so the record of a
    deleted article or a removed editor stays."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    editor: str = Field(max_length=80)
    action: str = Field(max_length=20)
    article_id: int | None = Field(default=None, index=True)
    summary: str


# --- What the API returns ------------------------------------------------------------------


class LinkPublic(SQLModel):
    claim_id: int
    claim_key: str
    score: float
    decided_by: str


class TextQuoteSelector(SQLModel):
    """The sentence by its words and ~32 characters either side (W3C Web Annotation)."""

    type: Literal["TextQuoteSelector"] = "TextQuoteSelector"
    exact: str
    prefix: str
    suffix: str


class TextPositionSelector(SQLModel):
    type: Literal["TextPositionSelector"] = "TextPositionSelector"
    start: int
    end: int


Selector = TextQuoteSelector | TextPositionSelector


class SentencePublic(SQLModel):
    id: int
    index: int
    start: int
    end: int
    text: str
    kind: str
    selector: list[Selector] = []
    links: list[LinkPublic] = []


class ArticleSummary(SQLModel):
    id: int
    story_id: int
    source: str
    title: str | None
    outlet: str | None
    label: str
    language: str | None
    role: str
    published: dt.date | None
    sentence_count: int


class ArticlePublic(ArticleSummary):
    byline: str | None
    url: str | None
    format: str
    content_hash: str
    text: str
    sentences: list[SentencePublic]


class LinkedSentence(SQLModel):
    sentence_id: int
    article_id: int
    article_label: str
    index: int
    start: int
    end: int
    text: str
    score: float
    decided_by: str


class ClaimSummary(SQLModel):
    id: int
    story_id: int
    key: str
    text: str
    language: str | None
    source: str
    position: int
    sentence_count: int
    article_count: int


class ClaimPublic(ClaimSummary):
    sentences: list[LinkedSentence]


class StoryPublic(SQLModel):
    id: int
    slug: str
    title: str
    origin_outlet: str | None
    origin_date: dt.date | None
    article_count: int
    claim_count: int
