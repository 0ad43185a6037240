"""Deleting a whole story, dossier and all: two steps through the story page's form, one through
the API; every row of the story goes in one transaction, nothing of another story does, and no
cache serves the story afterwards."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from app.models import Article, AuditEntry, Claim, Sentence, Story
from tests.conftest import EDITOR, csrf_token
from tests.test_pages import html, text_of
from tests.test_story_search import COVERAGE
from tests.test_story_wording import REWRITE, upload
from tests.test_upload import UNRELATED

SEED_TITLE = "Le Monde, 25 November 2024"
#: Each table's rows that belong to one story, counted without the application's code.
STORY_ROWS = {
    "story": "SELECT count(*) FROM story WHERE id = :s",
    "article": "SELECT count(*) FROM article WHERE story_id = :s",
    "sentence": "SELECT count(*) FROM sentence JOIN article ON article.id = sentence.article_id "
    "WHERE article.story_id = :s",
    "claim": "SELECT count(*) FROM claim WHERE story_id = :s",
    "link": "SELECT count(*) FROM link JOIN claim ON claim.id = link.claim_id "
    "WHERE claim.story_id = :s",
    "decision": "SELECT count(*) FROM decision JOIN sentence ON sentence.id = decision.sentence_id "
    "JOIN article ON article.id = sentence.article_id WHERE article.story_id = :s",
    "suggestion": "SELECT count(*) FROM suggestion JOIN claim ON claim.id = suggestion.claim_id "
    "WHERE claim.story_id = :s",
}


def table_counts(engine) -> dict[str, int]:
    """Rows of every table; the full-text index by its one row per indexed sentence (its other
    shadow tables hold segments whose row counts say nothing)."""
    names = [
        n for n in inspect(engine).get_table_names()
        if not n.startswith("sentence_fts") or n == "sentence_fts_docsize"
    ]
    with engine.connect() as conn:
        return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names}


def story_rows(engine, story_id: int) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(text(query), {"s": story_id}).scalar_one()
            for table, query in STORY_ROWS.items()
        }


def last_entry(engine) -> AuditEntry:
    with Session(engine) as session:
        return session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


def _story_exists(engine, story_id: int) -> bool:
    with Session(engine) as session:
        return session.get(Story, story_id) is not None


def _decide_on(client, engine, story_id: int, verdict: str = "confirm") -> None:
    """An editor decision on the story's first content sentence, for a claim of the story."""
    with Session(engine) as session:
        claim = session.exec(select(Claim).where(Claim.story_id == story_id)).first()
        sentence = session.exec(
            select(Sentence).join(Article, Article.id == Sentence.article_id)
            .where(Article.story_id == story_id, Sentence.kind == "content")
            .order_by(Sentence.id)
        ).first()
    made = client.post(
        f"/api/sentences/{sentence.id}/decisions",
        json={"claim_key": claim.key, "verdict": verdict},
    )
    assert made.status_code == 201, made.text


@pytest.fixture
def other(client, engine) -> int:
    """A second story, of two outlets' coverage: induced claims, links and a decision."""
    lone = upload(client, UNRELATED, "Harbour Daily")
    upload(client, REWRITE, "River Post", lone["story_id"])
    _decide_on(client, engine, lone["story_id"])
    return lone["story_id"]


# --- What goes, and what stays ---------------------------------------------------------------


@pytest.mark.both_backends
def test_deleting_a_dossier_story_removes_every_row_of_it_and_nothing_of_another(
    client, engine, other
):
    _decide_on(client, engine, 1, "reject")
    seed = story_rows(engine, 1)
    assert seed["claim"] == 24 and seed["link"] > 0 and seed["decision"] == 1
    kept = story_rows(engine, other)
    assert kept["claim"] > 0 and kept["link"] > 0 and kept["decision"] == 1
    before = table_counts(engine)

    assert client.delete("/api/stories/1").status_code == 204

    after = table_counts(engine)
    expected = {name: n - seed.get(name, 0) for name, n in before.items()}
    expected["audit_entry"] += 1
    if "sentence_fts_docsize" in expected:  # SQLite: the search index drops those sentences
        expected["sentence_fts_docsize"] -= seed["sentence"]
    assert after == expected
    assert story_rows(engine, 1) == dict.fromkeys(STORY_ROWS, 0)
    assert story_rows(engine, other) == kept


