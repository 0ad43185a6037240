"""Bulk import: many articles per transaction, one encoder call per batch, and the new articles
of each story linked together instead of one by one.

Each article goes through the same steps as an upload (duplicate check, segmentation, story,
storage; origin articles and stories whose claims are induced are handled exactly as an upload
handles them), but linking waits for the end of the batch: then the batch's new sentences and
their clauses are encoded in one call, and each story's new articles are linked in groups of
``LINK_GROUP``. A refused article is reported and skipped; a fault rolls back its whole batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.db import write_session
from app.ingest import ArticleInput, IngestError
from app.linker import LINK_GROUP, LINKABLE_KINDS, Linker
from app.linking.clauses import asides, split_clauses
from app.models import Sentence, Story
from app.uploads import add_article

#: Articles per transaction: large enough to batch the encoder and the writes, small enough that
#: a fault loses little work and readers see progress.
BATCH = 200


@dataclass
class BulkItem:
    """One article to import: already read (or a reason it could not be), and its story if
    known."""

    name: str
    item: ArticleInput | None = None
    story_id: int | None = None
    refusal: str | None = None


@dataclass
class BulkReport:
    added: int = 0
    duplicates: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    stories_created: int = 0
    sentences: int = 0


def import_items(
    engine: Engine,
    linker: Linker,
    items: Iterable[BulkItem],
    batch: int = BATCH,
    progress: Callable[[BulkItem], None] | None = None,
) -> BulkReport:
    """Import every item, ``batch`` articles per transaction; ``progress`` is called per item."""
    report = BulkReport()
    for chunk in _chunks(items, batch):
        with write_session(engine) as session:
            _import_batch(session, linker, chunk, report, progress)
    return report


def _import_batch(
    session: Session,
    linker: Linker,
    chunk: list[BulkItem],
    report: BulkReport,
    progress: Callable[[BulkItem], None] | None,
) -> None:
    pending: dict[int, list[int]] = defaultdict(list)
    for entry in chunk:
        if entry.refusal is not None:
            report.refused.append((entry.name, entry.refusal))
        else:
            try:
                result = add_article(session, linker, entry.item, entry.story_id, link_now=False)
            except IngestError as exc:
                report.refused.append((entry.name, exc.message))
            else:
                report.added += result.created
                report.duplicates += not result.created
                report.stories_created += result.story_created
                if result.created and not result.linked:
                    pending[result.story_id].append(result.article_id)
        if progress is not None:
            progress(entry)
    link_pending(session, linker, pending, report)


def link_pending(
    session: Session, linker: Linker, pending: dict[int, list[int]], report: BulkReport
) -> None:
    """Link the new articles of each story: one encoder call for all their sentences and
    clauses, then a few articles of a story at a time (or the whole story again when its
    claims are induced from its coverage)."""
    ids = [a for articles in pending.values() for a in articles]
    texts = list(
        session.exec(
            select(Sentence.text).where(
                Sentence.article_id.in_(ids), Sentence.kind.in_(LINKABLE_KINDS)
            )
        ).all()
    ) if ids else []
    report.sentences += len(texts)
    clauses = [c for t in texts for c in [*split_clauses(t), *asides(t)]]
    linker.cached(session).encode(list(dict.fromkeys(texts + clauses)))
    for story_id, articles in sorted(pending.items()):
        if linker.reinduces(session, story_id):
            linker.relink_story(session, session.get(Story, story_id))
            continue
        for group in _chunks(articles, LINK_GROUP):
            linker.link_articles(session, story_id, group)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
