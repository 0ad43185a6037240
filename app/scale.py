"""Putting a synthetic corpus (app.corpus) into a database, the way a newsroom would: each story
with its dossier of claims, then its articles through the bulk import."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, insert
from sqlmodel import select

from app.bulk import BulkItem
from app.corpus import Corpus, StorySpec
from app.db import write_session
from app.ingest import ArticleInput
from app.models import Claim, Story


def add_stories(engine: Engine, stories: list[StorySpec]) -> dict[int, int]:
    """Create the stories that are missing, each with its dossier; returns story number -> id."""
    with write_session(engine) as session:
        slugs = [s.slug for s in stories]
        have = dict(session.exec(select(Story.slug, Story.id).where(Story.slug.in_(slugs))).all())
        for spec in stories:
            if spec.slug in have:
                continue
            story = Story(slug=spec.slug, title=spec.title, origin_outlet="Synthetic Wire")
            session.add(story)
            session.flush()
            have[spec.slug] = story.id
            session.exec(
                insert(Claim),
                params=[
                    {
                        "story_id": story.id, "key": f"K{i + 1:02d}", "position": i,
                        "text": text, "language": "en", "source": "dossier",
                    }
                    for i, text in enumerate(spec.claims)
                ],
            )
    return {s.number: have[s.slug] for s in stories}


def corpus_items(
    corpus: Corpus, story_ids: dict[int, int], start: int, stop: int, matched: bool = False
) -> Iterator[BulkItem]:
    """Articles ``start`` to ``stop`` as bulk items, each in its story, or with ``matched``
    left for the import to match to a story."""
    for spec in corpus.articles(start, stop):
        yield BulkItem(
            name=f"article {spec.number}",
            item=article_input(spec),
            story_id=None if matched else story_ids[spec.story],
        )


def article_input(spec) -> ArticleInput:
    return ArticleInput(
        raw=spec.text, text=spec.text, source=f"synthetic-{spec.number:06d}.txt",
        outlet=spec.outlet, title=spec.title, published=spec.published, language="en",
    )