def test_the_search_index_forgets_the_deleted_storys_sentences(client, engine, other):
    assert client.get("/stories/1.json", params={"q": "Barrot"}).json()["hit_total"] > 0
    assert client.delete("/api/stories/1").status_code == 204
    with engine.connect() as conn:
        indexed = conn.execute(text(
            "SELECT rowid FROM sentence_fts WHERE sentence_fts MATCH 'barrot OR council'"
        )).scalars().all()
        sentences = set(conn.execute(text("SELECT id FROM sentence")).scalars().all())
    assert indexed and set(indexed) <= sentences, "only the other story's sentences are found"


# --- The two steps of the form ---------------------------------------------------------------


def test_the_confirmation_lists_the_counts_and_the_kind_of_each_claim(signed_in, engine):
    rows = story_rows(engine, 1)
    answer = signed_in.post("/stories/1/delete", data={"csrftoken": csrf_token(signed_in, "/")})
    assert answer.status_code == 200 and _story_exists(engine, 1), "nothing goes before confirming"
    box = html(answer).css_first("section.confirm-delete")
    said = text_of(box)
    assert "cannot be undone" in said and SEED_TITLE in said
    for words in (
        f"{rows['article']} articles", f"{rows['sentence']} sentences",
        "24 claims: 24 of its dossier", f"{rows['link']} links", "0 editor decisions",
    ):
        assert words in said, words
    assert box.css_first('input[name="csrftoken"]') is not None
    assert box.css_first('input[name="confirm"]').attributes["value"] == "yes"
    assert box.css_first('a[href="/stories/1"]') is not None, "a way back"


def test_an_induced_storys_confirmation_says_its_claims_come_from_its_coverage(
    client, engine, other
):
    said = text_of(html(client.post(f"/stories/{other}/delete", data={})))
    claims = story_rows(engine, other)["claim"]
    assert f"{claims} claims: {claims} induced from its coverage" in said
    assert "1 editor decision " in said


