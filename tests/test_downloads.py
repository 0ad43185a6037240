"""What journalists take away: CSV downloads of every list, JSON twins, schema.org markup on
claim pages, the "cite this" box, and quote addresses that survive re-segmentation."""

from __future__ import annotations

import io
import json
from urllib.parse import urljoin

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, URIRef, namespace
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import delete
from sqlmodel import select

from app.bootstrap import prepare_database
from app.db import write_session
from app.main import create_app
from app.models import Sentence
from app.tabular import csv_lines
from app.views.cite import Origin, claim_summary
from tests.conftest import make_settings
from tests.test_pages import S000, S001, S003, S004, replace_links, text_of


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One seeded database with the page tests' links, shared by the read-only tests here."""
    settings = make_settings(tmp_path_factory.mktemp("downloads"))
    engine, _report = prepare_database(settings)
    seed = replace_links(engine)
    with TestClient(create_app(settings)) as client:
        yield client, seed
    engine.dispose()


@pytest.fixture
def site(seeded) -> TestClient:
    return seeded[0]


@pytest.fixture
def seed(seeded):
    return seeded[1]


def page_of(response) -> LexborHTMLParser:
    assert response.status_code == 200, response.text[:300]
    return LexborHTMLParser(response.text)


def read_csv(client: TestClient, url: str) -> pd.DataFrame:
    """The download as a spreadsheet library reads it."""
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    # a byte order mark first, or Excel reads the accents as its legacy code page
    assert response.content.startswith("\ufeff".encode())
    return pd.read_csv(
        io.BytesIO(response.content), encoding="utf-8-sig", keep_default_na=False, dtype=str
    )


# --- CSV downloads --------------------------------------------------------------------------


def test_story_claims_csv_has_the_claims_the_page_shows_with_the_same_filters(site, seed):
    for params in ({}, {"q": "barrot"}, {"outlet": str(seed.articles[S003])}):
        query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        data = site.get(f"/stories/{seed.story_id}.json{query}").json()
        table = read_csv(site, f"/stories/{seed.story_id}.csv{query}")
        assert list(table.columns[:4]) == ["key", "text", "source", "outlets"]
        assert list(table["key"]) == [c["key"] for c in data["claims"]], params
        assert list(table["text"]) == [c["text"] for c in data["claims"]]
        assert [int(n) for n in table["outlets"]] == [c["article_count"] for c in data["claims"]]
    table = read_csv(site, f"/stories/{seed.story_id}.csv").set_index("key")
    assert table.loc["LM02", "carried_by"].split("; ") == [
        "Unnamed outlet (002_80f9b83556b2ebf5)", "Unnamed outlet (004_b81e2a5c4819bfb8)"
    ]
    assert table.loc["LM08", "url"] == f"http://testserver/claims/{seed.claims['LM08']}"
    assert table.loc["LM05", "match_percent"] == ""


def test_search_results_csv_lists_every_matching_sentence(site, seed):
    data = site.get(f"/stories/{seed.story_id}.json", params={"q": "the"}).json()
    table = read_csv(site, f"/stories/{seed.story_id}/sentences.csv?q=the")
    assert len(table) == data["hit_total"] > len(data["hits"])  # the page lists the first ones
    assert list(table["sentence_id"][: len(data["hits"])]) == [
        str(h["sentence_id"]) for h in data["hits"]
    ]
    assert all("the" in t.lower() for t in table["text"])
    narrowed = read_csv(
        site, f"/stories/{seed.story_id}/sentences.csv?q=the&outlet={seed.articles[S001]}"
    )
    assert 0 < len(narrowed) < len(table)
    assert set(narrowed["article_id"]) == {str(seed.articles[S001])}


def test_claim_wordings_csv_has_one_row_per_wording(site, seed):
    data = site.get(f"/claims/{seed.claims['LM08']}.json").json()
    table = read_csv(site, f"/claims/{seed.claims['LM08']}.csv")
    wordings = [w for o in data["comparison"]["outlets"] for w in o["wordings"]]
    assert len(table) == len(wordings) == 6
    assert list(table["text"]) == [w["text"] for w in wordings]
    assert list(table["decided_by"]).count("editor") == 1
    assert set(table["claim"]) == {"LM08"}
    assert [int(p) for p in table["match_percent"]] == [w["score"]["percent"] for w in wordings]


