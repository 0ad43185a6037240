"""The article reader: the text as published, each sentence marked by the claim it carries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.models import Article, Claim, Link, Selector, Sentence, Story, Suggestion
from app.text.selectors import selectors
from app.views import reads
from app.views.cite import Citation, article_summary, citation, origin_of
from app.views.claims import Comparison, comparisons
from app.views.common import (
    ArticleRef,
    ClaimRef,
    CloseCall,
    Score,
    StoryRef,
    article_ref,
    claim_ref,
    close_call,
    from_coverage,
    score_view,
    story_ref,
)
from app.views.flags import AttributionView, FlagView, kind_counts, story_flags


class ClaimTag(ClaimRef):
    score: Score
    decided_by: str


class SentenceMark(BaseModel):
    """A sentence and what the reader marks it as: a claim, the outlet's own, or page furniture."""

    id: int
    index: int
    start: int
    end: int
    kind: str
    state: str = Field(description="claim | own | heading | boilerplate")
    text: str
    claims: list[ClaimTag]
    url: str
    selector: list[Selector] = Field(
        default=[], description="Finds the sentence again after a new segmentation."
    )
    flags: list[FlagView] = []
    attribution: AttributionView | None = None
    close_calls: list[CloseCall] = Field(
        default=[], description="Claims the linker found close but left unlinked, best first."
    )

    @property
    def flagged(self) -> bool:
        return bool(self.flags) or bool(self.attribution and self.attribution.unattributed)


class Piece(BaseModel):
    text: str
    sentence: SentenceMark | None = None
    first: bool = True


class Paragraph(BaseModel):
    heading: bool
    pieces: list[Piece]


class ArticleMeta(BaseModel):
    id: int
    label: str
    title: str | None
    byline: str | None
    published: dt.date | None
    language: str | None
    url: str | None
    source: str
    role: str
    outlet: str | None = None
    story_id: int | None = None


class Panel(BaseModel):
    """The selected sentence, with every outlet's wording of the claims it carries."""

    sentence: SentenceMark
    comparisons: list[Comparison]
    close_url: str


class ArticlePage(BaseModel):
    story: StoryRef
    article: ArticleMeta
    sentences: list[SentenceMark]
    paragraphs: list[Paragraph] = Field(exclude=True)
    content_count: int
    linked_count: int
    claims_carried: list[ClaimRef]
    claim_total: int
    from_coverage: bool = Field(
        description="The story's claims are induced from what the outlets share: it has no "
        "origin report and no dossier."
    )
    claim_choices: list[dict[str, str]] = Field(
        default=[], exclude=True, description="Every claim of the story, for the decision form."
    )
    panel: Panel | None
    cite: Citation
    flag_counts: dict[str, int] = {}
    unattributed_count: int = 0


def article_page(
    session: Session, article_id: int, selected: int | None, base: str = ""
) -> ArticlePage | None:
    """``base``: the site's absolute address, for the permalink."""
    article = session.get(Article, article_id)
    if article is None:
        return None
    story = session.get(Story, article.story_id)
    sentences = session.exec(
        select(Sentence).where(Sentence.article_id == article_id).order_by(Sentence.index)
    ).all()
    story_articles = reads.story_articles(session, story.id)
    tags: dict[int, list[ClaimTag]] = defaultdict(list)
    claims: dict[int, Claim] = {}
    for link, claim in session.exec(
        select(Link, Claim)
        .join(Claim, Claim.id == Link.claim_id)
        .join(Sentence, Sentence.id == Link.sentence_id)
        .where(Sentence.article_id == article_id)
        .order_by(Link.score.desc())
    ).all():
        claims[claim.id] = claim
        tags[link.sentence_id].append(
            ClaimTag(
                **claim_ref(claim).model_dump(), score=score_view(link.score),
                decided_by=link.decided_by,
            )
        )
    flags = story_flags(session, story.id, story_articles, article_id=article_id)
    marks = [_mark(s, tags.get(s.id, []), article) for s in sentences]
    calls = close_calls(session, Sentence.article_id == article_id)
    for mark in marks:
        mark.close_calls = calls.get(mark.id, [])
    flagged = flags.by_sentence({m.id for m in marks})
    for mark in marks:
        mark.flags = flagged.get(mark.id, [])
        mark.attribution = flags.attributions.get(mark.id)
    content = [m for m in marks if m.kind == "content"]
    chosen = next((m for m in marks if m.id == selected), None)
    panel = None
    if chosen is not None:
        chosen_claims = [claims[t.id] for t in chosen.claims]
        found = comparisons(
            session, chosen_claims, story_articles, flags
        ) if chosen_claims else []
        for comparison in found:  # the reader's own article first, next to its sentence
            comparison.outlets.sort(key=lambda o: o.article.id != article_id)
        panel = Panel(sentence=chosen, comparisons=found, close_url=f"/articles/{article_id}")
    ordered = sorted(claims.values(), key=lambda c: (c.position, c.id))
    choices = session.exec(
        select(Claim.key, Claim.text, Claim.source)
        .where(Claim.story_id == story.id)
        .order_by(Claim.position, Claim.id)
    ).all()
    claim_total = len(choices)
    shared = from_coverage(source for _key, _text, source in choices)
    linked_count = sum(1 for m in content if m.claims)
    summary = article_summary(
        article.label, article.title, article.published, origin_of(story, story_articles),
        is_origin=article.role == "origin", linked=linked_count, content=len(content),
        carried=len(ordered), claims=claim_total, shared=shared,
    )
    return ArticlePage(
        story=story_ref(story),
        article=ArticleMeta(
            id=article.id, label=article.label, title=article.title, byline=article.byline,
            outlet=article.outlet, story_id=article.story_id,
            published=article.published, language=article.language, url=article.url,
            source=article.source, role=article.role,
        ),
        sentences=marks,
        paragraphs=paragraphs(article.text, marks),
        content_count=len(content),
        linked_count=linked_count,
        claims_carried=[claim_ref(c) for c in ordered],
        claim_total=claim_total,
        from_coverage=shared,
        claim_choices=[{"key": key, "text": text} for key, text, _source in choices],
        panel=panel,
        cite=citation(base, f"/articles/{article_id}", summary),
        flag_counts=kind_counts(flagged.values()),
        unattributed_count=sum(1 for m in marks if m.attribution and m.attribution.unattributed),
    )


