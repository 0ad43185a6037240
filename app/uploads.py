"""An upload from the form, the API or `provenance load`, from bytes to a linked article.

Everything happens in one write transaction: the article, its sentences, its story (found or
new), re-keyed claims for an origin upload, and the links. Any error leaves the database as it
was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.audit import COMMAND_LINE, record
from app.db import write_session
from app.ingest import ArticleInput, IngestError, check_article, find_duplicate, store_article
from app.kept import link_kept
from app.linker import Linker
from app.linking import ClaimText, SentenceText, link_sentences
from app.models import PASTED, Article, Claim, Link, Sentence, Story
from app.seeds import slugify
from app.story_index import story_changed, story_wordings
from app.text.extract import (
    ExtractError,
    display_name,
    extract,
    parse_address,
    parse_date,
    parse_language,
    segment_within,
)
from app.text.language import detect_language
from app.text.segment import Segment, segment

ROLES = ("derivative", "origin")
# A story is the article's story when at least this many of its sentences, and this share of
# them, carry one of the story's claims.
MATCH_MIN_SENTENCES = 2
MATCH_MIN_SHARE = 0.15
#: A text with fewer content sentences than this is matched with the story's own coverage as
#: evidence, and joins through one sentence linked surely (see ``best_story``).
SHORT_TEXT = 3
#: Stories the candidate index proposes for an upload; only these are linked against.
MAX_CANDIDATES = 3


@dataclass
class UploadRequest:
    """What a journalist sent: a file or pasted text, and optional metadata as typed."""

    data: bytes | str
    filename: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    role: str = "derivative"
    story_id: int | None = None


@dataclass
class Rekeying:
    """What an origin upload changed in the story's claims."""

    kept: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class UploadResult:
    article_id: int
    story_id: int
    created: bool
    story_created: bool = False
    rekeying: Rekeying | None = None
    linked: bool = True


def read_request(request: UploadRequest, max_bytes: int, timeout: float) -> ArticleInput:
    """Turn the request into an article, or raise ExtractError with a message for the form."""
    if request.role not in ROLES:
        raise ExtractError(f"Role must be one of {', '.join(ROLES)}.", 400)
    extracted = extract(request.data, request.filename, max_bytes=max_bytes, timeout=timeout)
    published = parse_date(request.published) if _given(request.published) else None
    language = parse_language(request.language) if _given(request.language) else None
    url = parse_address(request.url) if _given(request.url) else None
    source = url if not request.filename else None
    return ArticleInput(
        raw=extracted.raw,
        text=extracted.text,
        source=source or (display_name(request.filename) if request.filename else PASTED),
        format=extracted.format,
        outlet=_given(request.outlet) or extracted.outlet,
        title=_given(request.title) or extracted.title,
        byline=extracted.byline,
        url=url,
        published=published or extracted.published,
        language=language or extracted.language or detect_language(extracted.text),
        role=request.role,
    )


def upload(
    engine: Engine,
    linker: Linker,
    request: UploadRequest,
    max_bytes: int,
    timeout: float,
    editor: str = COMMAND_LINE,
) -> UploadResult:
    """Read, segment (both time-limited, before the write lock is taken), then store and link
    the article in one transaction that also records who uploaded it."""
    item = read_request(request, max_bytes, timeout)
    segments = segment_within(item.text, item.language, timeout)
    with write_session(engine) as session:
        return add_article(
            session, linker, item, request.story_id, segments=segments, editor=editor
        )


def add_article(
    session: Session,
    linker: Linker,
    item: ArticleInput,
    story_id: int | None = None,
    link_now: bool = True,
    *,
    segments: list[Segment] | None = None,
    editor: str = COMMAND_LINE,
) -> UploadResult:
    """Store the article in its story (given, best matching, or new) within the caller's
    transaction, link it, and record who added it. With ``link_now`` false a derivative article
    is left for the caller to link (``linked`` is false), so a bulk import can link many
    articles at once."""
    duplicate = find_duplicate(session, item.text)
    if duplicate is not None:
        return UploadResult(duplicate.id, duplicate.story_id, created=False)
    if segments is None:
        segments = segment(item.text, item.language)
    segments = check_article(item, segments)
    story, story_created = _story_for(session, linker, item, segments, story_id)
    article, _ = store_article(session, story, item, segments)
    result = UploadResult(article.id, story.id, True, story_created)
    if article.role == "origin":
        result.rekeying = make_origin(session, linker, story, article)
        linker.relink_story(session, story)
    elif not link_now:
        result.linked = False
    elif linker.reinduces(session, story.id):
        linker.relink_story(session, story)
    else:
        linker.link_article(session, article)
    what = "the origin report" if article.role == "origin" else "an article"
    record(
        session, editor, "upload",
        f"Uploaded {what} from {article.source}"
        + (f" into the new story “{story.title}”" if story_created else ""),
        article.id,
    )
    return result


