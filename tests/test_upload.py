"""Uploads through the API, the form and the command line: linked at once, refused cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.linker import Linker
from app.main import create_app
from app.models import Article, Claim, Decision, Embedding, Link, Sentence, Story
from app.settings import ROOT

pytestmark = pytest.mark.both_backends

DATA = Path(__file__).parent / "data"
COVERAGE = (DATA / "coverage_en.txt").read_text(encoding="utf-8")
UNRELATED = (DATA / "unrelated_en.txt").read_text(encoding="utf-8")

NEWS_PAGE = """<!doctype html>
<html lang="en"><head><title>Paris and London weigh troops for Ukraine | The Daily Test</title>
<meta property="article:published_time" content="2024-11-27T08:00:00Z">
<meta name="author" content="Ann Example"></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div class="ad">Buy our newsletter now! Subscribe today.</div>
<article>
<h1>Paris and London weigh troops for Ukraine</h1>
<p>A British military source told Le Monde that the United Kingdom and France are discussing
defence cooperation to build a core group of European allies focused on Ukraine and European
security.</p>
<p>The French state owns 55% of Défense Conseil International, the newspaper added, and the
company is ready to keep training Ukrainian soldiers inside Ukraine.</p>
<p>Foreign Minister Jean-Noël Barrot said in a BBC interview on 23 November that allies should
not set red lines on their support for Ukraine.</p>
</article>
<aside><h2>Related</h2><ul><li><a href="/x">Ten things about ferries</a></li></ul></aside>
<script>document.write("tracking")</script>
</body></html>
"""


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            m.__name__: session.exec(select(func.count()).select_from(m)).one()
            for m in (Story, Article, Sentence, Claim, Link, Decision, Embedding)
        }


def test_api_upload_is_linked_at_once_and_summarised(client):
    response = client.post(
        "/api/articles",
        json={"text": COVERAGE, "outlet": "Test Gazette", "published": "2024-11-26"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["story_id"] == 1 and body["created"] and not body["story_created"]
    coverage = body["coverage"]
    assert coverage["linked_sentences"] >= 3
    assert coverage["own_sentences"] >= 1
    covered = {c["key"] for c in coverage["covered"]}
    assert "LM08" in covered
    assert covered.isdisjoint({c["key"] for c in coverage["missing"]})
    article = client.get(f"/api/articles/{body['article_id']}").json()
    assert article["outlet"] == "Test Gazette" and article["published"] == "2024-11-26"
    assert article["language"] == "en"
    linked = [s for s in article["sentences"] if s["links"]]
    assert all(0 < link["score"] <= 1 for s in linked for link in s["links"])
    assert article["text"] == COVERAGE


def test_articles_pasted_without_an_outlet_are_told_apart(client):
    """Side by side, two pasted articles must not read as one outlet until an editor names
    them."""
    first = client.post("/api/articles", json={"text": COVERAGE}).json()
    second = client.post(
        "/api/articles", json={"text": COVERAGE.replace("Le Monde", "the French daily")}
    ).json()
    labels = [client.get(f"/api/articles/{b['article_id']}").json()["label"]
              for b in (first, second)]
    assert labels == [f"Unnamed outlet (pasted text, article {b['article_id']})"
                      for b in (first, second)]


def test_same_content_twice_leads_to_the_existing_article(client, engine):
    first = client.post("/api/articles", json={"text": COVERAGE}).json()
    before = counts(engine)
    again = client.post("/api/articles", json={"text": COVERAGE + "\n\n"})
    assert again.status_code == 200
    assert again.json()["article_id"] == first["article_id"]
    assert not again.json()["created"]
    assert counts(engine) == before


def test_unrelated_article_starts_a_new_story(client):
    body = client.post("/api/articles", json={"text": UNRELATED}).json()
    assert body["story_created"] and body["story_id"] != 1
    assert body["coverage"]["linked_sentences"] == 0


def test_a_single_sentence_on_the_story_joins_it(client):
    body = client.post(
        "/api/articles", json={"text": "Macron has not ruled out sending troops to Ukraine."}
    ).json()
    assert body["story_id"] == 1 and not body["story_created"]
    assert body["coverage"]["linked_sentences"] == 1


def test_a_single_sentence_on_the_same_war_but_not_the_story_starts_its_own(client):
    body = client.post(
        "/api/articles",
        json={"text": "Russian forces advanced near Pokrovsk, the Ukrainian general staff said."},
    ).json()
    assert body["story_created"] and body["story_id"] != 1


def test_html_page_uploaded_through_the_form_is_reduced_to_its_article(client):
    response = client.post(
        "/upload",
        files={"file": ("troops.html", NEWS_PAGE.encode(), "application/octet-stream")},
        data={"outlet": "The Daily Test"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith("?uploaded=1")
    article_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    article = client.get(f"/api/articles/{article_id}").json()
    assert article["format"] == "html"
    assert "British military source" in article["text"]
    assert "newsletter" not in article["text"] and "Ten things" not in article["text"]
    assert "tracking" not in article["text"]
    assert article["published"] == "2024-11-27"
    assert article["title"].startswith("Paris and London weigh troops")
    assert any(s["links"] for s in article["sentences"])


@pytest.mark.parametrize(("given", "outlet"), [("", "The Daily Test"), ("Le Soir", "Le Soir")])
def test_a_saved_page_names_its_outlet_unless_the_uploader_does(client, given, outlet):
    response = client.post(
        "/upload",
        files={"file": ("troops.html", NEWS_PAGE.encode(), "application/octet-stream")},
        data={"outlet": given},
        follow_redirects=False,
    )
    article_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    assert client.get(f"/api/articles/{article_id}").json()["outlet"] == outlet


def test_upload_form_is_served_with_its_fields(client):
    page = client.get("/upload")
    assert page.status_code == 200
    for name in ("file", "text", "outlet", "title", "url", "published", "language", "role"):
        assert f'name="{name}"' in page.text


BAD_FORMS = [
    ({"data": {"text": "   "}}, 400, "Paste the article"),
    ({"files": {"file": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}}, 415, "PNG"),
    ({"files": {"file": ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")}}, 415, "PDF"),
    ({"files": {"file": ("a.txt", "caf\u00e9 \x00\x01\x02".encode("utf-16-le") * 50)}}, 415, ""),
    (
        {
            "files": {
                "file": ("menu.html", b"<html><body><nav><a href=/>Home</a></nav></body></html>")
            }
        },
        422,
        "",
    ),
    ({"data": {"text": "Read also:\n\nSkip to content"}}, 422, "No sentence"),
    ({"data": {"text": "... --- !!!"}}, 422, "No sentence"),
    ({"data": {"text": "***\n\n« — » …"}}, 422, "No sentence"),
    ({"data": {"text": COVERAGE, "published": "the day after"}}, 400, "not a date"),
    ({"data": {"text": COVERAGE, "role": "rumour"}}, 400, "Role"),
    ({"data": {"text": COVERAGE, "url": "javascript:alert(1)"}}, 400, "not a web address"),
    ({"data": {"text": COVERAGE, "url": "www.example.com/story"}}, 400, "not a web address"),
    ({"data": {"text": COVERAGE, "language": "xx-notalang"}}, 400, "not a language code"),
    ({"data": {"text": COVERAGE, "story_id": "abc"}}, 400, "story"),
]


@pytest.mark.parametrize(("form", "status", "message"), BAD_FORMS)
def test_bad_input_is_refused_on_the_form_and_writes_nothing(client, engine, form, status, message):
    before = counts(engine)
    response = client.post("/upload", follow_redirects=False, **form)
    assert response.status_code == status, response.text
    assert "Nothing was saved" in response.text
    assert message in response.text
    assert counts(engine) == before


def test_bad_input_through_the_api_gets_a_message_and_writes_nothing(client, engine):
    before = counts(engine)
    response = client.post("/api/articles", json={"text": COVERAGE, "published": "31/02/2024"})
    assert response.status_code == 400
    assert "date" in response.json()["detail"]
    assert counts(engine) == before


def test_a_refused_address_keeps_what_was_typed_on_the_form(client):
    typed = {"text": COVERAGE, "outlet": "Test Gazette", "url": "javascript:alert(1)"}
    page = client.post("/upload", data=typed)
    assert page.status_code == 400
    assert 'value="javascript:alert(1)"' in page.text and 'value="Test Gazette"' in page.text
    assert "British military source" in page.text
    assert 'href="javascript:' not in page.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "not a web address"),
        ("url", "/articles/1", "not a web address"),
        ("url", "https://exa mple.com/", "not a web address"),
        ("language", "xx-notalang", "not a language code"),
        ("language", "english", "not a language code"),
        ("language", "ua", "not a language code"),
    ],
)
def test_a_bad_address_or_language_is_refused_through_the_api(
    client, engine, field, value, message
):
    before = counts(engine)
    response = client.post("/api/articles", json={"text": COVERAGE, field: value})
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert counts(engine) == before


def test_address_and_language_are_stored_as_a_web_address_and_a_tidy_tag(client):
    body = client.post(
        "/api/articles",
        json={"text": COVERAGE, "url": " https://example.com/troops?id=1 ", "language": "EN_gb"},
    ).json()
    article = client.get(f"/api/articles/{body['article_id']}").json()
    assert article["url"] == "https://example.com/troops?id=1"
    assert article["language"] == "en-GB"
    assert article["source"] == "https://example.com/troops?id=1"


def test_a_correction_to_a_bad_language_is_refused_and_a_good_one_tidied(client, engine):
    before = counts(engine)
    refused = client.patch("/api/articles/1", json={"language": "xx-notalang"})
    assert refused.status_code == 400 and "not a language code" in refused.json()["detail"]
    page = client.post("/articles/1/metadata", data={"language": "klingon"})
    assert page.status_code == 400 and "Nothing was changed" in page.text
    assert client.get("/api/articles/1").json()["language"] == "en"
    assert counts(engine) == before
    assert client.patch("/api/articles/1", json={"language": "FR"}).json()["language"] == "fr"


@pytest.mark.parametrize("text", ["... --- !!!", "¡¿ — ?!", "* * *\n\n«»"])
def test_a_text_without_a_word_is_refused_through_the_api(client, engine, text):
    before = counts(engine)
    response = client.post("/api/articles", json={"text": text})
    assert response.status_code == 422
    assert "No sentence" in response.json()["detail"]
    assert counts(engine) == before


@pytest.mark.parametrize(
    "text", ["Переговоры возобновились.", "Élan à Noël.", "Ελλάδα.", "55 %."]
)
def test_a_short_text_in_any_script_is_a_sentence(client, text):
    response = client.post("/api/articles", json={"text": text})
    assert response.status_code == 201, response.text


def test_upload_over_the_limit_is_413_with_content_length(client, engine):
    before = counts(engine)
    big = b"word " * (600 * 1024)
    response = client.post("/upload", files={"file": ("big.txt", big)})
    assert response.status_code == 413
    assert "MiB" in response.text
    assert counts(engine) == before


def test_upload_over_the_limit_is_413_without_content_length(client, engine):
    before = counts(engine)

    def chunks():
        for _ in range(40):
            yield b"x" * (100 * 1024)

    response = client.post(
        "/api/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert counts(engine) == before


def test_file_name_with_path_parts_is_kept_as_display_text_only(client):
    response = client.post(
        "/upload",
        files={"file": ("../../etc/\x1bpasswd.txt", COVERAGE.encode())},
        follow_redirects=False,
    )
    article_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    assert client.get(f"/api/articles/{article_id}").json()["source"] == "passwd.txt"


class BrokenEncoder:
    name = "broken"

    def encode(self, texts):
        raise RuntimeError("encoder failed")


def test_a_failure_half_way_rolls_back_everything(settings, engine, editor_token):
    from fastapi.testclient import TestClient

    app = create_app(settings, Linker(BrokenEncoder()))
    before = counts(engine)
    headers = {"Authorization": f"Bearer {editor_token}"}
    with TestClient(app, raise_server_exceptions=False, headers=headers) as client:
        response = client.post("/api/articles", json={"text": UNRELATED + "\nMore words here."})
    assert response.status_code == 500
    assert "nothing was saved" in response.json()["detail"]
    assert counts(engine) == before


ORIGIN = "\n\n".join(
    [
        "Western troops for Ukraine: the talks are back",
        "As the war in Ukraine escalates, discussions on sending Western troops and private "
        "defence firms to Ukraine have resumed.",
        "A British military source said that the United Kingdom and France are discussing "
        "defence cooperation, with the aim of building a core of European allies focused on "
        "Ukraine and European security.",
        "The French state holds 55% of DCI.",
        "Paris has also asked its partners to keep the matter out of public debate until spring.",
    ]
)


def test_origin_upload_makes_its_sentences_the_claims_and_keeps_matching_keys(client, engine):
    derivative = client.post("/api/articles", json={"text": COVERAGE}).json()
    response = client.post(
        "/api/articles",
        json={"text": ORIGIN, "role": "origin", "story_id": 1, "outlet": "Le Monde"},
    )
    assert response.status_code == 201, response.text
    rekeying = response.json()["rekeying"]
    assert {"LM08", "LM15"} <= set(rekeying["kept"])
    assert rekeying["added"], "the sentence no dossier claim carries becomes a new claim"
    assert "LM23" in rekeying["removed"]
    claims = client.get("/api/claims?story_id=1").json()
    assert all(c["source"] == "origin" for c in claims)
    assert {c["key"] for c in claims} == set(rekeying["kept"]) | set(rekeying["added"])
    lm08 = next(c for c in claims if c["key"] == "LM08")
    assert lm08["text"].startswith("A British military source said")
    detail = client.get(f"/api/claims/{lm08['id']}").json()
    assert {s["article_id"] for s in detail["sentences"]} >= {derivative["article_id"]}


def test_editor_decisions_survive_a_relink(client, engine):
    article = client.post("/api/articles", json={"text": COVERAGE}).json()
    sentences = client.get(f"/api/articles/{article['article_id']}").json()["sentences"]
    linked = next(s for s in sentences if s["links"])
    own = next(s for s in sentences if s["kind"] == "content" and not s["links"])
    removed_key = linked["links"][0]["claim_key"]
    assert (
        client.post(
            f"/api/sentences/{linked['id']}/decisions",
            json={"claim_key": removed_key, "verdict": "reject"},
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"/api/sentences/{own['id']}/decisions",
            json={"claim_key": "LM05", "verdict": "confirm"},
        ).status_code
        == 201
    )

    with Session(engine) as session:
        from app.db import write_session

        with write_session(engine) as writer:
            Linker().relink_story(writer, writer.get(Story, 1))
        del session
    after = {
        s["id"]: s for s in client.get(f"/api/articles/{article['article_id']}").json()["sentences"]
    }
    assert removed_key not in {link["claim_key"] for link in after[linked["id"]]["links"]}
    confirmed = after[own["id"]]["links"]
    assert [(link["claim_key"], link["decided_by"]) for link in confirmed] == [("LM05", "editor")]


def test_bad_decisions_are_refused(client, engine):
    before = counts(engine)
    assert (
        client.post(
            "/api/sentences/1/decisions", json={"claim_key": "LM01", "verdict": "maybe"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/sentences/1/decisions", json={"claim_key": "ZZ99", "verdict": "confirm"}
        ).status_code
        == 404
    )
    assert counts(engine) == before


def test_editor_fixes_outlet_and_date(client):
    response = client.patch(
        "/api/articles/1", json={"outlet": "Kyiv Post", "published": "2024-11-26"}
    )
    assert response.status_code == 200
    article = client.get("/api/articles/1").json()
    assert (article["outlet"], article["published"]) == ("Kyiv Post", "2024-11-26")
    assert client.patch("/api/articles/1", json={"published": "soon"}).status_code == 400
    assert client.get("/api/articles/1").json()["published"] == "2024-11-26"


def test_load_command_imports_a_folder_with_a_progress_bar(database_url):
    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "app", "load", str(DATA)]
    first = subprocess.run(run, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    assert "2 added, 0 already present, 0 refused" in first.stdout
    again = subprocess.run(run, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert "0 added, 2 already present" in again.stdout


def test_form_upload_lands_on_the_article_with_its_summary(client):
    page = client.post("/upload", data={"text": COVERAGE, "outlet": "Test Gazette"})
    assert page.status_code == 200
    assert "Uploaded and linked" in page.text
    assert "Covers" in page.text and "Leaves out" in page.text
    assert "LM08" in page.text
    again = client.post("/upload", data={"text": COVERAGE})
    assert "Already here" in again.text


def test_editor_forms_link_a_sentence_and_correct_the_article(client):
    article = client.get("/api/articles/1").json()
    own = next(s for s in article["sentences"] if s["kind"] == "content" and not s["links"])
    panel = client.get(f"/articles/1?sentence={own['id']}")
    assert 'action="/sentences/{}/decisions"'.format(own["id"]) in panel.text
    linked = client.post(
        f"/sentences/{own['id']}/decisions", data={"claim_key": "LM05", "verdict": "confirm"}
    )
    assert linked.status_code == 200
    links = client.get("/api/articles/1").json()["sentences"][own["index"]]["links"]
    assert [(x["claim_key"], x["decided_by"]) for x in links] == [("LM05", "editor")]
    edited = client.post("/articles/1/metadata", data={"outlet": "Kyiv Independent"})
    assert "Kyiv Independent" in edited.text and "Saved" in edited.text


def test_a_refused_correction_shows_its_message_on_the_article_page(client, engine):
    before = counts(engine)
    page = client.post("/articles/1/metadata", data={"published": "someday"})
    assert page.status_code == 400
    assert "Nothing was changed" in page.text and "someday" in page.text
    refused = client.post("/sentences/1/decisions", data={"claim_key": "ZZ9", "verdict": "confirm"})
    assert refused.status_code == 404 and "Nothing was changed" in refused.text
    assert counts(engine) == before
