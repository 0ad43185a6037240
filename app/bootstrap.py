"""Everything a start needs before serving: the schema, then the seed story on first start."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from app.audit import FIRST_START, record
from app.db import check_connection, make_engine, write_session
from app.linker import Linker
from app.migrate import upgrade
from app.models import Story
from app.seeds import SeedReport, load_seed_story
from app.settings import Settings, link_params

log = logging.getLogger(__name__)


def prepare_database(
    settings: Settings, linker: Linker | None = None
) -> tuple[Engine, SeedReport | None]:
    """Migrate the database and load the seed story if it is missing; safe to run every start.
    The story is linked in the same transaction, so a start never leaves it half linked."""
    engine = make_engine(settings.database_url)
    check_connection(engine)
    upgrade(engine)
    report = None
    if settings.load_seeds and (settings.seeds_dir / "manifest.json").exists():
        with write_session(engine) as session:
            report = load_seed_story(session, settings.seeds_dir, settings.seed_dossier)
            if report.changed:
                story = session.get(Story, report.story_id)
                (linker or Linker(params=link_params(settings))).relink_story(session, story)
                record(
                    session, FIRST_START, "seed",
                    f"Loaded the seed story: {report.articles_added} articles, "
                    f"{report.claims_added} claims",
                )
        if report.changed:
            log.info(
                "seed story: %d articles and %d claims added",
                report.articles_added, report.claims_added,
            )
    return engine, report
