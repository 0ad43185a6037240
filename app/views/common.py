"""Presentation helpers shared by the views: score labels, diff rendering, references."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pydantic import BaseModel, Field

from app.text.diff import similarity, word_diff

#: Background colours for claims in the reader; a claim keeps its colour by its position.
PALETTE_SIZE = 12

# Link scores read as confidences, 0.5 being the linking threshold.
_SCORE_LEVELS = ((0.85, "strong"), (0.65, "good"), (0.5, "fair"), (0.0, "weak"))


class Score(BaseModel):
    """A link score as a reader sees it: a percentage and a word, never a raw number."""

    value: float
    percent: int
    level: str
    label: str


def score_view(value: float) -> Score:
    level = next(name for floor, name in _SCORE_LEVELS if value >= floor)
    return Score(
        value=round(value, 4), percent=round(value * 100), level=level, label=f"{level} link"
    )


def kept_label(percent: int) -> str:
    """How much of the origin's wording an outlet kept, in words."""
    if percent >= 75:
        return "close to the origin wording"
    if percent >= 45:
        return "partly reworded"
    return "largely reworded"


class DiffPart(BaseModel):
    """One step of the word diff from the origin wording (`a`) to an outlet's wording (`b`)."""

    op: str
    a: str
    b: str


@lru_cache(maxsize=8192)
def _diff(origin: str, other: str) -> tuple[tuple[DiffPart, ...], float]:
    ops = tuple(DiffPart(op=o.op, a=o.a, b=o.b) for o in word_diff(origin, other))
    return ops, similarity(origin, other)


def compare(origin: str, other: str) -> tuple[list[DiffPart], int]:
    """The word diff and the share of origin words kept (percent); cached, texts rarely change."""
    ops, kept = _diff(origin, other)
    return list(ops), round(kept * 100)


def same_language(a: str | None, b: str | None) -> bool:
    """Whether a word diff between two texts means anything; unknown languages are given the
    benefit of the doubt."""
    return not (a and b and a != b)


_TRAILING_SPACE = re.compile(r"\s*\Z")


def _split_space(text: str) -> tuple[str, str]:
    """Words and the whitespace after them, so a strike-through stops at the last word."""
    cut = _TRAILING_SPACE.search(text).start()
    return text[:cut], text[cut:]


def diff_segments(ops: list[DiffPart]) -> list[tuple[str, str]]:
    """(kind, text) runs to render: kept, added, dropped, or a change from/to, and spaces."""
    out: list[tuple[str, str]] = []
    for op in ops:
        if op.op == "equal":
            out.append(("kept", op.b))
        elif op.op == "insert":
            words, space = _split_space(op.b)
            out += [("added", words), ("space", space)]
        elif op.op == "delete":
            words, space = _split_space(op.a)
            out += [("dropped", words), ("space", space)]
        else:
            old, _ = _split_space(op.a)
            new, space = _split_space(op.b)
            out += [("from", old), ("space", " "), ("to", new), ("space", space)]
    return [(kind, text) for kind, text in out if text]


class StoryRef(BaseModel):
    id: int
    title: str
    origin_outlet: str | None
    url: str


class ClaimRef(BaseModel):
    id: int
    key: str
    text: str
    colour: int = Field(description="Palette slot of the claim's highlight colour.")
    url: str


class CloseCall(ClaimRef):
    """A claim the linker found close to a sentence but left unlinked, for an editor to
    settle; its score reads below the 50% that links."""

    score: Score


def close_call(claim, score: float) -> CloseCall:
    return CloseCall(**claim_ref(claim).model_dump(), score=score_view(score))


class ArticleRef(BaseModel):
    id: int
    label: str
    title: str | None
    role: str
    url: str


def claim_ref(claim) -> ClaimRef:
    return ClaimRef(
        id=claim.id, key=claim.key, text=claim.text, colour=claim.position % PALETTE_SIZE,
        url=f"/claims/{claim.id}",
    )


def article_ref(article) -> ArticleRef:
    return ArticleRef(
        id=article.id, label=article.label, title=article.title, role=article.role,
        url=f"/articles/{article.id}",
    )


def story_ref(story) -> StoryRef:
    return StoryRef(
        id=story.id, title=story.title, origin_outlet=story.origin_outlet,
        url=f"/stories/{story.id}",
    )


def counted(n: int, word: str, plural: str | None = None) -> str:
    """"1 article", "5 articles", "2 stories": a count whose noun agrees with it, for the
    templates (the ``counted`` filter) and the citation summaries alike."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def outlet_identity(article) -> str | int:
    """Who an article stands for when outlets are counted: its outlet's name, read without case
    or spacing ("Le Monde", "le  monde"), so that two articles of one outlet are one outlet. An
    article whose outlet nobody has named is an outlet of its own (its id): its label comes from
    a file name or address, which unrelated articles may share."""
    name = " ".join((article.outlet or "").casefold().split())
    return name or article.id


def outlet_count(articles: Iterable) -> int:
    """How many outlets ``articles`` come from (see ``outlet_identity``)."""
    return len({outlet_identity(a) for a in articles})


def from_coverage(claim_sources: Iterable[str]) -> bool:
    """Whether a story's claims are induced from its coverage: with neither an origin report
    nor a dossier among them, nothing in the story may be called "the origin"."""
    return not any(source in ("origin", "dossier") for source in claim_sources)


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
