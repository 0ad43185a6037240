"""The journalist's pages over a real migrated database, with links the tests write themselves.

The seed start links the story with the model; these tests replace those links with a fixed
handful written through the ORM, so what the pages must show does not move with the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import delete, event
from sqlmodel import select

from app.bootstrap import prepare_database
from app.db import write_session
from app.ingest import ArticleInput, store_article
from app.kept import link_kept
from app.main import create_app
from app.models import Article, Claim, Link, Sentence, Story
from app.text.search import phrase_marks, terms
from app.views import reads
from app.views.articles import SentenceMark, paragraphs
from app.views.claims import claim_comparison
from app.views.common import DiffPart, diff_segments, score_view
from app.views.flags import StoryFlags
from app.web.templating import templates
from tests.conftest import make_settings

S000, S001, S002, S003, S004 = (
    "000_224e960a26cc8063.txt", "001_070d2e050e535de4.txt", "002_80f9b83556b2ebf5.txt",
    "003_9b31c275fba08f77.txt", "004_b81e2a5c4819bfb8.txt",
)

# (seed file, start of the sentence, claim key, score, decided by)
LINKS = [
    (S000, "Western powers reignite discussions", "LM01", 0.58, "model"),
    (S000, "As the war in Ukraine intensifies", "LM01", 0.91, "model"),
    (S002, "As the war in Ukraine enters", "LM01", 0.95, "model"),
    (S004, "As the war in Ukraine enters", "LM01", 0.94, "model"),
    (S001, "At least two European nations", "LM01", 0.72, "model"),
    (S000, "These conversations, which had", "LM03", 0.77, "model"),
    (S001, "The French newspaper Le Monde", "LM03", 0.80, "model"),
    (S004, "These delicate debates", "LM03", 0.83, "model"),
    (S004, "These delicate debates", "LM02", 0.80, "model"),
    (S002, "“These delicate discussions", "LM02", 0.88, "model"),
    (S000, "A British military source revealed", "LM08", 0.90, "model"),
    (S001, "According to a British military source", "LM08", 0.88, "model"),
    (S002, "“Negotiations are underway", "LM08", 0.86, "model"),
    (S004, '"Discussions are ongoing', "LM08", 0.93, "model"),
    (S003, "A representative from the British", "LM08", 0.70, "model"),
    (S003, "The primary objective of these", "LM08", 1.0, "editor"),
    (S001, "French Foreign Minister Jean-Noël", "LM11", 0.62, "model"),
]


@dataclass
class Seed:
    """Ids the tests need: claims by key, articles by seed file, sentences by (file, prefix)."""

    claims: dict[str, int]
    articles: dict[str, int]
    sentences: dict[tuple[str, str], int]
    story_id: int

    def sentence(self, source: str, prefix: str) -> int:
        return self.sentences[(source, prefix)]


def replace_links(engine, links=LINKS) -> Seed:
    """Drop whatever links the start wrote and write `links` instead, through the ORM."""
    with write_session(engine) as session:
        session.exec(delete(Link))
        claim_of = {c.key: c for c in session.exec(select(Claim)).all()}
        claims = {key: c.id for key, c in claim_of.items()}
        rows = session.exec(select(Sentence, Article).join(Article)).all()
        found = {}
        for source, prefix, key, score, decided_by in links:
            sentence, article = next(
                (s, a) for s, a in rows if a.source == source and s.text.startswith(prefix)
            )
            found[(source, prefix)] = sentence.id
            session.add(
                Link(sentence_id=sentence.id, claim_id=claims[key], score=score,
                     decided_by=decided_by, kept=link_kept(claim_of[key], sentence, article))
            )
        articles = {a.source: a.id for a in session.exec(select(Article)).all()}
        story_id = session.exec(select(Story.id)).first()
    return Seed(claims, articles, found, story_id)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One prepared database for the module's read-only page tests, with LINKS in place."""
    settings = make_settings(tmp_path_factory.mktemp("pages"))
    engine, _report = prepare_database(settings)
    seed = replace_links(engine)
    app = create_app(settings)
    with TestClient(app) as client:
        yield client, seed, app
    engine.dispose()


