"""Each test gets a real database, migrated by Alembic and loaded with the seed story: a SQLite
file, or, in the modules marked ``both_backends``, also a fresh PostgreSQL database on the server
that TEST_POSTGRES_URL names (`.ci/run` starts one).

`client` writes as the editor EDITOR through an API token (so forms and API alike work as they
would for a script); `anonymous` is a browser-like client with no account, and `signed_in` one
that signed in through the sign-in form and must send CSRF tokens (see `csrf_token`).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.bootstrap import prepare_database
from app.db import database_url as parse_url
from app.db import write_session
from app.editors import add_editor, find_editor, issue, set_password
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


EDITOR = "Test Editor"
PASSWORD = "correct horse battery"
_CSRF_FIELD = re.compile(r'name="csrftoken" value="([^"]+)"')


@pytest.fixture
def editor_token(engine) -> str:
    """An API token of the editor EDITOR, who has no password (hashing one takes time)."""
    with write_session(engine) as session:
        return issue(session, add_editor(session, EDITOR), "token")


@pytest.fixture
def client(settings: Settings, engine, editor_token: str) -> Iterator[TestClient]:
    app = create_app(settings)
    headers = {"Authorization": f"Bearer {editor_token}"}
    with TestClient(app, headers=headers) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def anonymous(settings: Settings, engine) -> TestClient:
    """No account; HTTPS so that the Secure cookies it is given come back."""
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        yield client


def csrf_token(client: TestClient, path: str = "/signin") -> str:
    """The CSRF token a form on ``path`` carries, as a browser would find it."""
    page = client.get(path)
    found = _CSRF_FIELD.search(page.text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str) -> None:
    response = client.post(
        "/signin",
        data={"csrftoken": csrf_token(client), "name": name, "password": password, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def signed_in(anonymous: TestClient, engine) -> TestClient:
    """A browser-like client signed in as EDITOR through the sign-in form."""
    with write_session(engine) as session:
        if find_editor(session, EDITOR) is None:
            add_editor(session, EDITOR)
        set_password(session, EDITOR, PASSWORD)
    sign_in(anonymous, EDITOR, PASSWORD)
    return anonymous


@pytest.fixture(scope="session")
def gold() -> dict:
    """The labelled seed sentences (spans and claims), read from ../shared when present."""
    if not GOLD_PATH.exists():
        pytest.skip("../shared/eval/seed_gold.json is not beside the repository")
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))
