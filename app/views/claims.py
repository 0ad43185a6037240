"""Claim comparison: the origin wording of a claim, then every outlet's wording with a word diff."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.linking.lexical import anchors
from app.models import Article, Claim, Sentence, Story, Suggestion
from app.text.numbers import figures
from app.text.quotes import quoted
from app.views import reads
from app.views.cite import Citation, citation, claim_summary, origin_of
from app.views.common import (
    ArticleRef,
    ClaimRef,
    DiffPart,
    Score,
    StoryRef,
    article_ref,
    claim_ref,
    compare,
    diff_segments,
    kept_label,
    outlet_count,
    outlet_identity,
    same_language,
    score_view,
    story_ref,
)
from app.views.flags import (
    AttributionView,
    ChainLink,
    FlagView,
    QuoteFamily,
    StoryFlags,
    story_flags,
)
from app.views.jsonld import claim_jsonld


class Wording(BaseModel):
    """One outlet sentence that carries the claim, compared with the claim's wording."""

    sentence_id: int
    index: int
    text: str
    score: Score
    decided_by: str
    kept_percent: int | None
    kept_label: str
    diff: list[DiffPart]
    url: str
    language: str | None = None
    same_language: bool = True
    anchors: list[Anchor] = []
    quotes: list[str] = []
    flags: list[FlagView] = []
    attribution: AttributionView | None = None
    repeats: list[int] = Field(
        default=[],
        description="Further sentences of the same article in the very same words (a headline "
        "printed again above the text), shown once.",
    )

    @property
    def segments(self) -> list[tuple[str, str]]:
        return diff_segments(self.diff)


class Anchor(BaseModel):
    """A number or name of the claim's wording, and whether a translated wording keeps it."""

    text: str
    kept: bool


def _anchors(origin: str, other: str) -> list[Anchor]:
    ours = anchors(other)
    return [Anchor(text=a, kept=a in ours) for a in sorted(anchors(origin))]


class OutletWordings(BaseModel):
    article: ArticleRef
    published: str | None
    wordings: list[Wording]


class Comparison(BaseModel):
    """A claim, the articles that word it, and the articles that leave it out."""

    claim: ClaimRef
    source: str
    origin_url: str | None
    outlets: list[OutletWordings] = Field(description="The articles wording the claim.")
    missing: list[ArticleRef] = Field(description="The articles leaving the claim out.")
    outlet_count: int = Field(
        description="Outlets carrying the claim, the origin report aside: an outlet with "
        "several articles counts once."
    )
    missing_outlet_count: int = Field(
        description="Outlets none of whose articles carries the claim."
    )
    chain: list[ChainLink] = []
    quote_families: list[QuoteFamily] = []


#: Close calls a claim page lists at most, best first.
MAX_CLOSE_CALLS = 30


class CloseWording(BaseModel):
    """A sentence the linker found close to the claim but left unlinked: a wording an editor
    may confirm."""

    sentence_id: int
    text: str
    article: ArticleRef
    score: Score
    url: str


class ClaimPage(BaseModel):
    story: StoryRef
    comparison: Comparison
    close_calls: list[CloseWording] = Field(
        default=[], description="Sentences the linker found close but left unlinked, best first."
    )
    previous: ClaimRef | None
    next: ClaimRef | None
    article_count: int
    outlet_count: int = Field(
        description="Outlets of the articles other than the origin report: an outlet with "
        "several articles counts once."
    )
    cite: Citation
    jsonld: dict = Field(default={}, exclude=True)


def comparisons(
    session: Session, claims: list[Claim], articles: list[Article],
    flags: StoryFlags | None = None,
) -> list[Comparison]:
    """Compare each claim with its wordings, with one query for all the claims' links."""
    rows = reads.links(session, claim_ids=[c.id for c in claims])
    by_claim: dict[int, list[reads.LinkRow]] = defaultdict(list)
    for row in rows:
        by_claim[row.claim_id].append(row)
    flags = flags or StoryFlags()
    return [claim_comparison(claim, by_claim[claim.id], articles, flags) for claim in claims]