@pytest.fixture
def site(seeded) -> TestClient:
    return seeded[0]


@pytest.fixture
def seed(seeded) -> Seed:
    return seeded[1]


def html(response) -> LexborHTMLParser:
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return LexborHTMLParser(response.text)


def text_of(node) -> str:
    return " ".join(node.text(separator=" ").split())


# --- Story index ----------------------------------------------------------------------------


def test_home_lists_every_claim_in_order_with_coverage_and_fidelity(site, seed):
    page = html(site.get("/"))
    assert page.css_first("title").text().endswith("provenance")
    assert "Le Monde" in text_of(page.css_first("main header"))
    keys = [text_of(k) for k in page.css("ol.claims li .key")]
    assert keys[:3] == ["LM01", "LM02", "LM03"] and len(keys) == 24
    lm08 = page.css_first(f"li#claim-{seed.claims['LM08']}")
    assert text_of(lm08.css_first(".coverage")) == "5 of 5 outlets"
    score = text_of(lm08.css_first(".score"))
    assert re.fullmatch(r"(strong|good|fair|weak) link, \d+% sure", score)
    assert lm08.css_first("a.claim-text").attributes["href"] == f"/claims/{seed.claims['LM08']}"
    lm05 = page.css_first(f"li#claim-{seed.claims['LM05']}")
    assert text_of(lm05.css_first(".coverage")) == "0 of 5 outlets"
    assert lm05.css_first(".score") is None
    rows = page.css("table.articles tbody tr")
    assert len(rows) == 5
    assert {r.css_first("a").attributes["href"] for r in rows} == {
        f"/articles/{i}" for i in seed.articles.values()
    }


def test_story_permalink_shows_the_same_story(site, seed):
    page = html(site.get(f"/stories/{seed.story_id}"))
    assert len(page.css("ol.claims li")) == 24
    assert site.get("/stories/999999").status_code == 404


def test_search_ignores_case_and_accents_and_marks_matches(site, seed):
    page = html(site.get("/", params={"q": "noel"}))
    claim_keys = [text_of(k) for k in page.css("ol.claims li .key")]
    assert claim_keys == ["LM09"]
    hits = page.css("ol.hits li")
    assert hits and all("noël" in text_of(h).lower() or "noel" in text_of(h).lower() for h in hits)
    assert {text_of(m).lower() for m in page.css("ol.hits mark")} <= {"noël", "noel"}
    carrying = [h for h in hits if "carries LM11" in text_of(h)]
    assert len(carrying) == 1
    assert page.css_first("input#q").attributes["value"] == "noel"


