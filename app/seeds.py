"""The seed story: five derivative articles, their manifest, and the origin dossier.

Loading is idempotent: articles are keyed by content hash and claims by their dossier key, so a
second start finds everything in place and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete
from sqlmodel import Session, select

from app.ingest import ArticleInput, store_article
from app.models import Article, Claim, Story
from app.story_index import story_changed


@dataclass
class SeedReport:
    story_id: int
    articles_added: int = 0
    claims_added: int = 0
    article_ids: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.articles_added or self.claims_added)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "story"


def read_dossier(seeds_dir: Path) -> dict:
    return json.loads((seeds_dir / "claims.json").read_text(encoding="utf-8"))


def read_manifest(seeds_dir: Path) -> list[dict]:
    return json.loads((seeds_dir / "manifest.json").read_text(encoding="utf-8"))["articles"]


def ensure_story(session: Session, dossier: dict) -> Story:
    slug = slugify(f"{dossier.get('origin_outlet', '')} {dossier.get('origin_date', '')}")
    story = session.exec(select(Story).where(Story.slug == slug)).first()
    if story is None:
        story = Story(
            slug=slug,
            title=dossier["story"],
            origin_outlet=dossier.get("origin_outlet"),
            origin_date=_date(dossier.get("origin_date")),
        )
        session.add(story)
        session.flush()
    return story


def load_seed_story(session: Session, seeds_dir: Path, with_dossier: bool = True) -> SeedReport:
    """Add whatever part of the seed story is missing, inside the caller's transaction."""
    dossier = read_dossier(seeds_dir)
    story = ensure_story(session, dossier)
    report = SeedReport(story_id=story.id)
    for entry in read_manifest(seeds_dir):
        raw = (seeds_dir / entry["file"]).read_text(encoding="utf-8")
        article, created = store_article(
            session,
            story,
            ArticleInput(
                raw=raw,
                text=raw,
                source=entry["file"],
                outlet=entry.get("outlet"),
                title=entry.get("title"),
                byline=entry.get("byline"),
                published=_date(entry.get("published")),
                language=entry.get("language"),
            ),
        )
        report.article_ids.append(article.id)
        report.articles_added += created
    if with_dossier:
        report.claims_added = add_dossier_claims(session, story, dossier)
    return report


def add_dossier_claims(session: Session, story: Story, dossier: dict) -> int:
    """Add the dossier's claims that the story lacks, keeping the dossier's keys and order.
    A dossier replaces claims that were induced from coverage."""
    session.exec(delete(Claim).where(Claim.story_id == story.id, Claim.source == "induced"))
    have = set(session.exec(select(Claim.key).where(Claim.story_id == story.id)).all())
    added = 0
    for position, item in enumerate(dossier["claims"]):
        if item["id"] in have:
            continue
        session.add(
            Claim(
                story_id=story.id,
                key=item["id"],
                position=position,
                text=item["text"],
                language=item.get("language", "en"),
                source="dossier",
            )
        )
        added += 1
    session.flush()
    story_changed(session, story.id)
    return added


def seed_article_ids(session: Session, seeds_dir: Path) -> dict[str, int]:
    """Seed file name -> article id, for the evaluation."""
    names = [entry["file"] for entry in read_manifest(seeds_dir)]
    rows = session.exec(select(Article).where(Article.source.in_(names))).all()
    return {a.source: a.id for a in rows}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
