"""Discrepancy flags, attributions and quote families of a story, read from its texts.

They are derived on the fly rather than stored: they depend on the links, the claims, editor
decisions and the texts, all of which change on re-link or correction, and computing them is a
few regular expressions per link. Each result is kept for the story's revision, and a page
computes only the links it shows.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.models import Article, Claim, Link, Sentence, Story
from app.text.attribution import attribution, origin_names
from app.text.dates import LANGUAGES
from app.text.diff import word_diff
from app.text.discrepancies import KINDS, Context, discrepancies
from app.text.quotes import (
    QuoteItem,
    coverage,
    families,
    reference,
    statements,
)
from app.views.common import (
    ArticleRef,
    DiffPart,
    StoryRef,
    article_ref,
    diff_segments,
    outlet_count,
    story_ref,
)

#: Least share of one version's content words the other must hold for a word diff between two
#: versions of a quote to mean anything (a shared "not" alone does not).
DIFFABLE_QUOTE = 0.5


class FlagView(BaseModel):
    """One substantive change between a claim's origin wording and an outlet's sentence."""

    kind: str
    claim_key: str
    origin: str
    outlet: str
    reason: str
    claim_keys: list[str] = Field(
        default=[], description="Every claim of the sentence this same change concerns."
    )


class AttributionView(BaseModel):
    """Whom a sentence credits: kind is origin, secondary or none."""

    kind: str
    origin: str | None
    secondary: list[str]
    unattributed: bool = False


class ChainLink(BaseModel):
    """One step of where a claim's information comes from, first source first."""

    label: str
    role: str  # secondary | origin


class QuoteMember(BaseModel):
    quote: str
    language: str | None
    article: ArticleRef
    sentence_id: int
    url: str
    reference: bool
    diff: list[DiffPart] = []
    other_part: bool = Field(
        default=False,
        description="Another part of the same statement (quoted in one sentence with a "
        "version of it), too unlike the compared version for a word diff to mean anything.",
    )

    @property
    def segments(self) -> list[tuple[str, str]]:
        return diff_segments(self.diff)


class QuoteFamily(BaseModel):
    """Every outlet's version of one quote, each compared with the most shared version."""

    claim_keys: list[str]
    members: list[QuoteMember]
    outlet_count: int = Field(
        description="Outlets printing the quote: an outlet with several articles counts once."
    )


@dataclass
class StoryFlags:
    """Everything the pages show about flags for one story, keyed for quick lookup."""

    by_link: dict[tuple[int, int], list[FlagView]] = field(default_factory=dict)
    attributions: dict[int, AttributionView] = field(default_factory=dict)
    quote_families: list[QuoteFamily] = field(default_factory=list)
    origin_outlet: str | None = None
    article_of: dict[int, int] = field(default_factory=dict)

    def by_sentence(self, sentence_ids: set[int] | None = None) -> dict[int, list[FlagView]]:
        """Each sentence's flags (of ``sentence_ids``, or all), each change once, naming every
        claim it concerns (see ``_merged``)."""
        of_sentence: dict[int, list[FlagView]] = defaultdict(list)
        for (sentence_id, _claim), flags in self.by_link.items():
            if sentence_ids is None or sentence_id in sentence_ids:
                of_sentence[sentence_id] += flags
        return {s: _merged(flags) for s, flags in of_sentence.items()}

    def chain(self, claim: Claim) -> list[ChainLink]:
        """Where the claim's information comes from: the sources its origin wording names,
        then the origin outlet."""
        found = attribution(claim.text, claim.language, origin_names(self.origin_outlet))
        chain = [ChainLink(label=s, role="secondary") for s in found.secondary]
        if self.origin_outlet:
            chain.append(ChainLink(label=self.origin_outlet, role="origin"))
        return chain

    def families_for(self, claim_key: str) -> list[QuoteFamily]:
        return [f for f in self.quote_families if claim_key in f.claim_keys]


def kind_counts(flag_lists: Iterable[list[FlagView]]) -> dict[str, int]:
    """Flags per kind over sentences' merged flags (see ``StoryFlags.by_sentence``), so each
    change of a sentence counts once."""
    counts = dict.fromkeys(KINDS, 0)
    for flags in flag_lists:
        for flag in flags:
            counts[flag.kind] += 1
    return counts


def _merged(flags) -> list[FlagView]:
    """One sentence's flags with each change once, naming every claim it concerns: a sentence
    carrying two claims is compared with each, and often differs from both the same way."""
    out: dict[tuple[str, str, str, str], FlagView] = {}
    for f in flags:
        key = (f.kind, f.origin, f.outlet, f.reason)
        if key in out:
            out[key].claim_keys.extend(k for k in f.claim_keys if k not in out[key].claim_keys)
        else:
            out[key] = f.model_copy(update={"claim_keys": list(f.claim_keys)})
    return list(out.values())


