"""Flags, attributions and quote families through the real app: pages, JSON twins and API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.bootstrap import prepare_database
from app.main import create_app
from tests.conftest import make_settings
from tests.test_pages import LINKS, S000, S001, S002, S003, S004, html, replace_links, text_of

# The fixed links of the page tests, and a few that carry known changes.
FLAG_LINKS = [
    *LINKS,
    (S001, "However, these remarks were met", "LM05", 0.7, "model"),
    (S000, "Speaking to the BBC on Nov. 23", "LM10", 0.9, "model"),
    (S000, "Speaking to the BBC on Nov. 23", "LM11", 0.8, "model"),
    (S002, "In an interview with the BBC in November", "LM10", 0.9, "model"),
    (S004, "In an interview with the BBC on November 23", "LM10", 0.9, "model"),
    (S003, '"France does not rule out', "LM11", 0.9, "model"),
    (S002, "Responding to a question", "LM11", 0.9, "model"),
    (S004, "When asked about the possibility", "LM11", 0.9, "model"),
]


@pytest.fixture(scope="module")
def flagged(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("flags"))
    engine, _report = prepare_database(settings)
    seed = replace_links(engine, FLAG_LINKS)
    with TestClient(create_app(settings)) as client:
        yield client, seed
    engine.dispose()


def test_the_claim_page_shows_each_flag_with_its_reason(flagged):
    client, seed = flagged
    page = html(client.get(f"/claims/{seed.claims['LM03']}"))
    sid = seed.sentence(S001, "The French newspaper Le Monde")
    card = page.css_first(f'figure[data-sentence="{sid}"]')
    reasons = [text_of(li) for li in card.css(".flags li")]
    assert any("adds doubt" in r and "possible election of Donald Trump" in r for r in reasons)
    assert any("20 January 2025" in r and "gives no date" in r for r in reasons)
    assert "Le Monde" in text_of(card.css_first(".attribution"))
    sid = seed.sentence(S004, "These delicate debates")
    faithful = page.css_first(f'figure[data-sentence="{sid}"]')
    assert faithful.css(".flags li") == []
    data = client.get(f"/claims/{seed.claims['LM03']}.json").json()
    wordings = [w for o in data["comparison"]["outlets"] for w in o["wordings"]]
    assert {f["kind"] for w in wordings for f in w["flags"]} == {"date", "modality"}


def test_the_claim_page_shows_the_source_chain_and_the_quote_family(flagged):
    client, seed = flagged
    page = html(client.get(f"/claims/{seed.claims['LM10']}"))
    chain = [text_of(li) for li in page.css("ol.chain li")]
    assert chain[0] == "In a BBC interview" and chain[-2] == "Le Monde"
    versions = [text_of(b) for b in page.css(".quote-family blockquote")]
    assert "not to set red lines" in versions
    assert any("not to set or declare red lines" in v for v in versions)
    sid = seed.sentence(S000, "Speaking to the BBC on Nov. 23")
    swapped = page.css_first(f'figure[data-sentence="{sid}"]')
    assert any("differ from every other outlet" in text_of(li) for li in swapped.css(".flags li"))


def test_the_quotes_page_groups_barrots_answer_with_its_differences(flagged):
    client, seed = flagged
    page = html(client.get(f"/stories/{seed.story_id}/quotes"))
    families = page.css(".quote-family")
    answer = next(f for f in families if "We do not rule out any options." in text_of(f))
    assert "We are not ruling out any options." in text_of(answer)
    assert answer.css("ins, del")
    data = client.get(f"/stories/{seed.story_id}/quotes.json").json()
    assert data["families"] and all(f["outlet_count"] >= 2 for f in data["families"])
    assert client.get("/stories/999/quotes").status_code == 404


def test_another_part_of_a_statement_is_not_diffed_against_a_quote_it_does_not_share(flagged):
    """One sentence quoting "no red lines" and "we do not rule out any options" joins the two
    into one family; the options answer struck through against "red lines" would be noise."""
    client, seed = flagged
    data = client.get(f"/stories/{seed.story_id}/quotes.json").json()
    members = [m for f in data["families"] for m in f["members"] if not m["reference"]]
    apart = [m for m in members if m["other_part"]]
    assert all(m["diff"] == [] for m in apart)
    assert "We do not rule out any options." in [m["quote"] for m in apart]
    assert "not to set or declare red lines" not in [m["quote"] for m in apart]
    page = html(client.get(f"/stories/{seed.story_id}/quotes"))
    assert "another part of the statement" in text_of(page.css_first("main"))


def test_the_article_page_marks_flagged_and_unattributed_sentences(flagged):
    client, seed = flagged
    aid = seed.articles[S001]
    page = html(client.get(f"/articles/{aid}"))
    swapped = page.css_first(f"#s-{seed.sentence(S001, 'However, these remarks were met')}")
    assert text_of(swapped.css_first(".flag-mark")) == "check"
    listed = text_of(page.css_first(".article-flags"))
    assert "where the origin names Germany" in listed and "NATO" in listed
    data = client.get(f"/articles/{aid}.json").json()
    assert data["flag_counts"]["entity"] >= 1 and data["flag_counts"]["modality"] == 1
    revived = next(s for s in data["sentences"] if s["text"].startswith("Discussions were revived"))
    assert revived["attribution"]["kind"] == "none"


def test_a_change_shared_by_a_sentences_two_claims_is_listed_once_naming_both(flagged):
    client, seed = flagged
    aid, sid = seed.articles[S000], seed.sentence(S000, "Speaking to the BBC on Nov. 23")
    page = html(client.get(f"/articles/{aid}"))
    item = next(li for li in page.css(".article-flags ol > li")
                if li.css_first("a").attributes["href"].endswith(f"#s-{sid}"))
    quotes = [text_of(li) for li in item.css(".flags li") if "other outlet" in text_of(li)]
    assert len(quotes) == 1 and "LM10, LM11" in quotes[0]
    sentence = next(s for s in client.get(f"/articles/{aid}.json").json()["sentences"]
                    if s["id"] == sid)
    assert [f["claim_keys"] for f in sentence["flags"] if f["kind"] == "quote"] == [
        ["LM10", "LM11"]]
    claim = html(client.get(f"/claims/{seed.claims['LM11']}"))
    card = claim.css_first(f'figure[data-sentence="{sid}"]')
    assert sum("other outlet" in text_of(li) for li in card.css(".flags li")) == 1


def test_outlets_count_flags_by_kind_and_unattributed_sentences(flagged):
    client, seed = flagged
    rows = {r["article"]["id"]: r for r in client.get("/outlets.json").json()["rows"]}
    row = rows[seed.articles[S001]]
    assert row["flag_counts"]["entity"] >= 1 and row["flag_counts"]["modality"] == 1
    assert row["flag_total"] == sum(row["flag_counts"].values())
    page = html(client.get("/outlets"))
    assert "flags" in text_of(page.css_first(".flag-counts"))


def test_the_api_lists_flags_attributions_and_quote_families(flagged):
    client, seed = flagged
    flags = client.get(f"/api/stories/{seed.story_id}/flags").json()
    swap = next(f for f in flags if f["kind"] == "entity" and f["claim_key"] == "LM05")
    assert swap["sentence_id"] == seed.sentence(S001, "However, these remarks were met")
    assert swap["origin"] == "Germany" and "NATO" in swap["outlet"]
    credits = client.get(f"/api/stories/{seed.story_id}/attributions").json()
    source = next(a for a in credits
                  if a["sentence_id"] == seed.sentence(S004, '"Discussions are ongoing'))
    assert source["kind"] == "origin" and source["secondary"] == ["a British military source"]
    assert any(a["unattributed"] for a in credits)
    assert client.get(f"/api/stories/{seed.story_id}/quotes").json()
    assert client.get("/api/stories/999/flags").status_code == 404


def test_the_api_lists_a_change_shared_by_a_sentences_two_claims_once_naming_both(flagged):
    client, seed = flagged
    sid = seed.sentence(S000, "Speaking to the BBC on Nov. 23")
    flags = client.get(f"/api/stories/{seed.story_id}/flags").json()
    quotes = [f for f in flags if f["sentence_id"] == sid and f["kind"] == "quote"]
    assert [(f["claim_key"], f["claim_keys"]) for f in quotes] == [("LM10", ["LM10", "LM11"])]
    assert quotes[0]["article_id"] == seed.articles[S000]
    changes = [(f["sentence_id"], f["kind"], f["origin"], f["outlet"], f["reason"]) for f in flags]
    assert len(changes) == len(set(changes))


RUSSIAN = (
    "Западные страны возобновили обсуждение отправки войск на Украину\n\n"
    "Как пишет французская газета, эти переговоры, в основном секретные, возобновились из-за "
    "возможного прекращения американской поддержки Киева после вступления Дональда Трампа в "
    "должность 20 января 2025 года.\n\n"
    "В интервью Би-би-си 23 ноября Жан-Ноэль Барро призвал союзников не устанавливать красных "
    "линий в поддержке Украины.\n\n"
    "Около 80% сотрудников DCI составляют бывшие военные.\n"
)


def test_a_russian_outlets_credits_are_read_in_russian(client):
    """An upload of its own, so the shared story of the other tests stays as they expect."""
    story_id = client.get("/api/articles").json()[0]["story_id"]
    body = client.post(
        "/api/articles",
        json={"text": RUSSIAN, "language": "ru", "story_id": story_id,
              "outlet": "Тестовая газета"},
    )
    assert body.status_code == 201, body.text
    article = client.get(f"/api/articles/{body.json()['article_id']}").json()
    credits = {a["sentence_id"]: a for a in
               client.get(f"/api/stories/{story_id}/attributions").json()}

    def credit(start):
        return credits[next(s["id"] for s in article["sentences"] if s["text"].startswith(start))]

    assert credit("Как пишет французская газета")["kind"] == "origin"
    bbc = credit("В интервью Би-би-си")
    assert bbc["kind"] == "secondary" and bbc["secondary"][0].startswith("В интервью Би-би-си")
    assert credit("Около 80%")["kind"] == "none"
