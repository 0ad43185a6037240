"""Schema, migrations and the seed story's first and second start."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect
from sqlmodel import Session, SQLModel, select

import app.models  # noqa: F401
from app.bootstrap import prepare_database
from app.db import make_engine
from app.migrate import upgrade
from app.models import Article, Claim, Sentence, Story
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