def test_article_csv_has_every_sentence_with_its_claims(site, seed):
    aid = seed.articles[S004]
    data = site.get(f"/articles/{aid}.json").json()
    table = read_csv(site, f"/articles/{aid}.csv")
    assert list(table["text"]) == [s["text"] for s in data["sentences"]]
    debates = table[table["text"].str.startswith("These delicate debates")].iloc[0]
    assert sorted(debates["claims"].split("; ")) == ["LM02", "LM03"]
    assert debates["state"] == "claim"
    assert len(debates["match_percent"].split("; ")) == 2


def test_outlets_csv_has_one_row_per_article(site, seed):
    data = site.get("/outlets.json").json()
    table = read_csv(site, f"/outlets.csv?story={seed.story_id}")
    assert [int(i) for i in table["article_id"]] == [r["article"]["id"] for r in data["rows"]]
    assert [int(p) for p in table["linked_percent"]] == [r["linked_percent"] for r in data["rows"]]
    row = table.set_index("article_id").loc[str(seed.articles[S003])]
    assert row["carries"] == "LM08" and "LM01" in row["leaves_out"].split("; ")


def test_csv_is_written_row_by_row():
    lines = csv_lines(["a", "b"], iter([[1, None], ['say "hi"', "x,y"]]))
    assert next(lines) == "a,b\r\n"
    assert next(lines) == "1,\r\n"
    assert next(lines) == '"say ""hi""","x,y"\r\n'


def test_every_page_links_its_downloads_without_javascript(site, seed):
    pages = [
        "/", "/?q=barrot", f"/claims/{seed.claims['LM08']}", f"/articles/{seed.articles[S000]}",
        "/outlets",
    ]
    for path in pages:
        links = [a.attributes["href"] for a in page_of(site.get(path)).css("a[download]")]
        assert links, path
        for href in links:
            assert site.get(urljoin("http://testserver" + path, href)).status_code == 200, href
    home = [a.attributes["href"] for a in page_of(site.get("/?q=barrot")).css("a[download]")]
    assert f"/stories/{seed.story_id}.csv?q=barrot&outlet=" in home
    assert f"/stories/{seed.story_id}/export.zip" in home


def test_downloads_of_missing_things_are_404(site):
    for path in ("/stories/999999.csv", "/claims/999999.csv", "/articles/999999.csv",
                 "/outlets.csv?story=999999", "/stories/999999/export.json",
                 "/stories/999999/export.zip", "/stories/1/export.xml"):
        assert site.get(path).status_code == 404, path


# --- JSON twins and selectors ---------------------------------------------------------------


def test_sentences_carry_text_quote_and_position_selectors(site, seed):
    aid = seed.articles[S000]
    api = site.get(f"/api/articles/{aid}").json()
    text = api["text"]
    for sentence in api["sentences"]:
        quote, position = sentence["selector"]
        assert quote["type"] == "TextQuoteSelector" and quote["exact"] == sentence["text"]
        assert text[: sentence["start"]].endswith(quote["prefix"])
        assert text[sentence["end"] :].startswith(quote["suffix"])
        assert position == {"type": "TextPositionSelector", "start": sentence["start"],
                            "end": sentence["end"]}
    page = site.get(f"/articles/{aid}.json").json()
    assert [s["selector"] for s in page["sentences"]] == [s["selector"] for s in api["sentences"]]


def test_a_sentence_has_a_json_twin(site, seed):
    sid = seed.sentence(S004, "These delicate debates")
    data = site.get(f"/sentences/{sid}.json").json()
    assert data["id"] == sid and data["article"]["id"] == seed.articles[S004]
    assert sorted(c["key"] for c in data["claims"]) == ["LM02", "LM03"]
    assert data["selector"][0]["exact"] == data["text"]
    assert site.get("/sentences/999999.json").status_code == 404


# --- schema.org JSON-LD ---------------------------------------------------------------------


def _jsonld(site, claim_id: int) -> str:
    page = page_of(site.get(f"/claims/{claim_id}"))
    scripts = page.css('head script[type="application/ld+json"]')
    assert len(scripts) == 1
    return scripts[0].text()