def test_search_as_you_type_gets_only_the_results_fragment(site):
    response = site.get("/", params={"q": "DCI"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    assert "<html" not in response.text and "<form" not in response.text
    fragment = LexborHTMLParser(response.text)
    assert [text_of(k) for k in fragment.css("ol.claims li .key")][:2] == ["LM14", "LM15"]
    assert fragment.css("ol.hits li")


def test_search_form_works_as_a_plain_get_and_as_htmx(site):
    form = html(site.get("/")).css_first("form.filters")
    assert form.attributes["method"] == "get" and form.attributes["action"] == "/"
    assert form.attributes["hx-target"] == "#results"
    assert form.attributes["hx-indicator"] == "#search-busy"
    search = form.css_first("input[type=search][name=q]")
    assert search.attributes["hx-trigger"] == "input changed delay:300ms, search"
    assert form.css_first("label[for=q]") and form.css_first("label[for=outlet]")
    assert form.css_first("select#outlet[name=outlet]")


def test_outlet_filter_keeps_the_claims_that_outlet_carries(site, seed):
    page = html(site.get("/", params={"outlet": seed.articles[S003]}))
    assert [text_of(k) for k in page.css("ol.claims li .key")] == ["LM08"]
    chosen = page.css_first("select#outlet option[selected]")
    assert chosen.attributes["value"] == str(seed.articles[S003])
    page = html(site.get("/", params={"outlet": seed.articles[S001], "q": "barrot"}))
    assert [text_of(k) for k in page.css("ol.claims li .key")] == ["LM11"]
    assert {text_of(h.css_first(".hit-meta")).split(" ·")[0] for h in page.css("ol.hits li")} == {
        "Unnamed outlet (001_070d2e050e535de4)"
    }


def test_an_unknown_outlet_filter_is_ignored(site):
    page = html(site.get("/", params={"outlet": "999999"}))
    assert len(page.css("ol.claims li")) == 24


def test_story_json_twin_carries_the_page_data(site, seed):
    data = site.get(f"/stories/{seed.story_id}.json").json()
    assert data == site.get("/index.json").json()
    assert data["story"]["origin_outlet"] == "Le Monde"
    by_key = {c["key"]: c for c in data["claims"]}
    assert by_key["LM08"]["article_count"] == 5
    assert by_key["LM02"]["carried_by"] == sorted([seed.articles[S002], seed.articles[S004]])
    assert 0 < by_key["LM08"]["match"]["value"] <= 1
    assert "marks" not in by_key["LM08"]
    assert len(data["articles"]) == 5
    assert site.get("/stories/999999.json").status_code == 404


# --- Claim comparison -----------------------------------------------------------------------


def test_claim_page_shows_the_origin_wording_and_every_outlets_wording(site, seed):
    page = html(site.get(f"/claims/{seed.claims['LM08']}"))
    assert page.css_first("title").text().startswith("LM08")
    origin = text_of(page.css_first(".origin-wording blockquote"))
    assert origin.startswith("A British military source said the UK and France")
    cards = page.css(".cards article.card")
    assert len(cards) == 5
    wordings = page.css(".cards figure.wording")
    assert len(wordings) == 6
    for figure in wordings:
        label = text_of(figure.css_first(".score"))
        assert re.fullmatch(r"(strong|good|fair|weak) link, \d+% sure", label)
        link = figure.css_first("figcaption a").attributes["href"]
        assert re.fullmatch(r"/articles/\d+\?sentence=(\d+)#s-\1", link)
    assert "confirmed by an editor" in text_of(page.css_first(".cards"))
    assert "0.9" not in text_of(page.css_first(".cards"))
    assert page.css_first(".legend ins.added") and page.css_first(".legend del.dropped")
    assert page.css_first(".missing") is None


def test_claim_page_lists_the_outlets_that_leave_it_out(site, seed):
    page = html(site.get(f"/claims/{seed.claims['LM02']}"))
    assert len(page.css(".cards article.card")) == 2
    missing = [a.attributes["href"] for a in page.css(".missing li a")]
    assert sorted(missing) == sorted(f"/articles/{seed.articles[s]}" for s in (S000, S001, S003))


def test_a_diff_without_its_dropped_words_reads_as_the_outlets_sentence(site, seed):
    """Kept, added and reworded words together give back the outlet's exact wording."""
    page = html(site.get(f"/claims/{seed.claims['LM08']}"))
    with_sentences = site.get(f"/claims/{seed.claims['LM08']}.json").json()
    texts = [w["text"] for o in with_sentences["comparison"]["outlets"] for w in o["wordings"]]
    for quote, expected in zip(page.css(".cards figure.wording blockquote"), texts, strict=True):
        for gone in quote.css("del"):
            gone.decompose()
        assert "".join(quote.text().split()) == "".join(expected.split())


def test_a_headline_printed_twice_is_one_wording_of_its_claim():
    """An article printing its headline again above its text shows it once, counted."""
    claim = Claim(id=1, story_id=1, key="LM01", text="Talks on troops for Ukraine revived.",
                  language="en")
    article = Article(id=7, story_id=1, source="a.txt", language="en", role="derivative")
    headline = "France and Britain Discuss Troops for Ukraine"
    rows = [
        reads.LinkRow(1, 0.8, "model", 70, 7, 0, headline),
        reads.LinkRow(1, 0.8, "model", 74, 7, 4, headline + " "),
        reads.LinkRow(1, 0.9, "model", 75, 7, 5, "Talks on sending troops were revived."),
    ]
    comparison = claim_comparison(claim, rows, [article], StoryFlags())
    (outlet,) = comparison.outlets
    assert [w.sentence_id for w in outlet.wordings] == [70, 75]
    assert outlet.wordings[0].repeats == [74] and outlet.wordings[1].repeats == []
    cards = LexborHTMLParser(str(templates.env.get_template("_macros.html").module.wordings(
        comparison, level=3, current=74)))
    (headline_card, _) = cards.css("figure.wording")
    assert "printed 2 times in this article" in text_of(headline_card)
    assert "is-current" in headline_card.attributes["class"], "the repeat is this sentence"


def test_claim_diffs_mark_changes_with_more_than_colour(site, seed):
    page = html(site.get(f"/claims/{seed.claims['LM01']}"))
    assert page.css("blockquote ins.changed") and page.css("blockquote del.changed")
    css = site.get("/static/app.css").text
    assert "del.dropped" in css and "line-through" in css and "underline dotted" in css


def test_claim_neighbours_and_json_twin(site, seed):
    page = html(site.get(f"/claims/{seed.claims['LM02']}"))
    assert page.css_first("a[rel=prev]").attributes["href"] == f"/claims/{seed.claims['LM01']}"
    assert page.css_first("a[rel=next]").attributes["href"] == f"/claims/{seed.claims['LM03']}"
    data = site.get(f"/claims/{seed.claims['LM02']}.json").json()
    assert data["comparison"]["claim"]["key"] == "LM02"
    assert {o["article"]["id"] for o in data["comparison"]["outlets"]} == {
        seed.articles[S002], seed.articles[S004]
    }
    first = data["comparison"]["outlets"][0]["wordings"][0]
    assert {"text", "score", "kept_percent", "diff", "url"} <= set(first)
    assert {op["op"] for op in first["diff"]} <= {"equal", "replace", "insert", "delete"}
    assert site.get("/claims/999999.json").status_code == 404
    assert site.get("/claims/999999").status_code == 404


# --- Article reader -------------------------------------------------------------------------


def test_article_reader_keeps_every_character_and_marks_each_sentence(site, seed):
    aid = seed.articles[S000]
    page = html(site.get(f"/articles/{aid}"))
    data = site.get(f"/articles/{aid}.json").json()
    container = page.css_first("article .text")
    assert "hx-disable" in container.attributes
    for sentence in data["sentences"]:
        node = page.css_first(f"#s-{sentence['id']}")
        assert node is not None
        if sentence["kind"] == "boilerplate":
            assert node.tag == "span" and "s-boilerplate" in node.attributes["class"]
            continue
        assert node.tag == "a"
        sid = sentence["id"]
        assert node.attributes["href"] == f"/articles/{aid}?sentence={sid}#s-{sid}"
    lm01 = page.css_first(f"#s-{seed.sentence(S000, 'As the war in Ukraine intensifies')}")
    assert "s-claim" in lm01.attributes["class"]
    assert [text_of(m) for m in lm01.css(".mark")] == ["claim LM01"]
    owns = page.css("a.s-own")
    assert owns and all(text_of(n.css_first(".mark")) == "own" for n in owns)


def _without_markers(container) -> str:
    for mark in container.css(".mark, .flag-mark"):
        mark.decompose()
    return "".join(container.text().split())


def test_article_reader_text_is_the_original_without_the_markers(site, seed):
    aid = seed.articles[S004]
    page = html(site.get(f"/articles/{aid}"))
    original = site.get(f"/api/articles/{aid}").json()["text"]
    assert _without_markers(page.css_first("article .text")) == "".join(original.split())
    assert len(page.css("article .text p")) == original.strip().count("\n") + 1 - sum(
        1 for line in original.strip().split("\n") if not line.strip()
    )


def test_a_sentence_url_opens_the_panel_with_every_outlets_wording(site, seed):
    aid, sid = seed.articles[S004], seed.sentence(S004, "These delicate debates")
    page = html(site.get(f"/articles/{aid}", params={"sentence": sid}))
    panel = page.css_first("aside#panel.open")
    assert panel is not None and panel.attributes["data-sentence"] == str(sid)
    assert page.css_first(f"#s-{sid}").attributes["aria-current"] == "true"
    keys = [text_of(h.css_first(".key")) for h in panel.css(".panel-claim h3")]
    assert keys == ["LM03", "LM02"], "the strongest link first"
    assert [len(c.css("figure.wording")) for c in panel.css(".panel-claim")] == [3, 2]
    assert panel.css_first("figure.wording.is-current").attributes["data-sentence"] == str(sid)
    assert panel.css_first("a.close").attributes["href"] == f"/articles/{aid}"
    data = site.get(f"/articles/{aid}.json", params={"sentence": sid}).json()
    assert [c["claim"]["key"] for c in data["panel"]["comparisons"]] == ["LM03", "LM02"]


def test_htmx_gets_only_the_panel(site, seed):
    aid, sid = seed.articles[S000], seed.sentence(S000, "A British military source revealed")
    response = site.get(
        f"/articles/{aid}",
        params={"sentence": sid},
        headers={"HX-Request": "true", "HX-Target": "panel"},
    )
    assert response.status_code == 200 and "<html" not in response.text
    fragment = LexborHTMLParser(response.text)
    assert fragment.css_first("aside#panel.open") is not None
    assert len(fragment.css("figure.wording")) == 6
    closed = site.get(f"/articles/{aid}", headers={"HX-Request": "true", "HX-Target": "panel"})
    assert LexborHTMLParser(closed.text).css_first("aside#panel:not(.open)") is not None


def test_own_material_sentence_panel_says_so(site, seed):
    aid = seed.articles[S003]
    data = site.get(f"/articles/{aid}.json").json()
    own = next(s for s in data["sentences"] if s["state"] == "own")
    page = html(site.get(f"/articles/{aid}", params={"sentence": own["id"]}))
    assert "own material" in text_of(page.css_first("aside#panel"))
    assert page.css_first("aside#panel .cards") is None


def test_sentence_permalink_redirects_to_its_place(site, seed):
    sid = seed.sentence(S002, "“Negotiations are underway")
    response = site.get(f"/sentences/{sid}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/articles/{seed.articles[S002]}?sentence={sid}#s-{sid}"
    )
    assert site.get("/sentences/999999", follow_redirects=False).status_code == 404
    assert site.get("/articles/999999").status_code == 404
    assert site.get("/articles/999999.json").status_code == 404


# --- Outlets --------------------------------------------------------------------------------


def test_outlets_page_shows_shares_and_what_each_left_out(site, seed):
    page = html(site.get("/outlets"))
    data = site.get("/outlets.json").json()
    by_article = {r["article"]["id"]: r for r in data["rows"]}
    row = by_article[seed.articles[S003]]
    assert [c["key"] for c in row["carried"]] == ["LM08"]
    assert len(row["left_out"]) == 23
    assert row["linked_sentences"] == 2
    assert row["linked_percent"] + row["own_percent"] == 100
    card = page.css_first(f"#outlet-{seed.articles[S003]}").parent
    assert f"{row['linked_percent']}%" in text_of(card.css_first(".share-text"))
    assert [text_of(a) for a in card.css(".chips")[0].css("a")] == ["LM08"]
    assert len(card.css(".chips")[1].css("a")) == 23


# --- Every page -----------------------------------------------------------------------------


def _pages(seed: Seed) -> list[str]:
    return [
        "/", f"/stories/{seed.story_id}", "/?q=barrot", f"/claims/{seed.claims['LM08']}",
        f"/articles/{seed.articles[S000]}",
        f"/articles/{seed.articles[S004]}?sentence={seed.sentence(S004, 'These delicate debates')}",
        "/outlets",
    ]


def test_pages_are_semantic_and_safe_for_a_strict_content_security_policy(site, seed):
    for path in _pages(seed):
        page = html(site.get(path))
        assert page.css_first("title").text().strip(), path
        assert len(page.css("main#main")) == 1 and len(page.css("h1")) == 1, path
        nav = page.css_first("header nav")
        assert "/upload" in [a.attributes["href"] for a in nav.css("a")]
        for script in page.css("script"):
            if script.attributes.get("type") == "application/ld+json":
                continue  # data for crawlers, never executed, so a CSP does not stop it
            assert script.attributes.get("src"), f"inline script on {path}"
            assert "defer" in script.attributes
        for node in page.css("*"):
            names = set(node.attributes)
            assert "style" not in names, path
            assert not any(n.startswith("on") or n.startswith("hx-on") for n in names), path
        levels = [int(h.tag[1]) for h in page.css("h1, h2, h3, h4, h5, h6")]
        assert levels[0] == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)


def test_article_content_is_always_escaped(tmp_path):
    settings = make_settings(tmp_path)
    engine, _report = prepare_database(settings)
    hostile = '<script>alert(1)</script> The <b hx-get="/x">claim</b> is here.\nNext <img src=x>.'
    with write_session(engine) as session:
        story = session.exec(select(Story)).first()
        article, _ = store_article(
            session, story,
            ArticleInput(raw=hostile, text=hostile, source="hostile.txt",
                         title="<i>Title</i>", outlet="<b>Outlet</b>"),
        )
        aid = article.id
    with TestClient(create_app(settings)) as client:
        for path in (f"/articles/{aid}", "/", "/?q=alert", "/outlets"):
            body = client.get(path).text
            assert "<script>alert" not in body and "<b hx-get" not in body, path
            assert "<i>Title</i>" not in body and "<b>Outlet</b>" not in body, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/articles/{aid}").text
    engine.dispose()


def test_pages_say_plainly_when_nothing_is_linked(tmp_path):
    settings = make_settings(tmp_path)
    engine, _report = prepare_database(settings)
    seed = replace_links(engine, links=[])
    with TestClient(create_app(settings)) as client:
        home = html(client.get("/"))
        assert "No sentence is linked" in text_of(home.css_first(".notice"))
        assert len(home.css("ol.claims li")) == 24
        claim = html(client.get(f"/claims/{seed.claims['LM01']}"))
        assert "No outlet's sentence is linked" in text_of(claim.css_first("main"))
        assert len(claim.css(".missing li")) == 5
        outlets = html(client.get("/outlets"))
        assert outlets.css_first(".notice") is not None
        assert client.get("/outlets.json").json()["has_links"] is False
    engine.dispose()


def test_each_page_makes_a_few_queries(seeded):
    """No N+1: a page is a handful of queries whatever the story's size (`make bench` times it)."""
    client, seed, app = seeded
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", count)
    try:
        for path in _pages(seed):
            statements.clear()
            assert client.get(path).status_code == 200
            assert len(statements) <= 10, (path, len(statements))
    finally:
        event.remove(app.state.engine, "before_cursor_execute", count)


# --- Pure helpers ---------------------------------------------------------------------------


def test_scores_read_as_words_and_percentages():
    assert score_view(0.87).label == "strong link" and score_view(0.87).percent == 87
    assert score_view(0.7).level == "good"
    assert score_view(0.5).level == "fair"
    assert score_view(0.2).label == "weak link"


def test_diff_segments_keep_spaces_outside_the_marks():
    ops = [
        DiffPart(op="equal", a="The ", b="The "),
        DiffPart(op="replace", a="talks were ", b="debate was "),
        DiffPart(op="delete", a="quietly ", b=""),
        DiffPart(op="insert", a="", b="very "),
        DiffPart(op="equal", a="revived.", b="revived."),
    ]
    assert diff_segments(ops) == [
        ("kept", "The "), ("from", "talks were"), ("space", " "), ("to", "debate was"),
        ("space", " "), ("dropped", "quietly"), ("space", " "), ("added", "very"),
        ("space", " "), ("kept", "revived."),
    ]


def test_search_marks_whole_words_across_accents_in_the_original_spelling():
    assert phrase_marks("Jean-Noël Barrot said", terms("noel")) == [
        ("Jean-", False), ("Noël", True), (" Barrot said", False),
    ]
    assert phrase_marks("Élysée", terms("ELYSEE")) == [("Élysée", True)]
    assert phrase_marks("the red lines of Paris", terms("Red line")) == [
        ("the ", False), ("red lines", True), (" of Paris", False),
    ]
    assert phrase_marks("lines red", terms("red line")) is None
    assert phrase_marks("nothing here", terms("absent")) is None
    assert phrase_marks("anything", terms("   ")) is None


def _mark(sid: int, start: int, end: int, text: str, kind: str = "content") -> SentenceMark:
    return SentenceMark(id=sid, index=sid, start=start, end=end, kind=kind, state="own",
                        text=text[start:end], claims=[], url="")


def test_paragraphs_keep_every_character_and_split_sentences_at_line_breaks():
    text = "Title\n\nOne two. Three\nfour.  (tail)"
    marks = [_mark(1, 0, 5, text, "heading"), _mark(2, 7, 15, text), _mark(3, 16, 27, text)]
    result = paragraphs(text, marks)
    assert [p.heading for p in result] == [True, False, False]
    assert "".join(p.text for para in result for p in para.pieces) == text.replace("\n", "")
    split = [p for para in result for p in para.pieces if p.sentence and p.sentence.id == 3]
    assert [p.first for p in split] == [True, False]
    assert result[-1].pieces[-1].sentence is None and result[-1].pieces[-1].text == "  (tail)"


def test_an_empty_database_says_there_is_no_story_yet(tmp_path):
    settings = make_settings(tmp_path, load_seeds=False)
    engine, _report = prepare_database(settings)
    with TestClient(create_app(settings)) as client:
        home = html(client.get("/"))
        assert "No story yet" in text_of(home.css_first("h1"))
        assert home.css_first("main a[href='/upload']") is not None
        assert "No story is loaded" in text_of(html(client.get("/outlets")).css_first("main"))
        assert client.get("/index.json").status_code == 404
        assert client.get("/outlets.json").status_code == 404
    engine.dispose()


def test_the_panel_puts_the_readers_own_article_first(site, seed):
    aid, sid = seed.articles[S004], seed.sentence(S004, "These delicate debates")
    data = site.get(f"/articles/{aid}.json", params={"sentence": sid}).json()
    for comparison in data["panel"]["comparisons"]:
        assert comparison["outlets"][0]["article"]["id"] == aid


# --- Errors ---------------------------------------------------------------------------------

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def error_page(response, status: int) -> LexborHTMLParser:
    """A styled page of the site (its navigation and one heading), with no JSON in it."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert '"detail"' not in response.text
    page = LexborHTMLParser(response.text)
    assert page.css_first("header nav a[href='/upload']") is not None
    assert len(page.css("main#main h1")) == 1
    return page


@pytest.mark.parametrize("path", ["/nope", "/claims/abc", "/articles/1/nothing"])
def test_a_browser_at_an_unknown_address_gets_the_not_found_page(site, path):
    page = error_page(site.get(path, headers=BROWSER), 404)
    assert text_of(page.css_first("h1")) == "No such page"
    assert page.css_first("main a[href='/']") is not None


def test_a_bad_value_in_the_address_is_explained_in_plain_words(site, seed):
    response = site.get(f"/articles/{seed.articles[S000]}?sentence=abc", headers=BROWSER)
    page = error_page(response, 422)
    message = text_of(page.css_first("main"))
    assert "sentence" in message and "“abc”" in message
    assert "Input should" not in message and "int_parsing" not in message


def test_a_wrong_method_on_a_page_gets_a_page_that_names_the_allowed_one(site, seed):
    response = site.get(f"/articles/{seed.articles[S000]}/delete", headers=BROWSER)
    error_page(response, 405)
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/nope", 404),
        ("/api/articles/abc", 422),
        ("/claims/abc.json", 404),
        ("/articles/1.json?sentence=abc", 422),
    ],
)
def test_the_api_and_json_twins_keep_their_json_errors_even_for_a_browser(site, path, status):
    response = site.get(path, headers=BROWSER)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


def test_a_script_that_does_not_ask_for_html_keeps_json_errors(site):
    response = site.get("/nope")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
