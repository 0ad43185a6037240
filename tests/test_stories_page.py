"""The /stories list (pages, title search, JSON twin) and the story page's short switcher."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser

from app.bootstrap import prepare_database
from app.db import write_session
from app.main import create_app
from app.models import Story
from app.story_index import story_changed
from app.views.story import SWITCHER_SIZE
from tests.conftest import make_settings

EXTRA = 13  # with the seed story: 14 stories, 3 pages of 5


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("stories"), page_size=5)
    engine, _ = prepare_database(settings)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)  # all newer than the seed story
    with write_session(engine) as session:
        for n in range(EXTRA):
            title = "Ferry strike in Gdańsk" if n == 4 else f"Story number {n:02d}"
            session.add(Story(
                slug=f"s{n}", title=title, created_at=start + dt.timedelta(days=n),
                updated_at=start - dt.timedelta(days=30 - n),  # changed before the seed story
            ))
    with TestClient(create_app(settings)) as client:
        yield client, engine
    engine.dispose()


def page_of(response) -> LexborHTMLParser:
    assert response.status_code == 200, response.text[:300]
    return LexborHTMLParser(response.text)


def titles(page) -> list[str]:
    return [a.text() for a in page.css("table.story-list tbody th a")]


def test_stories_are_listed_newest_first_a_page_at_a_time(many):
    client, _ = many
    first = page_of(client.get("/stories"))
    assert titles(first) == [f"Story number {n:02d}" for n in (12, 11, 10, 9, 8)]
    assert first.css_first("a[rel=next]").attributes["href"] == "/stories?page=2"
    assert first.css_first("a[rel=prev]") is None
    last = page_of(client.get("/stories", params={"page": "3"}))
    assert len(titles(last)) == 4 and "Western troops" in titles(last)[-1]
    assert last.css_first("a[rel=prev]").attributes["href"] == "/stories?page=2"
    assert last.css_first("a[rel=next]") is None
    for odd in ("99", "0", "-1", "abc", "1e9", "9" * 40):
        assert client.get("/stories", params={"page": odd}).status_code == 200
    assert titles(page_of(client.get("/stories?page=99"))) == titles(last)
    seed = next(a for a in last.css("table.story-list tbody th a") if "Western" in a.text())
    assert client.get(seed.attributes["href"]).status_code == 200


def test_the_title_search_ignores_case_and_accents_and_keeps_its_words_across_pages(many):
    client, _ = many
    assert titles(page_of(client.get("/stories", params={"q": "gdansk"}))) == [
        "Ferry strike in Gdańsk"
    ]
    page = page_of(client.get("/stories", params={"q": "  FERRY   strike "}))
    assert titles(page) == ["Ferry strike in Gdańsk"]
    assert page.css_first("input#story-q").attributes["value"] == "FERRY strike"
    numbered = client.get("/stories.json", params={"q": "number", "page": "2"}).json()
    assert numbered["total"] == 12 and numbered["page_count"] == 3
    assert numbered["next_url"] == "/stories?q=number&page=3"
    assert numbered["previous_url"] == "/stories?q=number"
    nothing = page_of(client.get("/stories", params={"q": "100%_\\"}))
    assert titles(nothing) == [] and "No story title contains" in nothing.css_first(".empty").text()


def test_the_json_twin_carries_the_rows_and_counts(many):
    client, _ = many
    data = client.get("/stories.json").json()
    assert data["total"] == EXTRA + 1 and data["page_size"] == 5 and data["page"] == 1
    assert [s["title"] for s in data["stories"]][0] == "Story number 12"
    seed = client.get("/stories.json", params={"q": "western"}).json()["stories"][0]
    assert seed["article_count"] == 5 and seed["claim_count"] == 24
    assert seed["url"] == f"/stories/{seed['id']}"


def test_htmx_gets_only_the_list(many):
    client, _ = many
    response = client.get("/stories", params={"q": "ferry"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text and "<form" not in response.text
    assert titles(page_of(response)) == ["Ferry strike in Gdańsk"]
    form = page_of(client.get("/stories")).css_first("form[role=search]")
    assert form.attributes["action"] == "/stories" and form.attributes["method"] == "get"
    assert form.attributes["hx-target"] == "#story-results"


def test_the_story_page_offers_the_latest_updated_stories_and_the_full_list(many):
    client, engine = many
    page = page_of(client.get("/"))
    switcher = page.css_first("nav.stories")
    links = [a.attributes["href"] for a in switcher.css("a")]
    assert links[-1] == "/stories" and len(links) == SWITCHER_SIZE + 1
    data = client.get("/index.json").json()
    assert len(data["stories"]) == SWITCHER_SIZE
    with write_session(engine) as session:
        oldest = session.get(Story, data["stories"][-1]["id"])
        story_changed(session, oldest.id)
    latest = client.get("/index.json").json()["stories"]
    assert latest[0]["id"] == oldest.id
    switcher = page_of(client.get("/")).css_first("nav.stories")  # a kept page is not reused
    assert switcher.css_first("a").attributes["href"] == f"/stories/{oldest.id}"
