"""Each test gets a real database, migrated by Alembic and loaded with the seed story: a SQLite
file, or, in the modules marked ``both_backends``, also a fresh PostgreSQL database on the server
that TEST_POSTGRES_URL names (`.ci/run` starts one)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.bootstrap import prepare_database
from app.db import database_url as parse_url
from app.main import create_app
from app.settings import ROOT, Settings

SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
GOLD_PATH = SHARED / "eval" / "seed_gold.json"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()
BACKENDS = ("sqlite", "postgres")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "both_backends: runs each test on SQLite and on PostgreSQL"
    )


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new empty database on the test server, dropped afterwards."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL must be set in CI (.ci/run starts a PostgreSQL)")
        pytest.skip("TEST_POSTGRES_URL is not set: start a PostgreSQL (see .ci/postgres.sh)")
    name = f"provenance_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(parse_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield parse_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with postgres_database() as url:
        yield url


def make_settings(tmp_path: Path, database_url: str | None = None, **overrides) -> Settings:
    values = {
        "database_url": database_url or f"sqlite:///{tmp_path / 'test.db'}",
        "seeds_dir": SEEDS,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
def engine(settings: Settings):
    engine, _report = prepare_database(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def client(settings: Settings, engine) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def gold() -> dict:
    """The labelled seed sentences (spans and claims), read from ../shared when present."""
    if not GOLD_PATH.exists():
        pytest.skip("../shared/eval/seed_gold.json is not beside the repository")
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))
