"""Each test gets a real SQLite file, migrated by Alembic and loaded with the seed story.

`client` writes as the editor EDITOR through an API token (so forms and API alike work as they
would for a script); `anonymous` is a browser-like client with no account, and `signed_in` one
that signed in through the sign-in form and must send CSRF tokens (see `csrf_token`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.bootstrap import prepare_database
from app.db import write_session
from app.editors import add_editor, find_editor, issue, set_password
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


EDITOR = "Test Editor"
PASSWORD = "correct horse battery"
_CSRF_FIELD = re.compile(r'name="csrftoken" value="([^"]+)"')


@pytest.fixture
def editor_token(engine) -> str:
    """An API token of the editor EDITOR, who has no password (hashing one takes time)."""
    with write_session(engine) as session:
        return issue(session, add_editor(session, EDITOR), "token")


@pytest.fixture
def client(settings: Settings, engine, editor_token: str) -> TestClient:
    headers = {"Authorization": f"Bearer {editor_token}"}
    with TestClient(create_app(settings), headers=headers) as client:
        yield client


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