def close_calls(session: Session, where) -> dict[int, list[CloseCall]]:
    """The close calls of the sentences ``where`` selects, per sentence id, best first."""
    out: dict[int, list[CloseCall]] = defaultdict(list)
    for suggestion, claim in session.exec(
        select(Suggestion, Claim)
        .join(Claim, Claim.id == Suggestion.claim_id)
        .join(Sentence, Sentence.id == Suggestion.sentence_id)
        .where(where)
        .order_by(Suggestion.score.desc(), Claim.position)
    ).all():
        out[suggestion.sentence_id].append(close_call(claim, suggestion.score))
    return out


def _mark(sentence: Sentence, claims: list[ClaimTag], article: Article) -> SentenceMark:
    if sentence.kind == "boilerplate":
        state = "boilerplate"
    elif claims:
        state = "claim"
    elif sentence.kind == "heading":
        state = "heading"
    else:
        state = "own"
    return SentenceMark(
        id=sentence.id, index=sentence.index, start=sentence.start, end=sentence.end,
        kind=sentence.kind, state=state, text=sentence.text, claims=claims,
        url=f"/articles/{article.id}?sentence={sentence.id}",
        selector=selectors(article.text, sentence.start, sentence.end),
    )


def paragraphs(text: str, marks: list[SentenceMark]) -> list[Paragraph]:
    """Cut the text into paragraphs at line breaks, each a run of sentences and the text between.

    Every character of the text lands in exactly one piece, so nothing the outlet wrote is lost;
    a sentence that spans a line break is split, and only its first piece carries its anchor.
    """
    pieces: list[tuple[int, int, SentenceMark | None]] = []
    cursor = 0
    for mark in sorted(marks, key=lambda m: m.start):
        if mark.start < cursor:
            continue
        if mark.start > cursor:
            pieces.append((cursor, mark.start, None))
        pieces.append((mark.start, mark.end, mark))
        cursor = mark.end
    if cursor < len(text):
        pieces.append((cursor, len(text), None))

    result: list[list[Piece]] = [[]]
    seen: set[int] = set()
    for start, end, mark in pieces:
        lines = text[start:end].split("\n")
        for number, line in enumerate(lines):
            if number:
                result.append([])
            if line:
                first = mark is not None and mark.id not in seen
                if mark is not None:
                    seen.add(mark.id)
                result[-1].append(Piece(text=line, sentence=mark, first=first))
    return [
        Paragraph(heading=_is_heading(p), pieces=p)
        for p in result
        if any(piece.text.strip() for piece in p)
    ]


def _is_heading(pieces: list[Piece]) -> bool:
    spoken = [p for p in pieces if p.text.strip()]
    return all(p.sentence is not None and p.sentence.kind == "heading" for p in spoken)


class SentencePage(BaseModel):
    """One sentence with its addresses: its id, its words (selectors), and its place."""

    id: int
    article: ArticleRef
    index: int
    start: int
    end: int
    kind: str
    text: str
    selector: list[Selector]
    claims: list[ClaimTag]
    close_calls: list[CloseCall] = Field(
        default=[], description="Claims the linker found close but left unlinked, best first."
    )
    url: str


def sentence_page(session: Session, sentence_id: int) -> SentencePage | None:
    sentence = session.get(Sentence, sentence_id)
    if sentence is None:
        return None
    article = session.get(Article, sentence.article_id)
    rows = session.exec(
        select(Link, Claim)
        .join(Claim, Claim.id == Link.claim_id)
        .where(Link.sentence_id == sentence_id)
        .order_by(Link.score.desc())
    ).all()
    return SentencePage(
        id=sentence.id, article=article_ref(article), index=sentence.index,
        start=sentence.start, end=sentence.end, kind=sentence.kind, text=sentence.text,
        selector=selectors(article.text, sentence.start, sentence.end),
        claims=[
            ClaimTag(**claim_ref(c).model_dump(), score=score_view(link.score),
                     decided_by=link.decided_by)
            for link, c in rows
        ],
        close_calls=close_calls(session, Sentence.id == sentence_id).get(sentence.id, []),
        url=f"/articles/{article.id}?sentence={sentence.id}#s-{sentence.id}",
    )
