"""Schemathesis against the OpenAPI schema: generated requests, valid and invalid, as an editor
and as nobody, never get a 5xx or an answer that breaks the schema.

(The operations are walked in one test, because schemathesis' pytest fixture loader does not
run under this pytest; the generation and the checks are schemathesis' own.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from app.bootstrap import prepare_database
from app.db import write_session
from app.editors import add_editor, issue
from app.main import create_app
from tests.conftest import make_settings

pytestmark = pytest.mark.slow

WRITES = {"POST", "PATCH", "DELETE", "PUT"}
#: Per operation and mode; uploads run the real linking, so the writes are bounded hardest.
EXAMPLES = {"read": 25, "write": 10}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One seeded database and app for all operations, with an editor token for the writes."""
    app_settings = make_settings(tmp_path_factory.mktemp("fuzz"))
    engine, _ = prepare_database(app_settings)
    with write_session(engine) as session:
        token = issue(session, add_editor(session, "Fuzzer"), "token")
    yield create_app(app_settings), token
    engine.dispose()


def operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 9
    return found


def _run(operation, mode: GenerationMode, check) -> None:
    kind = "write" if operation.method.upper() in WRITES else "read"

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[kind], deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        check(case)

    try:
        run()
    except Unsatisfiable:  # no invalid request exists (an operation without parameters)
        assert mode is GenerationMode.NEGATIVE


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_answers_by_its_schema_and_never_with_a_5xx(api, mode):
    app, token = api

    def check(case) -> None:
        # Schema-valid uploads may still be refused for their content (binary, no sentence, a
        # date that does not parse): documented 400, 415 and 422 answers, not failures.
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            excluded_checks=[positive_data_acceptance],
        )
        assert response.status_code < 500

    for operation in operations(app):
        _run(operation, mode, check)


def test_api_without_a_token_reads_but_never_writes(api):
    app, _token = api

    def check(case) -> None:
        response = case.call()
        if case.method.upper() in WRITES:
            assert response.status_code in (401, 422), (case.path, response.text)
        else:
            assert response.status_code < 500

    for operation in operations(app):
        _run(operation, GenerationMode.POSITIVE, check)