@dataclass(frozen=True)
class _Row:
    claim_id: int
    sentence_id: int
    article_id: int
    kind: str
    text: str


#: Results kept per worker: one per story state and page scope (a state changes with any write
#: to the story, see ``story_changed``).
CACHE_SIZE = 512
_cache: OrderedDict[tuple, StoryFlags] = OrderedDict()
_cache_lock = threading.Lock()


def story_flags(
    session: Session,
    story_id: int,
    articles: list[Article] | None = None,
    *,
    claim_id: int | None = None,
    article_id: int | None = None,
) -> StoryFlags:
    """Flags of the story's links, attributions of its sentences, its quote families.

    ``claim_id`` or ``article_id`` limit flags and attributions to that claim's links or that
    article's sentences, all a claim or article page shows, so its cost does not grow with the
    story; quote families are always the whole story's. Results are reused until the story's
    revision changes, which every write to the story does.
    """
    story = session.get(Story, story_id)
    if story is None:
        return StoryFlags()
    key = (story.id, story.revision, claim_id, article_id)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    if articles is None:
        articles = list(session.exec(select(Article).where(Article.story_id == story_id)))
    claims = {c.id: c for c in session.exec(select(Claim).where(Claim.story_id == story_id))}
    # plain columns: a Claim object per row cost more than the flags themselves
    sentences = session.exec(
        select(Sentence.id, Sentence.article_id, Sentence.text, Link.claim_id)
        .join(Article, Article.id == Sentence.article_id)
        .outerjoin(Link, Link.sentence_id == Sentence.id)
        .outerjoin(Claim, Claim.id == Link.claim_id)
        .where(Article.story_id == story_id, Sentence.kind == "content")
        .order_by(Sentence.article_id, Sentence.index, Claim.position, Claim.id)
    ).all()
    scope = _Scope(claim_id, article_id)
    result = _compute(story, {a.id: a for a in articles}, claims, sentences, scope)
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


@dataclass(frozen=True)
class _Scope:
    """The claim or article a page is about; None for either means all of them."""

    claim_id: int | None = None
    article_id: int | None = None

    def covers(self, claim_id: int, article_id: int) -> bool:
        return self.claim_id in (None, claim_id) and self.article_id in (None, article_id)


def _compute(story: Story, articles: dict[int, Article], claims: dict[int, Claim],
             sentences, scope: _Scope = _Scope()) -> StoryFlags:
    rows = [
        _Row(claim_id, sentence_id, article_id, "content", text)
        for sentence_id, article_id, text, claim_id in sentences
        if claim_id is not None and claim_id in claims
    ]
    names = origin_names(story.origin_outlet)
    origin_sentences = {c.sentence_id for c in claims.values() if c.sentence_id}
    claims_of: dict[int, list[int]] = defaultdict(list)
    wordings_of: dict[tuple[int, int], list[_Row]] = defaultdict(list)
    for row in rows:
        claims_of[row.sentence_id].append(row.claim_id)
        wordings_of[(row.article_id, row.claim_id)].append(row)
    in_scope = [r for r in rows if scope.covers(r.claim_id, r.article_id)]
    result = StoryFlags()
    shown = {r.sentence_id for r in in_scope} if scope.claim_id is not None else None
    result.attributions = _attributions(
        [s for s in sentences if (shown is None or s[0] in shown)
         and scope.article_id in (None, s[1])],
        articles, rows, names, origin_sentences,
    )
    quotes = _quote_index(rows, articles, claims_of)
    for row in in_scope:
        article = articles[row.article_id]
        if row.sentence_id in origin_sentences:
            continue
        claim = claims[row.claim_id]
        mine = set(claims_of[row.sentence_id])
        context = Context(
            also_origin=tuple(claims[c].text for c in claims_of[row.sentence_id]
                              if c != row.claim_id),
            also_outlet=tuple(r.text for r in wordings_of[(row.article_id, row.claim_id)]
                              if r.sentence_id != row.sentence_id),
            peer_quotes=tuple(
                (q.text, q.language) for q in quotes
                if q.group != row.article_id and q.claims & mine
            ),
            ignore_names=names,
            known_dates=tuple(_ymd(d) for d in (story.origin_date, article.published) if d),
        )
        found = discrepancies(
            claim.text, row.text, claim.language or _origin_language(articles), article.language,
            context,
        )
        if found:
            result.by_link[(row.sentence_id, row.claim_id)] = [
                FlagView(kind=f.kind, claim_key=claim.key, origin=f.origin, outlet=f.outlet,
                         reason=f.reason, claim_keys=[claim.key])
                for f in found
            ]
    result.quote_families = _families(quotes, articles, claims, rows)
    result.origin_outlet = story.origin_outlet
    result.article_of = {sentence_id: article_id for sentence_id, article_id, *_ in sentences}
    return result


