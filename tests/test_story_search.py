"""Searching a story through the database's full-text index, and the kept shares stored with
each link, on SQLite and PostgreSQL: after the migration, after uploads and deletions."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import Session, select

from app.db import make_engine, write_session
from app.migrate import alembic_config, upgrade
from app.models import Article, Claim, Link, Sentence, Story
from app.search import story_hits
from app.text.diff import kept_share, similarity
from app.text.search import fts5_query, terms, tsquery
from app.views.common import same_language
from tests.test_upload import ORIGIN

pytestmark = pytest.mark.both_backends

DATA = Path(__file__).parent / "data"
COVERAGE = (DATA / "coverage_en.txt").read_text(encoding="utf-8")
HOSTILE = [
    '"', '"unbalanced', "*", "-", "- -x", "NEAR(a b)", "NEAR", "(((", ")", "a OR b", "AND",
    "^x", "'; DROP TABLE sentence; --", ":", "text:x", "{text}:x", "\\", "%", "_", "\x00",
    "x" * 300, "troops*", '"troops"', "-troops", "troops:*", "!troops", "troops & ukraine",
    "<->", "ukraine <-> troops", "🙂", "Noël's",
]


def _search(client, story_id, q):
    response = client.get(f"/stories/{story_id}.json", params={"q": q})
    assert response.status_code == 200, (q, response.text[:300])
    return response.json()


def test_existing_sentences_and_links_are_indexed_by_the_migration(database_url):
    engine = make_engine(database_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004_story_revision")
        conn.execute(text(
            "INSERT INTO story (id, slug, title, created_at, revision) "
            "VALUES (1, 's', 'Old story', '2024-11-25 10:00:00', 0)"
        ))
        conn.execute(text(
            "INSERT INTO article (id, story_id, source, raw, text, content_hash, created_at, "
            "language, role, format) VALUES (1, 1, 'a.txt', 'x', 'x', 'h1', "
            "'2024-11-26 10:00:00', 'en', 'derivative', 'text')"
        ))
        for sid, body in ((1, "Jean-Noël Barrot spoke of red lines."), (2, "Nothing else.")):
            conn.execute(text(
                "INSERT INTO sentence (id, article_id, \"index\", start, \"end\", kind, text) "
                "VALUES (:id, 1, :id, 0, 1, 'content', :text)"
            ), {"id": sid, "text": body})
        conn.execute(text(
            "INSERT INTO claim (id, story_id, key, position, text, language, source) "
            "VALUES (1, 1, 'C1', 0, 'Barrot spoke of red lines.', 'en', 'dossier')"
        ))
        conn.execute(text(
            "INSERT INTO link (sentence_id, claim_id, score, decided_by, created_at) "
            "VALUES (1, 1, 0.9, 'model', '2024-11-26 10:00:00')"
        ))
    upgrade(engine)
    with Session(engine) as session:
        hits, total, _ = story_hits(session, 1, "noel")
        assert total == 1 and [h.sentence_id for h in hits] == [1]
        assert story_hits(session, 1, "red line")[1] == 1
        assert story_hits(session, 1, "lines red")[1] == 0
        link = session.exec(select(Link)).one()
        assert link.kept == pytest.approx(
            similarity("Barrot spoke of red lines.", "Jean-Noël Barrot spoke of red lines.")
        )
        updated = session.exec(text("SELECT updated_at FROM story")).one()[0]
        assert str(updated).startswith("2024-11-26")
    engine.dispose()


def test_an_upload_is_searchable_at_once_and_a_deleted_article_leaves_the_index(client, engine):
    marked = COVERAGE + "\n\nThe Zorglubian envoy said nothing of the plan.\n"
    body = client.post("/api/articles", json={"text": marked, "outlet": "Gazette"}).json()
    story = body["story_id"]
    found = _search(client, story, "zorglubian")
    assert found["hit_total"] == 1
    assert found["hits"][0]["article_id"] == body["article_id"]
    assert _search(client, story, "ZORGLUB")["hit_total"] == 1  # the last word is a prefix
    assert client.delete(f"/api/articles/{body['article_id']}").status_code == 204
    assert _search(client, story, "zorglubian")["hit_total"] == 0
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:  # raises if the index and the sentences disagree
            conn.execute(text("INSERT INTO sentence_fts(sentence_fts) VALUES ('integrity-check')"))


def test_hostile_search_strings_are_words_never_syntax(client, engine):
    story = client.get("/index.json").json()["story"]["id"]
    plain = _search(client, story, "troops")
    assert plain["hit_total"] > 0
    for q in HOSTILE:
        data = _search(client, story, q)
        assert data["hit_total"] >= len(data["hits"])
        assert client.get("/", params={"q": q}).status_code == 200
    for q in ('"troops"', "troops*", "-troops", "!troops", "troops:*"):
        assert _search(client, story, q)["hit_total"] == plain["hit_total"], q


def test_a_search_lists_the_first_hits_and_counts_them_all(client):
    story = client.get("/index.json").json()["story"]["id"]
    data = _search(client, story, "the")
    assert data["hit_total"] > 60 and len(data["hits"]) == 60
    order = [(h["article_id"], h["sentence_id"]) for h in data["hits"]]
    assert order == sorted(order)
    csv = client.get(f"/stories/{story}/sentences.csv", params={"q": "the"}).text
    assert len(csv.strip().splitlines()) == data["hit_total"] + 1


def test_kept_shares_are_stored_with_every_link_the_linker_writes(engine):
    _assert_kept_stored(engine)


def test_origin_uploads_and_editor_decisions_store_kept_shares_too(client, engine):
    origin = client.post(
        "/api/articles", json={"text": ORIGIN, "role": "origin", "story_id": 1, "outlet": "LM"}
    )
    assert origin.status_code == 201, origin.text
    article = client.post("/api/articles", json={"text": COVERAGE}).json()
    sentences = client.get(f"/api/articles/{article['article_id']}").json()["sentences"]
    bare = next(s for s in sentences if not s["links"] and s["kind"] == "content")
    key = client.get("/api/claims?story_id=1").json()[0]["key"]
    decided = client.post(
        f"/api/sentences/{bare['id']}/decisions", json={"claim_key": key, "verdict": "confirm"}
    )
    assert decided.status_code in (200, 201), decided.text
    with Session(engine) as session:
        link = session.exec(select(Link).where(Link.sentence_id == bare["id"])).one()
    assert link.decided_by == "editor" and link.kept is not None
    _assert_kept_stored(engine)


def _assert_kept_stored(engine) -> None:
    with Session(engine) as session:
        rows = session.exec(
            select(Link, Claim, Sentence, Article)
            .join(Claim, Claim.id == Link.claim_id)
            .join(Sentence, Sentence.id == Link.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
        ).all()
    assert rows
    for link, claim, sentence, article in rows:
        expected = kept_share(claim.text, sentence.text, claim.language, article.language)
        assert link.kept == pytest.approx(expected) if expected is not None else link.kept is None


def test_story_page_kept_figures_equal_the_word_diff_of_each_wording(client, engine):
    """The figures the page used to compute by diffing every wording on every request."""
    story = client.get("/index.json").json()
    with Session(engine) as session:
        rows = session.exec(
            select(Claim, Sentence, Article)
            .join(Link, Link.claim_id == Claim.id)
            .join(Sentence, Sentence.id == Link.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .where(Claim.story_id == story["story"]["id"])
        ).all()
    shares: dict[str, list[float]] = {}
    for claim, sentence, article in rows:
        if sentence.id != claim.sentence_id and same_language(claim.language, article.language):
            shares.setdefault(claim.key, []).append(similarity(claim.text, sentence.text))
    shown = {c["key"]: c["kept_percent"] for c in story["claims"]}
    assert any(v is not None for v in shown.values())
    for key, percent in shown.items():
        values = shares.get(key)
        if values is None:
            assert percent is None, key
        else:  # the database sums in its own order: a mean on a .5 may round either way
            assert abs(percent - 100 * sum(values) / len(values)) <= 0.5 + 1e-9, key


def test_a_language_correction_recomputes_the_kept_shares(client, engine):
    body = client.post("/api/articles", json={"text": COVERAGE, "outlet": "Gazette"}).json()
    article_id = body["article_id"]

    def kept() -> list[float | None]:
        with Session(engine) as session:
            return session.exec(
                select(Link.kept).join(Sentence, Sentence.id == Link.sentence_id)
                .where(Sentence.article_id == article_id)
            ).all()

    assert kept() and all(k is not None for k in kept())
    assert client.patch(f"/api/articles/{article_id}", json={"language": "fr"}).status_code == 200
    assert all(k is None for k in kept())


def test_query_words_are_quoted_for_each_engine():
    words = terms('Jean-Noël "NEAR" (red* lines')
    assert words == ["jean", "noel", "near", "red", "lines"]
    assert fts5_query(words) == '"jean noel near red lines"*'
    assert tsquery(words) == "jean <-> noel <-> near <-> red <-> lines:*"
    assert terms('"*-()') == []


def test_story_titles_are_found_without_case_or_accents(client, engine):
    with write_session(engine) as session:
        session.add(Story(slug="ferry", title="Ferry strike in GDAŃSK ends"))
        session.add(Story(slug="percent", title="A 100% rise"))
    for q in ("gdansk", "GDAŃSK", "Gdańsk ends"):
        found = client.get("/stories.json", params={"q": q}).json()
        assert [s["title"] for s in found["stories"]] == ["Ferry strike in GDAŃSK ends"], q
    assert client.get("/stories.json", params={"q": "100%"}).json()["total"] == 1
    assert client.get("/stories.json", params={"q": "1_0"}).json()["total"] == 0
