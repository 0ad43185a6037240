"""Read a story export into this instance, exactly as it was exported.

The links are stored as exported, not recomputed, so the story reads the same here as where it
came from. A document is checked whole before anything is written, and the import is one
transaction: a refused document leaves the database untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlmodel import Session, select

from app.exchange.document import FORMAT, VERSION, ArticleEntry, SentenceRef, StoryDocument
from app.ingest import IngestError, content_hash
from app.models import Article, Claim, Decision, Link, Sentence, Story, TextQuoteSelector
from app.queries import quoted_sentence
from app.text.diff import kept_share

#: How many problems a refusal lists; the rest are counted.
MAX_PROBLEMS = 8


class ImportRefused(IngestError):
    """The document cannot be imported; nothing was written."""


@dataclass
class PresentArticle:
    label: str
    article_id: int
    story_id: int


@dataclass
class ImportReport:
    story_id: int
    articles_added: int = 0
    present: list[PresentArticle] = field(default_factory=list)
    claims: int = 0
    links: int = 0
    decisions: int = 0
    skipped: int = 0

    def lines(self) -> list[str]:
        said = [
            f"story {self.story_id}: {self.articles_added} articles, {self.claims} claims, "
            f"{self.links} links, {self.decisions} editor decisions imported"
        ]
        for p in self.present:
            said.append(
                f"already here, not duplicated: {p.label} (article {p.article_id}, "
                f"story {p.story_id}); it stays in its story"
            )
        if self.skipped:
            said.append(
                f"{self.skipped} links and decisions on those articles were not imported"
            )
        return said


def parse(raw: dict) -> StoryDocument:
    """The document, checked: its format and version first, then its shape, then that every
    reference in it resolves and every span reads what it says."""
    if raw.get("format") != FORMAT:
        raise ImportRefused(
            f"This is not a provenance story export (its format is {raw.get('format')!r}, "
            f"expected {FORMAT!r}). Nothing was imported."
        )
    if raw.get("version") != VERSION:
        raise ImportRefused(
            f"This export is format version {raw.get('version')!r}; this instance reads "
            f"version {VERSION}. Nothing was imported."
        )
    try:
        document = StoryDocument.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        ]
        _refuse(problems)
    _refuse(problems_of(document))
    return document


def _refuse(problems: list[str]) -> None:
    if not problems:
        return
    shown = problems[:MAX_PROBLEMS]
    more = len(problems) - len(shown)
    tail = f" (and {more} more)" if more else ""
    raise ImportRefused(
        "The export is damaged or incomplete, so nothing was imported: "
        + "; ".join(shown) + tail + "."
    )


def problems_of(document: StoryDocument) -> list[str]:
    """What in the document contradicts itself, as sentences for the person importing it."""
    problems: list[str] = []
    sentences: dict[str, set[int]] = {}
    for n, article in enumerate(document.articles):
        where = f"article {n} ({article.outlet or article.source})"
        if article.content_hash in sentences:
            problems.append(f"{where} appears twice")
            continue
        if content_hash(article.text) != article.content_hash:
            problems.append(f"{where}: its text does not match its content hash")
        if not article.text.strip():
            problems.append(f"{where} has no text")
        problems += _sentence_problems(where, article)
        sentences[article.content_hash] = {s.index for s in article.sentences}

    keys = [c.key for c in document.claims]
    problems += [f"claim {k} appears twice" for k in sorted({k for k in keys if keys.count(k) > 1})]

    def resolves(what: str, ref: SentenceRef) -> None:
        if ref.article not in sentences:
            problems.append(f"{what} names an article the export does not hold")
        elif ref.sentence not in sentences[ref.article]:
            problems.append(f"{what} names sentence {ref.sentence}, which its article lacks")

    for claim in document.claims:
        if claim.origin is not None:
            resolves(f"claim {claim.key}", claim.origin)
    for kind, entries in (("link", document.links), ("decision", document.decisions)):
        seen = set()
        for n, entry in enumerate(entries):
            what = f"{kind} {n} ({entry.claim})"
            resolves(what, entry)
            if entry.claim not in keys:
                problems.append(f"{what} names a claim the export does not hold")
            if (entry.article, entry.sentence, entry.claim) in seen:
                problems.append(f"{what} appears twice")
            seen.add((entry.article, entry.sentence, entry.claim))
    return problems


def _sentence_problems(where: str, article: ArticleEntry) -> list[str]:
    problems = []
    indexes = [s.index for s in article.sentences]
    if len(set(indexes)) != len(indexes):
        problems.append(f"{where} numbers two sentences alike")
    for s in article.sentences:
        if not s.start <= s.end <= len(article.text):
            problems.append(f"{where}, sentence {s.index}: its span lies outside the text")
        elif article.text[s.start : s.end] != s.text:
            problems.append(f"{where}, sentence {s.index}: its span does not read its text")
    return problems


def import_story(session: Session, document: StoryDocument) -> ImportReport:
    """Write the story in the caller's transaction. An article already here (same content
    hash) is not duplicated: it stays in its story, and the document's links on it are not
    imported, since they would tie one story's sentences to another's claims."""
    taken = session.exec(select(Story).where(Story.slug == document.story.slug)).first()
    if taken is not None:
        raise ImportRefused(
            f"This story is already here: story {taken.id}, {taken.title!r}. "
            "Nothing was imported.", 409,
        )
    story = Story(**document.story.model_dump())
    session.add(story)
    session.flush()
    report = ImportReport(story_id=story.id)

    new_sentences: dict[tuple[str, int], int] = {}
    elsewhere: dict[tuple[str, int], int | None] = {}
    for entry in document.articles:
        existing = session.exec(
            select(Article).where(Article.content_hash == entry.content_hash)
        ).first()
        if existing is not None:
            report.present.append(PresentArticle(existing.label, existing.id, existing.story_id))
            for s in entry.sentences:
                elsewhere[(entry.content_hash, s.index)] = _find_again(session, existing, s)
            continue
        for index, sentence_id in _store(session, story, entry).items():
            new_sentences[(entry.content_hash, index)] = sentence_id
        report.articles_added += 1

    claim_ids: dict[str, int] = {}
    for entry in document.claims:
        place = (entry.origin.article, entry.origin.sentence) if entry.origin else None
        claim = Claim(
            story_id=story.id, key=entry.key, position=entry.position, text=entry.text,
            language=entry.language, source=entry.source,
            sentence_id=new_sentences.get(place) or elsewhere.get(place) if place else None,
        )
        session.add(claim)
        session.flush()
        claim_ids[entry.key] = claim.id
    report.claims = len(claim_ids)

    wording = {(a.content_hash, s.index): (s.text, a.language)
               for a in document.articles for s in a.sentences}
    claim_of = {c.key: c for c in document.claims}
    for entry in document.links:
        sentence_id = new_sentences.get((entry.article, entry.sentence))
        if sentence_id is None:
            report.skipped += 1
            continue
        claim, (text, language) = claim_of[entry.claim], wording[(entry.article, entry.sentence)]
        session.add(Link(sentence_id=sentence_id, claim_id=claim_ids[entry.claim],
                         score=entry.score, decided_by=entry.decided_by,
                         kept=kept_share(claim.text, text, claim.language, language)))
        report.links += 1
    for entry in document.decisions:
        sentence_id = new_sentences.get((entry.article, entry.sentence))
        if sentence_id is None:
            report.skipped += 1
            continue
        session.add(Decision(sentence_id=sentence_id, claim_key=entry.claim,
                             verdict=entry.verdict, editor=entry.editor,
                             created_at=entry.created_at))
        report.decisions += 1
    session.flush()
    return report


def _store(session: Session, story: Story, entry: ArticleEntry) -> dict[int, int]:
    """The article and its sentences exactly as exported; sentence index -> new id."""
    fields = entry.model_dump(exclude={"sentences"})
    article = Article(story_id=story.id, **fields)
    session.add(article)
    session.flush()
    sentences = [
        Sentence(article_id=article.id, index=s.index, start=s.start, end=s.end, kind=s.kind,
                 text=s.text)
        for s in entry.sentences
    ]
    session.add_all(sentences)
    session.flush()
    return {s.index: s.id for s in sentences}


def _find_again(session: Session, article: Article, entry) -> int | None:
    """The sentence of an article already here that holds the exported sentence's words,
    whatever segmentation this instance gave it."""
    quote = next((s for s in entry.selector if isinstance(s, TextQuoteSelector)), None)
    found = quoted_sentence(
        session, article, quote.exact if quote else entry.text,
        quote.prefix if quote else "", quote.suffix if quote else "", near=entry.start,
    )
    return found.id if found else None