def _ymd(day: dt.date) -> tuple[int, int, int]:
    return (day.year, day.month, day.day)


def _origin_language(articles: dict[int, Article]) -> str | None:
    return next((a.language for a in articles.values() if a.role == "origin"), None)


def _attributions(sentences, articles, rows, names, origin_sentences):
    """Attribution of every content sentence of the story's derivative articles."""
    linked = {r.sentence_id for r in rows}
    out = {}
    for sentence_id, article_id, text, _claim in sentences:
        article = articles[article_id]
        if article.role == "origin" or sentence_id in origin_sentences or sentence_id in out:
            continue
        found = attribution(text, article.language, names)
        out[sentence_id] = AttributionView(
            kind=found.kind, origin=found.origin, secondary=list(found.secondary),
            unattributed=found.kind == "none" and sentence_id in linked,
        )
    return out


@dataclass(frozen=True)
class _Quote:
    text: str
    language: str | None
    sentence_id: int
    group: int
    claims: frozenset[int]


def _quote_index(rows, articles, claims_of) -> list[_Quote]:
    seen, out = set(), []
    for row in rows:
        if row.kind != "content" or row.sentence_id in seen:
            continue
        seen.add(row.sentence_id)
        language = articles[row.article_id].language
        for quote in statements(row.text):
            out.append(_Quote(quote, language, row.sentence_id, row.article_id,
                              frozenset(claims_of[row.sentence_id])))
    return out


def _families(quotes, articles, claims, rows) -> list[QuoteFamily]:
    """Families printed by at least two articles (counted by outlet on the page), each member
    diffed against the reference."""
    items = [QuoteItem(q.text, q.language, q.sentence_id, q.group, q.claims) for q in quotes]
    out = []
    for family in families(items):
        groups = {items[i].group for i in family}
        if len(groups) < 2:
            continue
        ref = reference(items, family)
        members = []
        for i in sorted(family, key=lambda i: (i != ref, quotes[i].group, quotes[i].sentence_id)):
            q = quotes[i]
            same = q.language == quotes[ref].language
            other_part = i != ref and same and max(
                coverage(quotes[ref].text, [q.text], q.language),
                coverage(q.text, [quotes[ref].text], q.language),
            ) < DIFFABLE_QUOTE
            diff = [] if i == ref or not same or other_part else [
                DiffPart(op=o.op, a=o.a, b=o.b) for o in word_diff(quotes[ref].text, q.text)
            ]
            members.append(QuoteMember(
                quote=q.text, language=q.language, article=article_ref(articles[q.group]),
                sentence_id=q.sentence_id,
                url=f"/articles/{q.group}?sentence={q.sentence_id}#s-{q.sentence_id}",
                reference=i == ref, diff=diff, other_part=other_part,
            ))
        keys = sorted({claims[c].key for i in family for c in quotes[i].claims},
                      key=lambda k: next(c.position for c in claims.values() if c.key == k))
        out.append(QuoteFamily(
            claim_keys=keys, members=members,
            outlet_count=outlet_count(articles[g] for g in groups),
        ))
    return out


class QuotesPage(BaseModel):
    story: StoryRef
    families: list[QuoteFamily]


def quotes_page(session: Session, story_id: int) -> QuotesPage | None:
    story = session.get(Story, story_id)
    if story is None:
        return None
    families = story_flags(session, story_id).quote_families
    return QuotesPage(story=story_ref(story), families=families)


class FlagRecord(FlagView):
    """A flag with the sentence and article it is on, as the API lists them: a change found
    against several claims of one sentence is one record, ``claim_keys`` naming them all and
    ``claim_key`` the first."""

    sentence_id: int
    article_id: int


class AttributionRecord(AttributionView):
    sentence_id: int
    article_id: int


def flag_records(session: Session, story_id: int) -> list[FlagRecord]:
    found = story_flags(session, story_id)
    return [
        FlagRecord(**flag.model_dump(), sentence_id=sentence_id,
                   article_id=found.article_of[sentence_id])
        for sentence_id, flags in sorted(found.by_sentence().items())
        for flag in flags
    ]


def attribution_records(session: Session, story_id: int) -> list[AttributionRecord]:
    found = story_flags(session, story_id)
    return [
        AttributionRecord(**a.model_dump(), sentence_id=sentence_id,
                          article_id=found.article_of[sentence_id])
        for sentence_id, a in sorted(found.attributions.items())
    ]


def prepare() -> None:
    """Build the analysers' tables (place names and month names from the CLDR, the patterns of
    each language) at start-up rather than on the first page a reader opens (some 60 ms)."""
    text = "On 25 November 2024, Le Monde reported that France may send 2,000 troops to Kyiv."
    for origin in LANGUAGES:
        for outlet in LANGUAGES:
            discrepancies(text, text, origin, outlet)
        attribution(text, origin, origin_names("Le Monde"))
