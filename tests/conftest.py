"""Each test gets a real SQLite file, migrated by Alembic and loaded with the seed story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.bootstrap import prepare_database
from app.main import create_app
from app.settings import ROOT, Settings

SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
GOLD_PATH = SHARED / "eval" / "seed_gold.json"


def make_settings(tmp_path: Path, **overrides) -> Settings:
    values = {"database_url": f"sqlite:///{tmp_path / 'test.db'}", "seeds_dir": SEEDS}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def engine(settings: Settings):
    engine, _report = prepare_database(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def client(settings: Settings, engine) -> TestClient:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="session")
def gold() -> dict:
    """The labelled seed sentences (spans and claims), read from ../shared when present."""
    if not GOLD_PATH.exists():
        pytest.skip("../shared/eval/seed_gold.json is not beside the repository")
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))
