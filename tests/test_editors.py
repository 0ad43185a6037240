"""Writes need an editor: reading is open, every write is refused without an account, signed in
editors write through forms (with CSRF tokens) and tokens, and every write is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import _local_signin_link, cli
from app.db import write_session
from app.editors import add_editor, check_password, editor_for, issue
from app.models import AuditEntry, Credential, Decision, Editor, Sentence
from app.settings import get_settings
from app.web.throttle import PER_CLIENT, PER_NAME
from tests.conftest import EDITOR, PASSWORD, csrf_token, sign_in
from tests.test_upload import COVERAGE, counts


def writes(engine) -> dict[str, int]:
    return counts(engine) | {"audit": len(audit(engine))}


def audit(engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)).all())


# --- open reading, refused anonymous writes ---------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/outlets", "/articles/1", "/claims/1", "/api/articles"])
def test_reading_needs_no_account(anonymous, path):
    assert anonymous.get(path).status_code == 200


def test_anonymous_api_writes_are_refused_with_401_and_write_nothing(anonymous, engine):
    before = writes(engine)
    attempts = [
        anonymous.post("/api/articles", json={"text": COVERAGE}),
        anonymous.patch("/api/articles/1", json={"outlet": "Hijacked"}),
        anonymous.delete("/api/articles/1"),
        anonymous.post(
            "/api/sentences/1/decisions", json={"claim_key": "LM01", "verdict": "reject"}
        ),
    ]
    for response in attempts:
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == "Bearer"
        assert "editor" in response.json()["detail"]
    assert writes(engine) == before


def test_anonymous_form_posts_lead_to_the_sign_in_page_and_write_nothing(anonymous, engine):
    before = writes(engine)
    for path, data in [
        ("/upload", {"text": COVERAGE}),
        ("/articles/1/metadata", {"outlet": "Hijacked"}),
        ("/articles/1/delete", {}),
        ("/sentences/1/decisions", {"claim_key": "LM01", "verdict": "reject"}),
    ]:
        response = anonymous.post(path, data=data, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/signin?next={path}"
    assert writes(engine) == before


def test_anonymous_pages_offer_sign_in_instead_of_forms(anonymous):
    upload = anonymous.get("/upload").text
    assert 'action="/upload"' not in upload and "/signin?next=/upload" in upload
    article = anonymous.get("/articles/1?sentence=1").text
    assert "/metadata" not in article and "/decisions" not in article and "/delete" not in article
    assert "Sign in" in article


def test_a_bad_token_is_refused_even_beside_a_valid_session_cookie(signed_in, engine):
    before = writes(engine)
    response = signed_in.patch(
        "/api/articles/1", json={"outlet": "Hijacked"}, headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401
    assert writes(engine) == before


# --- signing in and out ---------------------------------------------------------------------


def test_signing_in_sets_a_secure_http_only_session_cookie(anonymous, engine):
    with write_session(engine) as session:
        add_editor(session, EDITOR, PASSWORD)
    response = anonymous.post(
        "/signin",
        data={"csrftoken": csrf_token(anonymous), "name": EDITOR, "password": PASSWORD,
              "next": "/upload"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/upload"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("provenance_session=")
    ).lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    page = anonymous.get("/upload").text
    assert f"Signed in as <strong>{EDITOR}</strong>" in page and 'action="/upload"' in page
    with Session(engine) as session:
        stored = session.exec(select(Credential.secret_hash)).all()
    secret = anonymous.cookies["provenance_session"]
    assert secret not in stored  # only its digest is kept


def test_a_wrong_password_signs_nobody_in(anonymous, engine):
    with write_session(engine) as session:
        add_editor(session, EDITOR, PASSWORD)
    response = anonymous.post(
        "/signin",
        data={"csrftoken": csrf_token(anonymous), "name": EDITOR, "password": "wrong password"},
    )
    assert response.status_code == 401
    assert "do not match" in response.text
    assert "provenance_session" not in anonymous.cookies


def _try(client, name: str, password: str):
    return client.post(
        "/signin", data={"csrftoken": csrf_token(client), "name": name, "password": password},
        follow_redirects=False,
    )


def test_repeated_wrong_passwords_lock_the_name_even_against_the_right_one(anonymous, engine):
    with write_session(engine) as session:
        add_editor(session, EDITOR, PASSWORD)
        add_editor(session, "Ann", PASSWORD)
    for _ in range(PER_NAME):
        assert _try(anonymous, EDITOR, "guess").status_code == 401
    locked = _try(anonymous, EDITOR.upper(), PASSWORD)
    assert locked.status_code == 429
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert "Too many failed sign-ins" in locked.text
    assert "provenance_session" not in anonymous.cookies
    # another editor on the same address is not locked out by someone else's failures
    assert _try(anonymous, "Ann", PASSWORD).status_code == 303


def test_a_successful_sign_in_clears_the_names_failures(anonymous, engine):
    with write_session(engine) as session:
        add_editor(session, EDITOR, PASSWORD)
    for _ in range(PER_NAME - 1):
        assert _try(anonymous, EDITOR, "guess").status_code == 401
    assert _try(anonymous, EDITOR, PASSWORD).status_code == 303
    anonymous.cookies.clear()
    for _ in range(PER_NAME - 1):
        assert _try(anonymous, EDITOR, "guess").status_code == 401
    assert _try(anonymous, EDITOR, PASSWORD).status_code == 303


def test_one_address_trying_many_names_is_throttled(anonymous, engine):
    with write_session(engine) as session:
        add_editor(session, EDITOR, PASSWORD)
    for n in range(PER_CLIENT):
        assert _try(anonymous, f"nobody{n}", "guess").status_code == 401
    assert _try(anonymous, EDITOR, PASSWORD).status_code == 429


def test_passwords_are_stored_as_argon2id_hashes(engine):
    with write_session(engine) as session:
        editor = add_editor(session, "Ann", PASSWORD)
        assert editor.password_hash.startswith("$argon2id$")
        assert PASSWORD not in editor.password_hash
        assert check_password(session, "Ann", PASSWORD).id == editor.id
        assert check_password(session, "Ann", PASSWORD + "x") is None
        assert check_password(session, "Nobody", PASSWORD) is None


def test_after_signing_out_the_old_cookie_is_worthless(signed_in, engine):
    secret = signed_in.cookies["provenance_session"]
    token = csrf_token(signed_in, "/upload")
    response = signed_in.post("/signout", data={"csrftoken": token}, follow_redirects=False)
    assert response.status_code == 303
    with Session(engine) as session:
        assert editor_for(session, secret, "session") is None
    signed_in.cookies.set("provenance_session", secret)
    assert "Sign in" in signed_in.get("/").text


def test_the_sign_in_form_itself_needs_its_csrf_token(anonymous, engine):
    with write_session(engine) as session:
        add_editor(session, EDITOR, PASSWORD)
    response = anonymous.post("/signin", data={"name": EDITOR, "password": PASSWORD})
    assert response.status_code == 403
    assert "provenance_session" not in anonymous.cookies


def test_a_one_time_link_signs_in_once(anonymous, engine):
    secret = _local_signin_link(engine)
    first = anonymous.get(f"/signin/{secret}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/upload"
    assert "Signed in as <strong>local</strong>" in anonymous.get("/upload").text
    anonymous.cookies.clear()
    again = anonymous.get(f"/signin/{secret}", follow_redirects=False)
    assert again.status_code == 403 and "already used or has expired" in again.text
    assert "provenance_session" not in anonymous.cookies


def test_an_expired_link_signs_nobody_in(anonymous, engine):
    secret = _local_signin_link(engine)
    with write_session(engine) as session:
        for credential in session.exec(select(Credential)).all():
            credential.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            session.add(credential)
    assert anonymous.get(f"/signin/{secret}", follow_redirects=False).status_code == 403


def test_the_local_editor_is_made_once_and_not_once_there_are_real_editors(engine):
    assert _local_signin_link(engine) != _local_signin_link(engine)
    with write_session(engine) as session:
        assert [e.name for e in session.exec(select(Editor)).all()] == ["local"]
        add_editor(session, "Ann")
    result = CliRunner().invoke(cli, ["editor", "remove", "local"], env=_env(engine))
    assert result.exit_code == 0, result.output
    assert _local_signin_link(engine) is None


def test_next_never_leads_to_another_site(anonymous, engine):
    with write_session(engine) as session:
        add_editor(session, EDITOR, PASSWORD)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = anonymous.post(
            "/signin",
            data={"csrftoken": csrf_token(anonymous), "name": EDITOR, "password": PASSWORD,
                  "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


# --- CSRF -------------------------------------------------------------------------------------


def test_a_signed_in_form_post_without_its_csrf_token_is_403_and_writes_nothing(signed_in, engine):
    before = writes(engine)
    for data in ({}, {"csrftoken": "forged"}):
        for path, fields in [
            ("/articles/1/metadata", {"outlet": "Forged"}),
            ("/articles/1/delete", {}),
            ("/sentences/1/decisions", {"claim_key": "LM01", "verdict": "reject"}),
        ]:
            response = signed_in.post(path, data=data | fields, headers={"accept": "text/html"})
            assert response.status_code == 403, path
            assert "Nothing was saved" in response.text or "nothing was saved" in response.text
        upload = signed_in.post(
            "/upload", data=data | {"text": COVERAGE}, files={"file": ("a.txt", b"")}
        )
        assert upload.status_code == 403
    assert writes(engine) == before


def test_forms_with_their_csrf_token_write_and_record_the_editor(signed_in, engine):
    token = csrf_token(signed_in, "/upload")
    response = signed_in.post(
        "/upload", data={"csrftoken": token, "text": COVERAGE, "outlet": "Test Gazette"},
        files={"file": ("", b"")}, follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    article_id = int(response.headers["location"].split("/")[2].split("?")[0])
    page = signed_in.get(f"/articles/{article_id}").text
    assert 'name="csrftoken"' in page
    token = csrf_token(signed_in, f"/articles/{article_id}")
    edited = signed_in.post(
        f"/articles/{article_id}/metadata", data={"csrftoken": token, "outlet": "Kyiv Post"},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    with Session(engine) as session:
        sentence = session.exec(
            select(Sentence).where(Sentence.article_id == article_id, Sentence.kind == "content")
        ).first()
    decided = signed_in.post(
        f"/sentences/{sentence.id}/decisions",
        data={"csrftoken": token, "claim_key": "LM01", "verdict": "confirm"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    with Session(engine) as session:
        decision = session.exec(select(Decision).where(Decision.sentence_id == sentence.id)).one()
    assert decision.editor == EDITOR
    entries = [(e.editor, e.action) for e in audit(engine) if e.article_id == article_id]
    assert entries == [(EDITOR, "upload"), (EDITOR, "edit"), (EDITOR, "decision")]
    history = signed_in.get(f"/articles/{article_id}").text
    assert "History" in history and "Changed outlet to “Kyiv Post”" in history
    assert "Confirmed LM01" in history and f"<strong>{EDITOR}</strong>" in history


def test_api_calls_with_a_session_cookie_need_the_csrf_header(signed_in, engine):
    refused = signed_in.patch("/api/articles/1", json={"outlet": "Forged"})
    assert refused.status_code == 403
    token = csrf_token(signed_in, "/upload")
    accepted = signed_in.patch(
        "/api/articles/1", json={"outlet": "Real"}, headers={"x-csrftoken": token}
    )
    assert accepted.status_code == 200 and accepted.json()["outlet"] == "Real"


# --- tokens, audit log, deletion ------------------------------------------------------------


def test_api_writes_record_who_when_and_what(client, engine):
    started = dt.datetime.now(dt.UTC)
    created = client.post("/api/articles", json={"text": COVERAGE, "outlet": "Gazette"}).json()
    article_id = created["article_id"]
    client.patch(f"/api/articles/{article_id}", json={"title": "A new title"})
    client.post("/api/sentences/1/decisions", json={"claim_key": "LM01", "verdict": "reject"})
    entries = [e for e in audit(engine) if e.action != "seed"]
    assert [(e.editor, e.action) for e in entries] == [
        (EDITOR, "upload"), (EDITOR, "edit"), (EDITOR, "decision")
    ]
    assert all(started <= e.at.replace(tzinfo=dt.UTC) <= dt.datetime.now(dt.UTC) for e in entries)
    assert "A new title" in entries[1].summary
    with Session(engine) as session:
        assert session.exec(select(Decision)).one().editor == EDITOR


def test_loading_the_seed_story_on_the_first_start_is_recorded(engine):
    [entry] = audit(engine)
    assert (entry.editor, entry.action, entry.article_id) == ("first start", "seed", None)
    assert "5 articles" in entry.summary


def test_deleting_an_article_removes_everything_of_it_in_one_go(client, engine):
    created = client.post("/api/articles", json={"text": COVERAGE}).json()
    article_id = created["article_id"]
    sentence_id = client.get(f"/api/articles/{article_id}").json()["sentences"][0]["id"]
    client.post(
        f"/api/sentences/{sentence_id}/decisions", json={"claim_key": "LM01", "verdict": "confirm"}
    )
    with Session(engine) as session:
        assert session.exec(select(Decision)).all()
    response = client.delete(f"/api/articles/{article_id}")
    assert response.status_code == 204
    assert client.get(f"/api/articles/{article_id}").status_code == 404
    with Session(engine) as session:
        assert session.exec(select(Sentence).where(Sentence.article_id == article_id)).all() == []
        assert session.exec(select(Decision)).all() == []
    assert audit(engine)[-1].action == "delete" and audit(engine)[-1].article_id == article_id
    assert client.delete(f"/api/articles/{article_id}").status_code == 404
    again = client.post("/api/articles", json={"text": COVERAGE})
    assert again.status_code == 201


def test_deleting_through_the_article_page(signed_in, engine):
    token = csrf_token(signed_in, "/articles/2")
    response = signed_in.post("/articles/2/delete", data={"csrftoken": token, "confirm": "yes"})
    assert response.status_code == 200
    assert "The article was deleted" in response.text
    assert signed_in.get("/articles/2").status_code == 404
    assert audit(engine)[-1].editor == EDITOR


def test_a_removed_editors_token_stops_working(client, engine):
    assert client.patch("/api/articles/1", json={"outlet": "A"}).status_code == 200
    result = CliRunner().invoke(cli, ["editor", "remove", EDITOR], env=_env(engine))
    assert result.exit_code == 0, result.output
    assert client.patch("/api/articles/1", json={"outlet": "B"}).status_code == 401


def _env(engine) -> dict[str, str]:
    get_settings.cache_clear()
    return {"DATABASE_URL": str(engine.url), "LOAD_SEEDS": "false"}


def test_editor_commands_add_list_token_link_and_remove(engine, anonymous):
    runner = CliRunner()
    env = _env(engine) | {"PROVENANCE_PASSWORD": PASSWORD}
    try:
        added = runner.invoke(cli, ["editor", "add", "Bea"], env=env)
        assert added.exit_code == 0, added.output
        twice = runner.invoke(cli, ["editor", "add", "Bea"], env=env)
        assert twice.exit_code == 2 and "already" in twice.output
        assert "Bea\tpassword" in runner.invoke(cli, ["editor", "list"], env=env).output
        token = runner.invoke(cli, ["editor", "token", "Bea"], env=env).output.strip()
        response = anonymous.patch(
            "/api/articles/1", json={"outlet": "X"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200
        link = runner.invoke(cli, ["editor", "link", "Bea"], env=env).output.strip()
        assert link.startswith("http://127.0.0.1:8000/signin/")
        assert anonymous.get(link.removeprefix("http://127.0.0.1:8000")).status_code == 200
        sign_in(anonymous, "Bea", PASSWORD)
        env["PROVENANCE_PASSWORD"] = PASSWORD + "!"
        assert runner.invoke(cli, ["editor", "password", "Bea"], env=env).exit_code == 0
        sign_in(anonymous, "Bea", PASSWORD + "!")
        assert runner.invoke(cli, ["editor", "token", "Nobody"], env=env).exit_code == 2
        assert runner.invoke(cli, ["editor", "remove", "Bea"], env=env).exit_code == 0
        with Session(engine) as session:
            assert session.exec(select(Credential)).all() == []
    finally:
        get_settings.cache_clear()


def test_a_token_is_shown_once_and_stored_only_as_a_digest(engine):
    with write_session(engine) as session:
        secret = issue(session, add_editor(session, "Cy"), "token")
    with Session(engine) as session:
        stored = session.exec(select(Credential)).one()
        assert stored.secret_hash != secret and len(stored.secret_hash) == 64
        assert editor_for(session, secret, "token").name == "Cy"
        assert editor_for(session, secret, "session") is None
