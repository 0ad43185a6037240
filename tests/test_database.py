"""Schema, migrations and the seed story's first and second start."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, text
from sqlmodel import Session, SQLModel, select

import app.models  # noqa: F401
from app.bootstrap import prepare_database
from app.db import make_engine
from app.migrate import alembic_config, upgrade
from app.models import Article, AuditEntry, Claim, Decision, Link, Sentence, Story
from app.search import is_model_object
from app.settings import ROOT, documented_fields
from tests.conftest import make_settings

pytestmark = pytest.mark.both_backends


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Story, Article, Sentence, Claim)
        }


def test_migrations_upgrade_an_empty_database(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    assert {"story", "article", "sentence", "claim", "link", "embedding"} <= set(
        inspect(engine).get_table_names()
    )


def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": is_model_object})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


#: At 0005: story 1 abandoned (no article, induced claims, one linked from story 3's sentence),
#: story 2 with a dossier and no article yet, story 3 an ordinary story, story 4 abandoned bare.
_BEFORE_0006 = (
    "INSERT INTO story (id, slug, title, created_at, updated_at, revision) VALUES "
    "(1, 'gone', 'Abandoned story', '2024-11-25 10:00:00', '2024-11-25 10:00:00', 0), "
    "(2, 'dossier', 'Dossier awaiting coverage', '2024-11-25 10:00:00', "
    "'2024-11-25 10:00:00', 0), "
    "(3, 'normal', 'Covered story', '2024-11-25 10:00:00', '2024-11-25 10:00:00', 0), "
    "(4, 'bare', 'Bare story', '2024-11-25 10:00:00', '2024-11-25 10:00:00', 0)",
    "INSERT INTO article (id, story_id, source, raw, text, content_hash, created_at, language, "
    "role, format) VALUES (1, 3, 'a.txt', 'Ferries stopped.', 'Ferries stopped.', 'h1', "
    "'2024-11-26 10:00:00', 'en', 'derivative', 'text')",
    "INSERT INTO sentence (id, article_id, \"index\", start, \"end\", kind, text) "
    "VALUES (1, 1, 0, 0, 16, 'content', 'Ferries stopped.')",
    "INSERT INTO claim (id, story_id, key, position, text, language, source) VALUES "
    "(1, 1, 'S1', 0, 'An induced claim.', 'en', 'induced'), "
    "(2, 1, 'S2', 1, 'Another induced claim.', 'en', 'induced'), "
    "(3, 2, 'D1', 0, 'A dossier claim.', 'en', 'dossier'), "
    "(4, 3, 'S1', 0, 'Ferries stopped.', 'en', 'induced')",
    "INSERT INTO link (id, sentence_id, claim_id, score, decided_by, created_at) VALUES "
    "(1, 1, 4, 0.9, 'model', '2024-11-26 10:00:00'), "
    "(2, 1, 1, 0.5, 'model', '2024-11-26 10:00:00')",
    "INSERT INTO decision (id, sentence_id, claim_key, verdict, editor, created_at) "
    "VALUES (1, 1, 'S1', 'confirm', 'Ann', '2024-11-26 11:00:00')",
)


def test_the_upgrade_deletes_abandoned_stories_and_keeps_a_dossier_without_articles(
    database_url,
):
    engine = make_engine(database_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005_story_search")
        for statement in _BEFORE_0006:
            conn.execute(text(statement))
    upgrade(engine)
    with Session(engine) as session:
        def ids(model) -> list[int]:
            return sorted(session.exec(select(model.id)).all())

        assert ids(Story) == [2, 3]
        assert ids(Claim) == [3, 4], "the abandoned story's induced claims go with it"
        assert ids(Link) == [1], "so does the link to one of them"
        assert (ids(Article), ids(Sentence), ids(Decision)) == ([1], [1], [1])
        notes = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(n.editor, n.action, n.article_id) for n in notes] == [
        ("database upgrade", "delete story", None)
    ] * 2
    assert notes[0].summary.startswith("Deleted the story “Abandoned story” (story 1)")
    assert notes[0].summary.endswith("with its 2 claims induced from its coverage")
    assert "“Bare story” (story 4)" in notes[1].summary
    engine.dispose()


def test_first_start_loads_one_story_five_articles_and_the_dossier(engine):
    assert counts(engine) == {"Story": 1, "Article": 5, "Sentence": 128, "Claim": 24}


def test_second_start_loads_nothing_twice(settings, engine):
    before = counts(engine)
    _engine, report = prepare_database(settings)
    assert not report.changed
    assert counts(_engine) == before


def test_without_the_dossier_the_story_starts_with_no_dossier_claims(tmp_path, database_url):
    engine, _ = prepare_database(make_settings(tmp_path, database_url, seed_dossier=False))
    with Session(engine) as session:
        sources = session.exec(select(Claim.source)).all()
    assert "dossier" not in sources


def test_a_broken_database_url_stops_the_server_with_one_clear_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--port", "8799"],
        env={"DATABASE_URL": "postgresql+nosuchdriver://x", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("provenance: ") and "DATABASE_URL" in lines[0]


def test_an_unreachable_database_file_stops_with_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "app", "migrate"],
        env={"DATABASE_URL": f"sqlite:///{blocker}/sub/x.db", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "database" in result.stderr


def test_every_setting_has_help_text():
    assert all(help_text.strip() for help_text in documented_fields().values())
