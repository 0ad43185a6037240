"""Linking against the database: which claims a story has, and which of them each stored
sentence carries. The matching itself is pure (app.linking); this module feeds it the story's
claims, earlier wordings and editor decisions, and writes the links back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from app.kept import link_kept
from app.linking import (
    CachingEncoder,
    ClaimText,
    Encoder,
    LinkParams,
    Reading,
    SentenceText,
    default_encoder,
)
from app.linking.induce import InduceParams, induce_claims, induced_links
from app.linking.match import LinkResult, build_context, probability, read_links
from app.models import (
    Article,
    Claim,
    Decision,
    Embedding,
    Link,
    Sentence,
    Story,
    Suggestion,
    utcnow,
)
from app.story_index import StoryIndex, story_changed

LINKABLE_KINDS = ("content", "heading")
_CHUNK = 500
#: Sentences of the story that serve as evidence when new articles are linked.
MAX_CONTEXT_SENTENCES = 3000
#: New articles of one story linked in one call. The matching cost grows with the square of the
#: sentences linked together, but each call reads and compares the story's earlier sentences
#: again; up to about 50 articles the second cost dominates (3x fewer sentences/s at 6 than at
#: 48 on the synthetic corpus, with the same links within 3%, as precise against its truth).
LINK_GROUP = 48
#: Sentences a story's claims are induced from at most. Inducing compares every pair of them,
#: so its memory and time grow with the square: about 450 MB and 4 s at 3,000 (some 100
#: articles). A larger story's claims are induced from its latest articles up to this many
#: sentences, and its other articles are linked to them as to a dossier.
MAX_INDUCE_SENTENCES = 3000


class SqlVectorStore:
    """Embedding cache in the `embedding` table, written in the caller's transaction."""

    def __init__(self, session: Session):
        self.session = session

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), _CHUNK):
            rows = self.session.exec(
                select(Embedding).where(
                    Embedding.model == model, Embedding.text_hash.in_(hashes[i : i + _CHUNK])
                )
            ).all()
            for row in rows:
                found[row.text_hash] = np.frombuffer(row.vector, dtype=np.float32)
        return found

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Insert the vectors; one that another transaction cached meanwhile is kept as is
        (on PostgreSQL two workers may encode the same text at once)."""
        if not vectors:
            return
        rows = [
            {"model": model, "text_hash": h, "vector": np.asarray(v, np.float32).tobytes()}
            for h, v in vectors.items()
        ]
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        self.session.exec(insert(Embedding).on_conflict_do_nothing(), params=rows)


@dataclass
class LinkReport:
    sentences: int
    links: int


class Linker:
    """Links a story's sentences to its claims with one encoder and one set of parameters."""

    def __init__(self, encoder: Encoder | None = None, params: LinkParams | None = None):
        self._encoder = encoder
        self.params = params or LinkParams()
        self.index = StoryIndex()

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = default_encoder()
        return self._encoder

    def cached(self, session: Session) -> Encoder:
        return CachingEncoder(self.encoder, SqlVectorStore(session))

    # --- reading the story ----------------------------------------------------------------

    @staticmethod
    def claims(session: Session, story_id: int) -> list[Claim]:
        return list(
            session.exec(
                select(Claim).where(Claim.story_id == story_id).order_by(Claim.position, Claim.id)
            ).all()
        )

    def reinduces(self, session: Session, story_id: int) -> bool:
        """True when a change to the story's coverage means inducing its claims again: it has
        neither origin nor dossier claims (its claims come from its coverage), and is small
        enough to induce them from all of it (``MAX_INDUCE_SENTENCES``), or has no claims yet.
        A larger story links new articles to the claims it has; `provenance relink` induces
        them again."""
        claims = self.claims(session, story_id)
        if not claims:
            return True
        if not all(c.source == "induced" for c in claims):
            return False
        count = session.exec(
            select(func.count())
            .select_from(Sentence)
            .join(Article, Article.id == Sentence.article_id)
            .where(*_linkable_in(story_id))
        ).one()
        return count <= MAX_INDUCE_SENTENCES

    @staticmethod
    def linkable(
        session: Session, story_id: int, article_ids: Sequence[int] | None = None
    ) -> list[tuple[Sentence, Article]]:
        query = (
            select(Sentence, Article)
            .join(Article, Article.id == Sentence.article_id)
            .where(*_linkable_in(story_id))
            .order_by(Article.id, Sentence.index)
        )
        if article_ids is not None:
            query = query.where(Article.id.in_(list(article_ids)))
        return list(session.exec(query).all())

    @staticmethod
    def decisions(
        session: Session, sentence_ids: Sequence[int]
    ) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
        confirmed: dict[int, set[str]] = defaultdict(set)
        rejected: dict[int, set[str]] = defaultdict(set)
        for i in range(0, len(sentence_ids), _CHUNK):
            rows = session.exec(
                select(Decision).where(Decision.sentence_id.in_(sentence_ids[i : i + _CHUNK]))
            ).all()
            for d in rows:
                (confirmed if d.verdict == "confirm" else rejected)[d.sentence_id].add(d.claim_key)
        return dict(confirmed), dict(rejected)

    # --- writing links --------------------------------------------------------------------

    def relink_story(self, session: Session, story: Story) -> LinkReport:
        """Rebuild every link of the story from its sentences, claims and editor decisions."""
        rows = self.linkable(session, story.id)
        claims = self.claims(session, story.id)
        self._clear_links(session, [s.id for s, _ in rows])
        story_changed(session, story.id)
        if not all(c.source == "induced" for c in claims):  # see reinduces
            return self._link(session, claims, rows)
        latest, older = split_latest(rows, MAX_INDUCE_SENTENCES)
        report = self.induce(session, story, latest)
        for start in range(0, len(older), LINK_GROUP):
            part = self.link_articles(session, story.id, older[start : start + LINK_GROUP])
            report = LinkReport(report.sentences + part.sentences, report.links + part.links)
        return report

    def induce(
        self, session: Session, story: Story, rows: Sequence[tuple[Sentence, Article]]
    ) -> LinkReport:
        """Replace the story's induced claims with claims induced from its coverage now, and
        link each sentence to the induced claims it carries (editor decisions kept).

        Only for stories with neither an origin article nor a dossier: their claims are what
        several outlets share or attribute to the origin, so new coverage can change them.
        """
        session.exec(delete(Claim).where(Claim.story_id == story.id, Claim.source == "induced"))
        sentences = [SentenceText(s.id, a.id, s.text, a.language) for s, a in rows]
        induced = induce_claims(sentences, self.cached(session), InduceParams(link=self.params))
        claims = [
            Claim(
                story_id=story.id, key=c.key, text=c.text, language=c.language,
                position=position, source="induced",
            )
            for position, c in enumerate(induced)
        ]
        session.add_all(claims)
        session.flush()
        story_changed(session, story.id)
        if not claims or not rows:
            return LinkReport(sentences=len(rows), links=0)
        confirmed, rejected = self.decisions(session, [s.id for s, _ in rows])
        results = [
            r for r in induced_links(induced) if r.claim_key not in rejected.get(r.sentence_id, ())
        ]
        carried = {(r.sentence_id, r.claim_key) for r in results}
        results += [
            LinkResult(sid, key, 1.0)
            for sid, keys in confirmed.items()
            for key in sorted(keys)
            if (sid, key) not in carried
        ]
        return self._write(session, claims, rows, Reading(results, []), confirmed)

    def link_article(self, session: Session, article: Article) -> LinkReport:
        """Link one new article; the story's other sentences count as evidence, so the article
        is linked as it would be with the whole story, without re-linking the story."""
        return self.link_articles(session, article.story_id, [article.id])

    def link_articles(
        self, session: Session, story_id: int, article_ids: Sequence[int]
    ) -> LinkReport:
        """Link new articles of one story together. The story's other sentences, with their
        stored links, count as evidence: the latest ``MAX_CONTEXT_SENTENCES`` of them, so the
        cost stays bounded however big the story grows."""
        rows = self.linkable(session, story_id, article_ids)
        claims = self.claims(session, story_id)
        self._clear_links(session, [s.id for s, _ in rows])
        context = self.context(session, story_id, article_ids)
        story_changed(session, story_id)
        return self._link(session, claims, rows, context=context)

    @staticmethod
    def context(
        session: Session, story_id: int, exclude: Sequence[int]
    ) -> list[tuple[Sentence, Article]]:
        """The story's latest linkable sentences outside ``exclude``, in reading order."""
        query = (
            select(Sentence, Article)
            .join(Article, Article.id == Sentence.article_id)
            .where(*_linkable_in(story_id), Article.id.not_in(list(exclude)))
            .order_by(Sentence.id.desc())
            .limit(MAX_CONTEXT_SENTENCES)
        )
        rows = list(session.exec(query).all())
        return sorted(rows, key=lambda row: (row[1].id, row[0].index))

    def _link(
        self,
        session: Session,
        claims: Sequence[Claim],
        rows: Sequence[tuple[Sentence, Article]],
        context: Sequence[tuple[Sentence, Article]] = (),
    ) -> LinkReport:
        if not claims or not rows:
            return LinkReport(sentences=len(rows), links=0)
        sentences = [SentenceText(s.id, a.id, s.text, a.language) for s, a in rows]
        confirmed, rejected = self.decisions(session, [s.id for s, _ in [*rows, *context]])
        reading = self.read(session, claims, sentences, context, confirmed, rejected)
        return self._write(session, claims, rows, reading, confirmed)

    def read(
        self,
        session: Session,
        claims: Sequence[Claim],
        sentences: Sequence[SentenceText],
        context: Sequence[tuple[Sentence, Article]],
        confirmed: Mapping[int, set[str]],
        rejected: Mapping[int, set[str]],
        with_asides: bool = True,
    ) -> Reading:
        """Link ``sentences`` to ``claims`` with the stored ``context`` sentences and their
        links as evidence, and name the close calls; nothing is written."""
        evidence = [SentenceText(s.id, a.id, s.text, a.language) for s, a in context]
        known = self.stored(session, [s.id for s, _ in context]) if context else None
        ctx = build_context(
            [ClaimText(c.key, c.text, c.language) for c in claims],
            sentences, self.cached(session), context=evidence, with_asides=with_asides,
        )
        return read_links(ctx, self.params, confirmed, rejected, known)

    @staticmethod
    def _write(
        session: Session,
        claims: Sequence[Claim],
        rows: Sequence[tuple[Sentence, Article]],
        reading: Reading,
        confirmed: Mapping[int, set[str]],
    ) -> LinkReport:
        """Store the links of ``rows``' sentences, with the share of the claim's words each
        keeps (an editor's confirmed ones marked as decided by the editor), and the close
        calls beside them."""
        results = reading.links
        claim_ids = {c.key: c.id for c in claims}
        now = utcnow()
        claim_of, row_of = {c.key: c for c in claims}, {s.id: (s, a) for s, a in rows}
        links = [
            {
                "sentence_id": r.sentence_id,
                "claim_id": claim_ids[r.claim_key],
                "score": 1.0 if r.claim_key in confirmed.get(r.sentence_id, ()) else r.score,
                "decided_by": "editor"
                if r.claim_key in confirmed.get(r.sentence_id, ())
                else "model",
                "created_at": now,
                "kept": link_kept(claim_of[r.claim_key], *row_of[r.sentence_id]),
            }
            for r in results
            if r.claim_key in claim_ids
        ]
        if links:
            session.exec(insert(Link), params=links)
        calls = [
            {"sentence_id": r.sentence_id, "claim_id": claim_ids[r.claim_key], "score": r.score}
            for r in reading.close_calls
            if r.claim_key in claim_ids
        ]
        if calls:
            session.exec(insert(Suggestion), params=calls)
        return LinkReport(sentences=len(rows), links=len(links))

    def stored(self, session: Session, sentence_ids: Sequence[int]) -> dict[int, dict[str, float]]:
        """What the given sentences are linked to now, as probabilities per claim key."""
        out: dict[int, dict[str, float]] = {sid: {} for sid in sentence_ids}
        for i in range(0, len(sentence_ids), _CHUNK):
            rows = session.exec(
                select(Link.sentence_id, Claim.key, Link.score)
                .join(Claim, Claim.id == Link.claim_id)
                .where(Link.sentence_id.in_(sentence_ids[i : i + _CHUNK]))
            ).all()
            for sid, key, score in rows:
                out[sid][key] = float(probability(self.params, np.float64(score)))
        return out

    @staticmethod
    def _clear_links(session: Session, sentence_ids: Sequence[int]) -> None:
        """Drop the sentences' links and close calls, which linking them again rebuilds."""
        for i in range(0, len(sentence_ids), _CHUNK):
            part = sentence_ids[i : i + _CHUNK]
            session.exec(delete(Link).where(Link.sentence_id.in_(part)))
            session.exec(delete(Suggestion).where(Suggestion.sentence_id.in_(part)))


def _linkable_in(story_id: int) -> tuple:
    """Conditions on a sentence joined to its article: linkable, of the story's coverage."""
    return (
        Article.story_id == story_id,
        Article.role != "origin",
        Sentence.kind.in_(LINKABLE_KINDS),
    )


def split_latest(
    rows: Sequence[tuple[Sentence, Article]], limit: int
) -> tuple[list[tuple[Sentence, Article]], list[int]]:
    """The rows of the latest whole articles holding at most ``limit`` sentences (always at
    least the latest article), and the ids of the earlier articles, oldest first. ``rows``
    come ordered by article id."""
    counts: dict[int, int] = defaultdict(int)
    for _, article in rows:
        counts[article.id] += 1
    kept: set[int] = set()
    total = 0
    for article_id in sorted(counts, reverse=True):
        if kept and total + counts[article_id] > limit:
            break
        kept.add(article_id)
        total += counts[article_id]
    latest = [row for row in rows if row[1].id in kept]
    return latest, sorted(set(counts) - kept)
