"""Coverage in other languages is linked to the same claims and compared fairly."""

from __future__ import annotations

import json

import pytest
from selectolax.lexbor import LexborHTMLParser

from app.settings import ROOT
from app.text.extract import language_name
from tests.test_pages import html, text_of

RENDERINGS = json.loads((ROOT / "eval" / "multilingual.json").read_text(encoding="utf-8"))


def french_article(with_claims_only: bool = False) -> str:
    items = RENDERINGS["sentences"]
    if with_claims_only:
        items = [i for i in items if i["claims"]]
    return "\n\n".join(i["fr"] for i in items)


def test_french_article_is_detected_and_linked_to_the_english_claims(client):
    body = client.post("/api/articles", json={"text": french_article()}).json()
    article = client.get(f"/api/articles/{body['article_id']}").json()
    assert article["language"] == "fr" and body["story_id"] == 1
    keys = {link["claim_key"] for s in article["sentences"] for link in s["links"]}
    assert {"LM08", "LM15", "LM23"} <= keys


def test_claim_page_marks_the_language_and_lines_up_names_instead_of_a_diff(client):
    client.post("/api/articles", json={"text": french_article()})
    claim = next(c for c in client.get("/api/claims").json() if c["key"] == "LM23")
    page = LexborHTMLParser(client.get(f"/claims/{claim['id']}").text)
    french = page.css("blockquote[lang=fr]")
    assert french, "the French wording is shown, marked with its language"
    quote = french[0]
    tag = quote.css_first(".lang-tag")
    assert tag.text().strip() == "French" and tag.attributes["lang"] == "en"
    assert "in another language (French)" in text_of(quote.parent.css_first("figcaption"))
    assert not quote.css("ins, del"), "no word diff across languages"
    anchors = quote.parent.css(".anchors .anchor")
    kept = {a.text(deep=False).strip() for a in anchors if "kept" in a.attributes["class"]}
    assert "scalp" in kept


def test_pages_name_a_french_articles_language_and_keep_its_code_for_machines(client):
    body = client.post("/api/articles", json={"text": french_article()}).json()
    article_id = body["article_id"]
    page = html(client.get(f"/articles/{article_id}"))
    assert "language: French" in text_of(page.css_first("header.page-head .meta"))
    assert page.css_first("div.text").attributes["lang"] == "fr"
    story = html(client.get(f"/stories/{body['story_id']}"))
    (row,) = [
        r for r in story.css("table.articles tbody tr")
        if r.css_first("a").attributes["href"] == f"/articles/{article_id}"
    ]
    assert "French" in [text_of(cell) for cell in row.css("td")]
    assert client.get(f"/articles/{article_id}.json").json()["article"]["language"] == "fr"
    stories = client.get(f"/stories/{body['story_id']}.json").json()
    assert {a["language"] for a in stories["articles"] if a["id"] == article_id} == {"fr"}


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("fr", "French"), ("en-GB", "English (United Kingdom)"), ("sr-Latn", "Serbian (Latin)"),
        ("es-419", "Spanish (Latin America)"), ("ain", "Ainu"),
        ("xx", "xx"), ("fr-XX", "fr-XX"), ("en-GB-oxendict", "en-GB-oxendict"), (None, ""),
    ],
)
def test_a_language_code_reads_as_its_english_name_or_stays_as_it_is(code, name):
    assert language_name(code) == name


def test_french_origin_replaces_the_dossier_and_relinks_english_coverage(client):
    response = client.post(
        "/api/articles",
        json={"text": french_article(with_claims_only=True), "role": "origin", "story_id": 1,
              "outlet": "Le Monde", "language": "fr"},
    )
    assert response.status_code == 201, response.text
    kept = set(response.json()["rekeying"]["kept"])
    assert {"LM08", "LM15", "LM10"} <= kept
    claims = {c["key"]: c for c in client.get("/api/claims?story_id=1").json()}
    lm08 = client.get(f"/api/claims/{claims['LM08']['id']}").json()
    assert lm08["language"] == "fr" and lm08["text"].startswith("Une source militaire")
    english = {s["article_label"] for s in lm08["sentences"]}
    assert len(english) >= 3, "English seed coverage is re-linked to the French origin"


def test_quotes_of_a_translated_wording_are_set_out_beside_it(client):
    client.post("/api/articles", json={"text": french_article()})
    claim = next(c for c in client.get("/api/claims").json() if c["key"] == "LM11")
    page = LexborHTMLParser(client.get(f"/claims/{claim['id']}").text)
    quotes = [q.text() for q in page.css(".anchors q[lang=fr]")]
    assert "Nous n'excluons aucune option." in quotes


def test_words_kept_on_the_story_index_count_only_wordings_in_the_claims_language(client):
    def kept_by_key() -> dict[str, int | None]:
        claims = client.get("/stories/1.json").json()["claims"]
        return {c["key"]: c["kept_percent"] for c in claims}

    before = kept_by_key()
    client.post("/api/articles", json={"text": french_article()})
    after = kept_by_key()
    assert after == before, "a French wording of an English claim keeps no 'words' to count"