def claim_comparison(
    claim: Claim, rows: list[reads.LinkRow], articles: list[Article], flags: StoryFlags
) -> Comparison:
    """Word diffs where the wording shares the claim's language; across languages a diff means
    nothing, so the claim's numbers and names are lined up instead."""
    by_article: dict[int, list[Wording]] = defaultdict(list)
    printed: dict[tuple[int, str], Wording] = {}  # an article's wordings by their words
    language_of = {a.id: a.language for a in articles}
    origin_article = None
    for row in rows:
        if row.sentence_id == claim.sentence_id:
            origin_article = row.article_id
            continue
        same_words = (row.article_id, " ".join(row.text.split()))
        if same_words in printed:
            printed[same_words].repeats.append(row.sentence_id)
            continue
        language = language_of.get(row.article_id)
        same = same_language(claim.language, language)
        diff, kept = compare(claim.text, row.text) if same else ([], None)
        wording = Wording(
            sentence_id=row.sentence_id,
            index=row.index,
            text=row.text,
            score=score_view(row.score),
            decided_by=row.decided_by,
            kept_percent=kept,
            kept_label=kept_label(kept) if same else "another language",
            diff=diff,
            url=f"/articles/{row.article_id}?sentence={row.sentence_id}#s-{row.sentence_id}",
            language=language,
            same_language=same,
            anchors=[] if same else _anchors(claim.text, row.text),
            quotes=[] if same else quoted(row.text),
            flags=flags.by_link.get((row.sentence_id, claim.id), []),
            attribution=flags.attributions.get(row.sentence_id),
        )
        by_article[row.article_id].append(wording)
        printed[same_words] = wording
    outlets, missing, carrying, leaving = [], [], set(), set()
    for article in articles:
        if article.role != "origin":
            if article.id in by_article:
                carrying.add(outlet_identity(article))
            elif article.id != origin_article:
                leaving.add(outlet_identity(article))
        if article.id in by_article:
            outlets.append(
                OutletWordings(
                    article=article_ref(article),
                    published=article.published.isoformat() if article.published else None,
                    wordings=by_article[article.id],
                )
            )
        elif article.id != origin_article:
            missing.append(article_ref(article))
    origin_url = None
    if claim.sentence_id is not None and origin_article is not None:
        origin_url = f"/articles/{origin_article}#s-{claim.sentence_id}"
    return Comparison(
        claim=claim_ref(claim), source=claim.source, origin_url=origin_url,
        outlets=outlets, missing=missing, outlet_count=len(carrying),
        missing_outlet_count=len(leaving - carrying), chain=flags.chain(claim),
        quote_families=flags.families_for(claim.key),
    )


def changed_figure(
    claim: Claim, comparison: Comparison, articles: dict[int, Article]
) -> int | None:
    """How many outlets change, drop or add a figure (in any of their articles); None when the
    claim states none. ``articles``: the story's, by id."""
    if not figures(claim.text, claim.language):
        return None
    return outlet_count(
        articles[outlet.article.id]
        for outlet in comparison.outlets
        if outlet.article.role != "origin"
        and any(f.kind == "number" for w in outlet.wordings for f in w.flags)
    )


def claim_page(session: Session, claim_id: int, base: str = "") -> ClaimPage | None:
    """``base``: the site's absolute address, for the permalink."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        return None
    story = session.get(Story, claim.story_id)
    articles = reads.story_articles(session, story.id)
    siblings = reads.story_claims(session, story.id)
    place = next(i for i, c in enumerate(siblings) if c.id == claim.id)
    flags = story_flags(session, story.id, articles, claim_id=claim.id)
    comparison = comparisons(session, [claim], articles, flags)[0]
    outlets = outlet_count(a for a in articles if a.role != "origin")
    origin = origin_of(story, articles)
    appearing = {a.id: a for a in articles}
    summary = claim_summary(
        claim.key, origin, comparison.outlet_count, outlets,
        changed_figure(claim, comparison, appearing),
    )
    cite = citation(base, f"/claims/{claim.id}", summary)
    return ClaimPage(
        story=story_ref(story),
        comparison=comparison,
        close_calls=close_wordings(session, claim.id),
        previous=claim_ref(siblings[place - 1]) if place > 0 else None,
        next=claim_ref(siblings[place + 1]) if place + 1 < len(siblings) else None,
        article_count=len(articles),
        outlet_count=outlets,
        cite=cite,
        jsonld=claim_jsonld(
            claim, [appearing[o.article.id] for o in comparison.outlets], origin,
            cite.permalink, base,
        ),
    )


def close_wordings(session: Session, claim_id: int) -> list[CloseWording]:
    """The sentences for which the claim is a close call, best first."""
    rows = session.exec(
        select(Suggestion, Sentence, Article)
        .join(Sentence, Sentence.id == Suggestion.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .where(Suggestion.claim_id == claim_id)
        .order_by(Suggestion.score.desc(), Sentence.id)
        .limit(MAX_CLOSE_CALLS)
    ).all()
    return [
        CloseWording(
            sentence_id=sentence.id, text=sentence.text, article=article_ref(article),
            score=score_view(suggestion.score),
            url=f"/articles/{article.id}?sentence={sentence.id}#s-{sentence.id}",
        )
        for suggestion, sentence, article in rows
    ]