def _given(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


# --- which story ------------------------------------------------------------------------------


def _story_for(
    session: Session,
    linker: Linker,
    item: ArticleInput,
    segments: list[Segment],
    story_id: int | None,
) -> tuple[Story, bool]:
    if story_id is not None:
        story = session.get(Story, story_id)
        if story is None:
            raise IngestError(f"There is no story with id {story_id}.", 404)
        return story, False
    story = best_story(session, linker, item, segments)
    if story is not None:
        return story, False
    title = item.title or item.text.strip().splitlines()[0][:120]
    slug = slugify(title)
    if session.exec(select(Story).where(Story.slug == slug)).first() is not None:
        slug = f"{slug}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}"
    story = Story(
        slug=slug,
        title=title,
        origin_outlet=item.outlet if item.role == "origin" else None,
        origin_date=item.published if item.role == "origin" else None,
    )
    session.add(story)
    session.flush()
    return story, True


def best_story(
    session: Session, linker: Linker, item: ArticleInput, segments: list[Segment]
) -> Story | None:
    """The story whose claims (or, lacking claims, whose sentences) the article carries most.

    Only the few stories the candidate index finds closest are linked against, so the cost
    does not grow with the number of stories. A text of a sentence or two is read with each
    candidate's coverage as evidence (see ``_short_text_evidence``)."""
    spans = [s for s in segments if s.kind == "content"]
    sentences = [
        SentenceText(i, "new", item.text[s.start : s.end], item.language)
        for i, s in enumerate(spans)
    ]
    if not sentences:
        return None
    encoder = linker.cached(session)
    linker.index.refresh(session, encoder)
    vectors = encoder.encode([s.text for s in sentences])
    candidates = sorted(linker.index.candidates(vectors, MAX_CANDIDATES))
    wordings = story_wordings(session, candidates)
    best, best_evidence = None, (0, 0.0)
    for story_id in candidates:
        if not wordings.get(story_id):
            continue
        if len(sentences) < SHORT_TEXT:
            evidence = _short_text_evidence(session, linker, story_id, wordings, sentences)
        else:
            links = link_sentences(
                wordings[story_id], sentences, encoder, linker.params, with_asides=False
            )
            count = len({link.sentence_id for link in links})
            enough = max(MATCH_MIN_SENTENCES, MATCH_MIN_SHARE * len(sentences))
            evidence = (count, 0.0) if count >= enough else None
        if evidence is not None and evidence > best_evidence:
            best, best_evidence = story_id, evidence
    return session.get(Story, best) if best is not None else None


def _short_text_evidence(
    session: Session,
    linker: Linker,
    story_id: int,
    wordings: dict[int, list[ClaimText]],
    sentences: list[SentenceText],
) -> tuple[int, float] | None:
    """How surely a text of a sentence or two carries the story's claims: (sentences linked
    surely, best score), or None when none is.

    Read alone, one sentence has no story to stand out from (its claims' scores across the
    story, other outlets' wordings), so it is linked with the story's coverage as evidence, as
    it would be once uploaded; the bar is the confidence at which a link counts as a wording of
    its claim, since one sentence must carry the whole weight of the match."""
    claims = linker.claims(session, story_id)
    if claims:
        # ids of their own: the context's sentences are keyed by their stored ids
        unsaved = [replace(s, id=f"new {s.id}") for s in sentences]
        context = linker.context(session, story_id, [])
        confirmed, rejected = linker.decisions(session, [s.id for s, _ in context])
        links = linker.read(
            session, claims, unsaved, context, confirmed, rejected, with_asides=False
        ).links
    else:
        links = link_sentences(
            wordings[story_id], sentences, linker.cached(session), linker.params,
            with_asides=False,
        )
    sure = [link for link in links if link.score >= linker.params.seed_threshold]
    if not sure:
        return None
    return len({link.sentence_id for link in sure}), max(link.score for link in sure)


# --- origin uploads ---------------------------------------------------------------------------


def make_origin(session: Session, linker: Linker, story: Story, article: Article) -> Rekeying:
    """Make the origin article's content sentences the story's claims.

    An origin sentence that carries an existing (dossier or induced) claim takes that claim's
    key, so links, editor decisions and permalinks keyed by it carry over; the rest get new
    keys, and old claims no origin sentence carries are removed.
    """
    origin_sentences = session.exec(
        select(Sentence)
        .where(Sentence.article_id == article.id, Sentence.kind == "content")
        .order_by(Sentence.index)
    ).all()
    old = {c.key: c for c in linker.claims(session, story.id)}
    matches = link_sentences(
        [ClaimText(c.key, c.text, c.language) for c in old.values()],
        [SentenceText(s.id, article.id, s.text, article.language) for s in origin_sentences],
        linker.cached(session),
        linker.params,
    )
    key_of: dict[int, str] = {}
    taken: set[str] = set()
    for match in sorted(matches, key=lambda m: -m.score):
        if match.sentence_id not in key_of and match.claim_key not in taken:
            key_of[match.sentence_id] = match.claim_key
            taken.add(match.claim_key)
    report = Rekeying()
    for key, claim in old.items():
        if key not in taken:
            session.delete(claim)
            report.removed.append(key)
    session.flush()
    number = 1
    for position, sentence in enumerate(origin_sentences):
        key = key_of.get(sentence.id)
        if key is None:
            while f"O{number:02d}" in old or f"O{number:02d}" in taken:
                number += 1
            key = f"O{number:02d}"
            taken.add(key)
            report.added.append(key)
            claim = Claim(story_id=story.id, key=key)
            session.add(claim)
        else:
            claim = old[key]
            report.kept.append(key)
        claim.text = sentence.text
        claim.language = article.language
        claim.position = position
        claim.source = "origin"
        claim.sentence_id = sentence.id
    session.flush()
    claims = {c.sentence_id: c for c in linker.claims(session, story.id)}
    session.add_all(
        Link(sentence_id=s.id, claim_id=claims[s.id].id, score=1.0,
             kept=link_kept(claims[s.id], s, article))
        for s in origin_sentences
    )
    story.origin_outlet = article.outlet or story.origin_outlet
    story.origin_date = article.published or story.origin_date
    session.add(story)
    session.flush()
    story_changed(session, story.id)
    return report
