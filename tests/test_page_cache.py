"""Claim and article pages kept per story revision: every write to a story shows at once, a
signed-in editor's page is never served to anyone else, and the memory budget holds."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import write_session
from app.editing import decide, delete_article, move_article, update_metadata
from app.ingest import ArticleInput
from app.linker import Linker
from app.models import Article, Claim, Link, Sentence, Story
from app.uploads import add_article
from app.web.page_cache import PageCache
from tests.conftest import EDITOR

pytestmark = pytest.mark.both_backends


def _revision(engine, story_id: int) -> int:
    with Session(engine) as session:
        return session.get(Story, story_id).revision


def _linked_wording(engine) -> tuple[int, int, str]:
    """(claim id, sentence id, claim key) of one model link of the seed story."""
    with Session(engine) as session:
        link, claim = session.exec(
            select(Link, Claim).join(Claim).where(Link.decided_by == "model")
            .order_by(Link.score.desc())
        ).first()
        return claim.id, link.sentence_id, claim.key


def test_a_rejected_link_leaves_the_kept_claim_page_at_once(anonymous, engine, editor_token):
    claim_id, sentence_id, key = _linked_wording(engine)
    anchor = f"#s-{sentence_id}\""
    assert anchor in anonymous.get(f"/claims/{claim_id}").text
    kept = anonymous.get(f"/claims/{claim_id}")  # now from the cache
    assert anchor in kept.text and len(anonymous.app.state.page_cache) == 1
    assert kept.headers["vary"] == "HX-Request"  # as the rendered page said
    assert kept.headers["content-security-policy"]

    response = anonymous.post(
        f"/api/sentences/{sentence_id}/decisions",
        json={"claim_key": key, "verdict": "reject"},
        headers={"Authorization": f"Bearer {editor_token}"},
    )
    assert response.status_code == 201, response.text
    assert anchor not in anonymous.get(f"/claims/{claim_id}").text


def test_an_article_page_shows_corrected_metadata_at_once(anonymous, engine, editor_token):
    with Session(engine) as session:
        article_id = session.exec(select(Article.id).where(Article.role != "origin")).first()
    assert "Corrected Outlet" not in anonymous.get(f"/articles/{article_id}").text
    response = anonymous.patch(
        f"/api/articles/{article_id}", json={"outlet": "Corrected Outlet"},
        headers={"Authorization": f"Bearer {editor_token}"},
    )
    assert response.status_code == 200, response.text
    assert "Corrected Outlet" in anonymous.get(f"/articles/{article_id}").text


def test_the_outlets_page_shows_a_corrected_outlet_name_at_once(anonymous, engine, editor_token):
    with Session(engine) as session:
        article_id = session.exec(select(Article.id).where(Article.role != "origin")).first()
    first = anonymous.get("/outlets")
    assert first.status_code == 200 and "Renamed Desk" not in first.text
    assert anonymous.get("/outlets").text == first.text  # kept
    assert len(anonymous.app.state.page_cache) == 1
    response = anonymous.patch(
        f"/api/articles/{article_id}", json={"outlet": "Renamed Desk"},
        headers={"Authorization": f"Bearer {editor_token}"},
    )
    assert response.status_code == 200, response.text
    assert "Renamed Desk" in anonymous.get("/outlets").text
    assert anonymous.get("/outlets?story=999999").status_code == 404


def test_a_signed_in_editors_page_is_never_served_to_a_reader(signed_in, engine):
    claim_id, _sentence, _key = _linked_wording(engine)
    assert f"Signed in as <strong>{EDITOR}</strong>" in signed_in.get(f"/claims/{claim_id}").text
    with TestClient(signed_in.app, base_url="https://testserver") as reader:
        page = reader.get(f"/claims/{claim_id}").text
        assert EDITOR not in page and "csrf" not in page
        assert reader.get(f"/claims/{claim_id}").text == page
    assert EDITOR in signed_in.get(f"/claims/{claim_id}").text


def test_htmx_fragments_and_missing_pages_are_not_kept(anonymous, engine):
    with Session(engine) as session:
        article_id = session.exec(select(Article.id)).first()
    fragment = anonymous.get(f"/articles/{article_id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert anonymous.get("/claims/999999").status_code == 404
    assert len(anonymous.app.state.page_cache) == 0


def test_the_cache_drops_the_least_recently_used_pages_beyond_its_budget():
    cache = PageCache(max_bytes=10)
    cache.put(("a",), b"1234", {"Vary": "HX-Request"})
    cache.put(("b",), b"1234")
    assert cache.get(("a",)) == (b"1234", {"Vary": "HX-Request"})  # now the most recent
    cache.put(("c",), b"1234")
    assert cache.get(("b",)) is None
    assert cache.get(("a",))[0] == b"1234" and cache.get(("c",))[0] == b"1234"
    cache.put(("huge",), b"x" * 11)
    assert cache.get(("huge",)) is None and len(cache) == 2


def test_pages_are_not_kept_when_the_budget_is_zero(tmp_path, engine, settings):
    from app.main import create_app

    app = create_app(settings.model_copy(update={"page_cache_mb": 0}))
    with TestClient(app) as client:
        assert client.get("/claims/1").status_code == 200
    assert app.state.page_cache is None


@pytest.fixture
def linker() -> Linker:
    return Linker()


def test_every_write_to_a_story_gives_it_a_new_revision(engine, linker):
    """The kept pages and flags trust the revision: each way a story changes must renew it."""
    with Session(engine) as session:
        story_id = session.exec(select(Story.id)).first()
        article = session.exec(select(Article).where(Article.role != "origin")).first()
        sentence = session.exec(
            select(Sentence).where(Sentence.article_id == article.id, Sentence.kind == "content")
        ).first()
        key = session.exec(select(Claim.key).where(Claim.story_id == story_id)).first()

    def changes(write) -> bool:
        before = _revision(engine, story_id)
        with write_session(engine) as session:
            write(session)
        return _revision(engine, story_id) != before

    assert changes(lambda s: decide(s, sentence.id, key, "confirm"))
    assert changes(lambda s: decide(s, sentence.id, key, "reject"))
    assert changes(lambda s: update_metadata(s, article.id, {"outlet": "Another name"}))
    assert changes(lambda s: linker.relink_story(s, s.get(Story, story_id)))
    item = ArticleInput(
        raw="A new outlet repeats that talks on Western troops in Ukraine have resumed.\n",
        text="A new outlet repeats that talks on Western troops in Ukraine have resumed.\n",
        source="new.txt", outlet="New Outlet",
    )
    assert changes(lambda s: add_article(s, linker, item, story_id, True))
    with write_session(engine) as session:
        other = Story(slug="other", title="Another story")
        session.add(other)
        session.flush()
        other_id = other.id
    assert changes(lambda s: move_article(s, linker, article.id, other_id))
    assert changes(lambda s: move_article(s, linker, article.id, story_id))
    assert changes(lambda s: delete_article(s, linker, article.id))