def test_claim_page_embeds_schema_org_claim_markup_that_parses_as_json_ld(site, seed):
    schema = namespace.SDO
    claim_id = seed.claims["LM08"]
    graph = Graph().parse(data=_jsonld(site, claim_id), format="json-ld")
    claim = URIRef(f"http://testserver/claims/{claim_id}")
    assert (claim, RDF.type, schema.Claim) in graph
    assert graph.value(claim, schema.identifier) == Literal("LM08")
    assert str(graph.value(claim, schema.text)).startswith("A British military source said")
    appearances = list(graph.objects(claim, schema.appearance))
    assert len(appearances) == 5
    for item in appearances:
        assert (item, RDF.type, schema.NewsArticle) in graph
        assert str(graph.value(item, schema.url)).startswith("http://testserver/articles/")
        assert graph.value(graph.value(item, schema.publisher), schema.name) is not None
    first = graph.value(claim, schema.firstAppearance)
    assert graph.value(graph.value(first, schema.publisher), schema.name) == Literal("Le Monde")
    assert str(graph.value(first, schema.datePublished)) == "2024-11-25"
    headlines = {str(graph.value(i, schema.headline)) for i in appearances}
    assert "France and Britain Discuss Potential Deployment of Troops to Support Ukraine" in (
        headlines
    )


def test_every_term_of_the_claim_markup_is_in_the_schema_org_vocabulary(site, seed):
    for key in ("LM01", "LM08", "LM05"):
        graph = Graph().parse(data=_jsonld(site, seed.claims[key]), format="json-ld")
        assert len(graph) > 3
        for _subject, predicate, obj in graph:
            if predicate == RDF.type:
                assert obj in namespace.SDO, obj
            else:
                assert predicate in namespace.SDO, predicate


def test_the_markup_cannot_break_out_of_its_script_element(tmp_path):
    settings = make_settings(tmp_path, load_seeds=True)
    engine, _report = prepare_database(settings)
    hostile = "</script><script>alert(1)</script>"
    with write_session(engine) as session:
        from app.models import Claim

        claim = session.exec(select(Claim)).first()
        claim.text = hostile
        session.add(claim)
        claim_id = claim.id
    with TestClient(create_app(settings)) as client:
        body = client.get(f"/claims/{claim_id}").text
        assert "<script>alert" not in body
        markup = LexborHTMLParser(body).css_first('script[type="application/ld+json"]').text()
        assert json.loads(markup)["text"] == hostile
    engine.dispose()


# --- Cite this ------------------------------------------------------------------------------


def test_claim_page_cite_box_gives_the_permalink_and_a_summary(site, seed):
    claim_id = seed.claims["LM08"]
    box = page_of(site.get(f"/claims/{claim_id}")).css_first("section.cite")
    assert box is not None
    permalink = f"http://testserver/claims/{claim_id}"
    assert box.css_first(".cite-text a").attributes["href"] == permalink
    summary = "Claim LM08 of Le Monde, 25 Nov 2024, carried by 5 of 5 outlets."
    assert text_of(box.css_first(".cite-text")) == f"{summary} {permalink}"
    button = box.css_first("button.cite-copy")
    assert button.attributes["data-copy"] == f"{summary} {permalink}"
    assert "hidden" in button.attributes
    cite = site.get(f"/claims/{seed.claims['LM02']}.json").json()["cite"]
    assert cite["summary"] == "Claim LM02 of Le Monde, 25 Nov 2024, carried by 2 of 5 outlets."


def test_article_page_cite_box_says_how_much_comes_from_the_origin(site, seed):
    aid = seed.articles[S003]
    data = site.get(f"/articles/{aid}.json").json()
    cite = data["cite"]
    assert cite["permalink"] == f"http://testserver/articles/{aid}"
    assert cite["summary"] == (
        "Unnamed outlet (003_9b31c275fba08f77), \u201cFrance and Britain Discuss Potential "
        "Deployment of Troops to Support Ukraine\u201d, 26 Nov 2024: "
        f"{data['linked_count']} of {data['content_count']} content sentences from Le Monde, "
        "25 Nov 2024; carries 1 of 24 claims."
    )
    box = page_of(site.get(f"/articles/{aid}")).css_first("section.cite")
    assert text_of(box.css_first(".cite-text")) == f"{cite['summary']} {cite['permalink']}"


