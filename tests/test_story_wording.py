"""How a story page and an article page describe a story: truthfully for a story whose claims
are induced from its coverage (it has no origin report), with counts that agree with their
nouns."""

from __future__ import annotations

import pytest

from tests.test_pages import html, text_of
from tests.test_upload import UNRELATED

#: Another outlet's rewrite of UNRELATED: the two share claims, and neither is an origin report.
REWRITE = """Cyclists win twelve kilometres of new lanes

On Tuesday the city council approved twelve kilometres of protected cycling lanes by the river.

Work should begin in the spring and take around eight months, the council said.

The mayor called the vote a turning point for the city.
"""


def upload(client, text: str, outlet: str, story_id: int | None = None) -> dict:
    body = {"text": text, "outlet": outlet, "story_id": story_id}
    answer = client.post("/api/articles", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture
def lone(client) -> dict:
    """A story of its own: one article, no origin report, no dossier."""
    return upload(client, UNRELATED, "Harbour Daily")


@pytest.fixture
def shared(client, lone) -> dict:
    """The same story with a second outlet's rewrite: claims induced from the two."""
    return upload(client, REWRITE, "River Post", lone["story_id"])


def test_a_story_without_origin_or_dossier_says_its_claims_are_shared_by_the_outlets(
    client, shared
):
    page = html(client.get(f"/stories/{shared['story_id']}"))
    head = text_of(page.css_first("header.page-head"))
    assert "Story · claims shared across the coverage" in head
    assert "origin report" not in head.replace("No origin report", "")
    assert "unknown outlet" not in head
    assert page.css("ol.claims li"), "the two outlets share claims"
    assert "From origin" not in text_of(page.css_first("table.articles thead"))


def test_its_articles_say_their_sentences_carry_shared_claims(client, shared):
    page = html(client.get(f"/articles/{shared['article_id']}?uploaded=1"))
    summary = text_of(page.css_first("p.summary"))
    assert "content sentences carry claims shared across the coverage" in summary
    arrival = text_of(page.css_first("section.arrival"))
    assert "content sentences carry claims shared across the coverage" in arrival
    assert "Leaves out 0 shared claims" in arrival
    assert "origin report" not in summary + arrival
    cite = client.get(f"/articles/{shared['article_id']}.json").json()["cite"]["summary"]
    assert "carry claims shared across the coverage" in cite and "origin" not in cite


def test_a_story_with_an_origin_dossier_keeps_speaking_of_the_origin_report(client):
    head = text_of(html(client.get("/stories/1")).css_first("header.page-head"))
    assert "Story · origin report" in head and "Origin: Le Monde" in head
    summary = text_of(html(client.get("/articles/2")).css_first("p.summary"))
    assert "content sentences carry claims of the origin report" in summary


def test_counts_agree_with_their_nouns(client, lone):
    head = text_of(html(client.get(f"/stories/{lone['story_id']}")).css_first("header.page-head"))
    assert "0 claims · 1 article ·" in head
    summary = text_of(html(client.get(f"/articles/{lone['article_id']}")).css_first("p.summary"))
    assert "0 of 3 content sentences" in summary and "3 only the outlet's own material" in summary
    assert "1 story" in text_of(html(client.get("/stories?q=cycling")).css_first(".filter-summary"))


def test_claim_rows_count_outlets_not_articles(client, shared):
    upload(client, REWRITE.replace("The mayor", "Its mayor"), "River Post", shared["story_id"])
    story = client.get(f"/stories/{shared['story_id']}.json").json()
    assert len(story["articles"]) == 3 and story["outlet_total"] == 2
    rows = html(client.get(f"/stories/{shared['story_id']}")).css("ol.claims .coverage")
    assert rows and all(text_of(row).endswith(" of 2 outlets") for row in rows)


@pytest.fixture
def reported(client) -> int:
    """A story with an origin report (Harbour Daily) and two articles of one other outlet
    (River Post), both carrying the report's first claims."""
    origin = client.post(
        "/api/articles", json={"text": UNRELATED, "outlet": "Harbour Daily", "role": "origin"}
    )
    assert origin.status_code == 201, origin.text
    story_id = origin.json()["story_id"]
    upload(client, REWRITE, "River Post", story_id)
    upload(client, REWRITE.replace("The mayor", "Its mayor"), "River Post", story_id)
    return story_id


def _claim_ids(client, story_id: int) -> dict[str, int]:
    """The story's claims by the first words of their text."""
    return {
        " ".join(c["text"].split()[:3]): c["id"]
        for c in client.get("/api/claims", params={"story_id": story_id}).json()
    }


def test_two_articles_of_one_outlet_are_one_outlet_on_the_claim_page(client, reported):
    claims = _claim_ids(client, reported)
    carried = claims["The city council"]
    data = client.get(f"/claims/{carried}.json").json()
    assert len(data["comparison"]["outlets"]) == 2, "both River Post articles carry it"
    assert data["outlet_count"] == 1 and data["comparison"]["outlet_count"] == 1
    page = html(client.get(f"/claims/{carried}"))
    assert text_of(page.css_first(".claim-head p.meta strong")) == "1 of 1 outlet"

    left_out = html(client.get(f"/claims/{claims['Local shop owners']}"))
    meta = text_of(left_out.css_first(".claim-head p.meta")).replace(" .", ".")
    assert meta.replace(" ;", ";") == "Carried by 0 of 1 outlet; left out by 1."
    assert len(left_out.css(".missing li")) == 2, "the list still names both articles"


def test_two_articles_of_one_outlet_are_one_outlet_in_the_claims_citation(client, reported):
    carried = _claim_ids(client, reported)["The city council"]
    cite = client.get(f"/claims/{carried}.json").json()["cite"]
    assert cite["summary"].endswith(" of Harbour Daily, carried by 1 of 1 outlet.")
    box = html(client.get(f"/claims/{carried}")).css_first("section.cite .cite-text")
    assert text_of(box).startswith(cite["summary"])


def test_the_outlets_page_counts_articles_and_outlets_apart(client, reported):
    data = client.get("/outlets.json", params={"story": reported}).json()
    assert len(data["rows"]) == data["article_count"] == 3 and data["outlet_count"] == 2
    head = html(client.get("/outlets", params={"story": reported})).css_first("header.page-head")
    assert "3 articles from 2 outlets" in text_of(head)


def test_articles_nobody_named_the_outlet_of_are_outlets_of_their_own(client, lone):
    """Two unnamed articles whose addresses end alike share a label, not an outlet."""
    story_id = lone["story_id"]
    for text, address in (
        (REWRITE, "https://one.example/city/lanes.html"),
        (REWRITE.replace("The mayor", "Its mayor"), "https://two.example/local/lanes.html"),
    ):
        body = {"text": text, "url": address, "story_id": story_id}
        assert client.post("/api/articles", json=body).status_code == 201
    story = client.get(f"/stories/{story_id}.json").json()
    labels = [a["label"] for a in story["articles"]]
    assert labels.count("Unnamed outlet (lanes)") == 2
    assert story["outlet_total"] == 3
    outlets = client.get("/outlets.json", params={"story": story_id}).json()
    assert outlets["article_count"] == outlets["outlet_count"] == 3


def test_an_outlet_typed_in_another_case_or_spacing_is_the_same_outlet(client, shared):
    story_id = shared["story_id"]
    upload(client, REWRITE.replace("The mayor", "Its mayor"), "river  POST", story_id)
    outlets = client.get("/outlets.json", params={"story": story_id}).json()
    assert outlets["article_count"] == 3 and outlets["outlet_count"] == 2