def test_with_htmx_the_confirmation_replaces_the_button_in_place(signed_in, engine):
    answer = signed_in.post(
        "/stories/1/delete", data={"csrftoken": csrf_token(signed_in, "/stories/1")},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200 and _story_exists(engine, 1)
    assert answer.text.lstrip().startswith('<section class="danger confirm-delete"')
    assert "<html" not in answer.text


def test_the_story_page_offers_a_signed_in_editor_the_delete_form(signed_in):
    for path in ("/stories/1", "/"):
        form = html(signed_in.get(path)).css_first("form.delete-story")
        assert form.attributes["action"] == "/stories/1/delete"
        assert form.attributes["hx-post"] == "/stories/1/delete"
        assert form.css_first('input[name="csrftoken"]').attributes["value"]
        assert "Delete this story" in text_of(form)


def test_confirming_deletes_and_the_stories_page_says_which_story_went(
    signed_in, anonymous, engine
):
    token = csrf_token(signed_in, "/stories/1")
    done = signed_in.post(
        "/stories/1/delete", data={"csrftoken": token, "confirm": "yes"}, follow_redirects=False
    )
    assert done.status_code == 303
    where = urlsplit(done.headers["location"])
    assert where.path == "/stories"
    assert parse_qs(where.query)["deleted_story"][0].startswith(SEED_TITLE)
    assert not _story_exists(engine, 1)
    listing = html(signed_in.get(done.headers["location"]))
    status = text_of(listing.css_first('.arrival[role="status"]'))
    assert status.startswith(f"The story “{SEED_TITLE}") and "was deleted" in status
    assert "0 stories" in text_of(listing.css_first("#story-results"))
    entry = last_entry(engine)
    assert (entry.editor, entry.action, entry.article_id) == (EDITOR, "delete story", None)
    assert entry.summary.startswith(f"Deleted the story “{SEED_TITLE}")
    assert "24 claims (24 of its dossier)" in entry.summary


def test_confirming_without_the_csrf_token_is_refused(signed_in, engine):
    answer = signed_in.post("/stories/1/delete", data={"confirm": "yes"})
    assert answer.status_code == 403 and _story_exists(engine, 1)


# --- Who may delete ---------------------------------------------------------------------------


def test_anonymous_visitors_see_no_form_and_their_deletes_are_refused(anonymous, engine):
    page = anonymous.get("/stories/1").text
    assert "/delete" not in page and "Delete this story" not in page
    before = table_counts(engine)
    for data in ({}, {"confirm": "yes"}):
        refused = anonymous.post("/stories/1/delete", data=data, follow_redirects=False)
        assert refused.status_code == 303
        assert refused.headers["location"] == "/signin?next=/stories/1/delete"
    api = anonymous.delete("/api/stories/1")
    assert api.status_code == 401 and api.headers["www-authenticate"] == "Bearer"
    assert table_counts(engine) == before


def test_a_bad_api_token_deletes_nothing(anonymous, engine):
    before = table_counts(engine)
    answer = anonymous.delete("/api/stories/1", headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401 and table_counts(engine) == before


# --- Bad input --------------------------------------------------------------------------------


def test_an_unknown_story_is_a_404_and_changes_nothing(client, engine):
    before = table_counts(engine)
    for data in ({}, {"confirm": "yes"}):
        answer = client.post("/stories/999/delete", data=data, headers={"Accept": "text/html"})
        assert answer.status_code == 404
        assert "There is no story with id 999." in text_of(html_any(answer))
    api = client.delete("/api/stories/999")
    assert api.status_code == 404 and api.json() == {"detail": "There is no story with id 999."}
    assert client.delete("/api/stories/99999999999999999999").status_code in (404, 422)
    assert table_counts(engine) == before


def test_an_id_that_is_not_a_number_gets_a_clear_error_and_changes_nothing(client, engine):
    before = table_counts(engine)
    page = client.post("/stories/abc/delete", data={}, headers={"Accept": "text/html"})
    assert page.status_code == 422 and "Address not understood" in page.text
    for path in ("/api/stories/abc", "/api/stories/0", "/api/stories/-1"):
        answer = client.delete(path)
        assert answer.status_code == 422, path
        assert answer.json()["detail"][0]["loc"] == ["path", "story_id"]
    huge = client.post("/stories/99999999999999999999/delete", data={"confirm": "yes"})
    assert huge.status_code == 404
    assert table_counts(engine) == before


def html_any(response):
    """The page of an error answer, which ``html`` refuses for not being a 200."""
    from selectolax.lexbor import LexborHTMLParser

    assert response.headers["content-type"].startswith("text/html")
    return LexborHTMLParser(response.text)


# --- The API ----------------------------------------------------------------------------------


def test_the_api_deletes_a_story_with_204_and_it_is_gone_everywhere(client, engine):
    claim_ids = [c["id"] for c in client.get("/api/claims?story_id=1").json()]
    answer = client.delete("/api/stories/1")
    assert answer.status_code == 204 and answer.content == b""
    assert client.get("/api/stories/1").status_code == 404
    assert client.get("/api/articles?story_id=1").json() == []
    assert client.get(f"/api/claims/{claim_ids[0]}").status_code == 404
    assert client.delete("/api/stories/1").status_code == 404, "a second delete finds nothing"
    assert last_entry(engine).action == "delete story"


def test_the_api_route_is_documented_like_its_neighbours(client):
    paths = client.get("/openapi.json").json()["paths"]
    route = paths["/api/stories/{story_id}"]["delete"]
    assert route["tags"] == ["api"] and route["summary"] == "Remove Story"
    assert {"204", "401", "403", "404", "422"} <= set(route["responses"])
    assert "dossier" in route["description"]
    neighbour = paths["/api/articles/{article_id}"]["delete"]
    assert set(route["responses"]) == set(neighbour["responses"])
    assert "/stories/{story_id}/delete" not in paths, "the form route stays out of the API"


# --- Nothing cached serves it -----------------------------------------------------------------


def test_no_cached_page_serves_the_deleted_story(client, anonymous, engine):
    claim_id = client.get("/api/claims?story_id=1").json()[0]["id"]
    for path in ("/", "/stories/1", "/articles/1", f"/claims/{claim_id}"):
        assert anonymous.get(path).status_code == 200  # kept in the page cache
    assert client.delete("/api/stories/1").status_code == 204
    missing = anonymous.get("/stories/1")
    assert missing.status_code == 404 and "No such story" in missing.text
    for path in ("/articles/1", f"/claims/{claim_id}", "/stories/1.json", "/outlets?story=1"):
        assert anonymous.get(path).status_code == 404, path
    assert "No story yet" in anonymous.get("/").text


def test_an_upload_after_the_deletion_is_never_placed_in_the_deleted_story(
    client, anonymous, engine, other
):
    """The candidate index held the story (the other story's uploads loaded it): it must
    drop it, and the new story's page must not be the deleted one's kept rendering."""
    assert SEED_TITLE in anonymous.get("/stories/1").text
    assert client.delete("/api/stories/1").status_code == 204
    fresh = upload(client, COVERAGE, "Gazette")
    assert fresh["story_id"] != other and _story_exists(engine, fresh["story_id"])
    page = anonymous.get(f"/stories/{fresh['story_id']}")
    assert page.status_code == 200 and SEED_TITLE not in page.text