def test_the_summary_takes_a_count_of_outlets_that_change_the_figure():
    origin = Origin(outlet="Le Monde", published=None)
    assert claim_summary("LM08", origin, 4, 5) == (
        "Claim LM08 of Le Monde, carried by 4 of 5 outlets."
    )
    assert claim_summary("LM08", origin, 4, 5, changed=1).endswith(
        "carried by 4 of 5 outlets; 1 changes the figure."
    )
    assert claim_summary("LM08", origin, 4, 5, changed=2).endswith("; 2 change the figure.")
    unknown = Origin(outlet=None, published=None)
    assert claim_summary("K1", unknown, 1, 1) == (
        "Claim K1 of the origin report, carried by 1 of 1 outlet."
    )


# --- Quote addresses ------------------------------------------------------------------------


def _follow_quote(site, aid: int, quote: dict):
    params = {k: quote[k] for k in ("exact", "prefix", "suffix")}
    return site.get(f"/articles/{aid}/quote", params=params, follow_redirects=False)


def test_a_quote_address_opens_its_sentence(site, seed):
    aid = seed.articles[S004]
    for sentence in site.get(f"/articles/{aid}.json").json()["sentences"]:
        response = _follow_quote(site, aid, sentence["selector"][0])
        assert response.status_code == 303
        sid = sentence["id"]
        assert response.headers["location"] == f"/articles/{aid}?sentence={sid}#s-{sid}"


def test_a_quote_not_in_the_article_gets_a_clear_404_page(site, seed):
    aid = seed.articles[S004]
    response = site.get(f"/articles/{aid}/quote", params={"exact": "troops landed on the moon"})
    assert response.status_code == 404
    main = text_of(LexborHTMLParser(response.text).css_first("main"))
    assert "\u201ctroops landed on the moon\u201d is not in the article of" in main
    assert site.get(f"/articles/{aid}/quote").status_code == 404
    assert site.get("/articles/999999/quote", params={"exact": "x"}).status_code == 404


def _resegment(engine, aid: int, spans: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Cut the article into these sentences instead, as a new segmenter would."""
    with write_session(engine) as session:
        from app.models import Article

        text = session.get(Article, aid).text
        session.exec(delete(Sentence).where(Sentence.article_id == aid))
        rows = [
            Sentence(article_id=aid, index=i, start=s, end=e, kind="content", text=text[s:e])
            for i, (s, e) in enumerate(spans)
        ]
        session.add_all(rows)
        session.flush()
        return {(r.start, r.end): r.id for r in rows}


def test_quote_addresses_survive_a_new_segmentation(tmp_path):
    settings = make_settings(tmp_path)
    engine, _report = prepare_database(settings)
    seed = replace_links(engine)
    aid = seed.articles[S000]
    with TestClient(create_app(settings)) as site:
        before = site.get(f"/articles/{aid}.json").json()["sentences"]
        content = [s for s in before if s["kind"] == "content"]
        a, b, c = content[2], content[3], content[4]
        spans = [(s["start"], s["end"]) for s in before if s not in (a, b, c)]
        cut = a["start"] + (a["end"] - a["start"]) // 3  # a split near its first third
        while a["text"][cut - a["start"]] != " ":
            cut += 1
        spans += [(a["start"], cut), (cut + 1, a["end"]), (b["start"], c["end"])]  # b+c merged
        ids = _resegment(engine, aid, sorted(spans))

        # the old sentence a now spans two: it opens the one holding most of it
        response = _follow_quote(site, aid, a["selector"][0])
        assert response.status_code == 303
        assert f"sentence={ids[(cut + 1, a['end'])]}" in response.headers["location"]
        # the old sentences b and c are now one: both open it
        for old in (b, c):
            response = _follow_quote(site, aid, old["selector"][0])
            assert f"sentence={ids[(b['start'], c['end'])]}" in response.headers["location"]
    engine.dispose()
