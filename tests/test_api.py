"""The JSON API over a real migrated database holding the seed story."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.both_backends


def test_health_check_answers_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_articles_list_the_five_seed_articles(client):
    articles = client.get("/api/articles").json()
    manifest = json.loads((SEEDS / "manifest.json").read_text())["articles"]
    assert sorted(a["source"] for a in articles) == sorted(m["file"] for m in manifest)
    for article in articles:
        assert {"id", "source", "title", "outlet", "language", "role", "sentence_count"} <= set(
            article
        )
        assert article["role"] == "derivative"
        assert article["language"] == "en"
        assert article["sentence_count"] > 0


def test_article_text_is_kept_exactly_and_every_span_indexes_it(client):
    for summary in client.get("/api/articles").json():
        article = client.get(f"/api/articles/{summary['id']}").json()
        original = (SEEDS / article["source"]).read_text(encoding="utf-8")
        assert article["text"] == original
        assert [s["index"] for s in article["sentences"]] == list(
            range(len(article["sentences"]))
        )
        for sentence in article["sentences"]:
            assert original[sentence["start"] : sentence["end"]] == sentence["text"]
            assert sentence["kind"] in {"content", "heading", "boilerplate"}
            assert isinstance(sentence["links"], list)


def test_manifest_supplies_title_date_and_byline(client):
    by_source = {a["source"]: a for a in client.get("/api/articles").json()}
    article = client.get(f"/api/articles/{by_source['003_9b31c275fba08f77.txt']['id']}").json()
    assert article["title"].startswith("France and Britain Discuss")
    assert article["published"] == "2024-11-26"
    assert article["byline"] == "Roman Cheplyk"


def test_claims_carry_the_dossier_keys_in_order(client):
    claims = client.get("/api/claims").json()
    dossier = json.loads((SEEDS / "claims.json").read_text())["claims"]
    assert [c["key"] for c in claims] == [c["id"] for c in dossier]
    assert [c["text"] for c in claims] == [c["text"] for c in dossier]


def test_claim_detail_lists_its_linked_sentences(client):
    first = client.get("/api/claims").json()[0]
    claim = client.get(f"/api/claims/{first['id']}").json()
    assert claim["key"] == "LM01"
    assert isinstance(claim["sentences"], list)


def test_unknown_ids_are_404_with_a_message(client):
    for path in ("/api/articles/999999", "/api/claims/999999", "/api/stories/999999"):
        response = client.get(path)
        assert response.status_code == 404
        assert "999999" in response.json()["detail"]


def test_openapi_docs_are_served(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert '<noscript><p>This page shows the API with JavaScript.' in docs.text
    assert 'href="/openapi.json"' in docs.text
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/claims"} <= set(paths)


def test_home_page_lists_story_claims_and_articles(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Le Monde" in page.text
    assert "LM08" in page.text
    assert "Roman" not in page.text or "France and Britain" in page.text
