"""Hostile input and hostile pages: nothing a writer types or uploads becomes markup, script or
an htmx attribute; every answer carries the security headers; extraction and segmentation
reach no network and stop in time."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlmodel import Session, select

from app.db import write_session
from app.ingest import ArticleInput, store_article
from app.main import create_app
from app.models import Article, Story
from app.text.extract import extract, segment_within
from app.web.headers import CONTENT_SECURITY_POLICY
from tests.conftest import make_settings
from tests.test_upload import COVERAGE, counts

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus '",
    "<div hx-get=\"/api/articles\" hx-trigger=\"load\" hx-swap=\"outerHTML\">",
    "' hx-post='/articles/1/delete' hx-trigger='load' '",
    "</textarea></title><script src=/static/app.js></script>",
    "<svg/onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<base href=\"https://evil.example/\">",
    "<style>body{display:none}</style>",
    "<iframe src=//evil.example></iframe>",
    "{{ 7*7 }}{% raw %}",
    "<!-- ",
    "&lt;b&gt;&amp;",
    "<template><script>alert(1)</script></template>",
]
hostile_text = st.lists(
    st.sampled_from(HOSTILE)
    | st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12),
    min_size=1,
    max_size=4,
).map(" ".join).filter(lambda s: s.strip())

ACTIVE_TAGS = {"script", "style", "iframe", "object", "embed", "base", "meta", "link", "svg",
               "template", "form", "img"}


def active_parts(html: str) -> list[tuple]:
    """Everything in a page that could run code, fetch, or tell htmx to act."""
    tree = HTMLParser(html)
    found = []
    for node in tree.css("*"):
        attributes = dict(node.attributes)
        if "csrf" in (attributes.get("name") or ""):  # a fresh token per page: not markup
            attributes.pop("content", None)
            attributes.pop("value", None)
        risky = {
            name: value for name, value in attributes.items()
            if name.startswith(("on", "hx-", "data-hx")) or name in ("href", "src", "action")
        }
        if node.tag in ACTIVE_TAGS or any(n.startswith(("on", "hx-")) for n in risky):
            found.append((node.tag, tuple(sorted(attributes.items(), key=str))))
        for name in ("href", "src", "action"):
            value = (risky.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (node.tag, value)
    return found


def _text(node) -> str:
    return "".join(node.text(deep=True).split())


@pytest.fixture
def baseline(client) -> dict[str, list[tuple]]:
    return {path: active_parts(client.get(path).text) for path in ("/articles/1", "/outlets")}


settings_for_pages = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings_for_pages
@given(value=hostile_text)
def test_metadata_can_never_inject_markup_or_htmx_attributes(client, baseline, value):
    response = client.patch(
        "/api/articles/1", json={"outlet": value, "title": value, "byline": value}
    )
    assert response.status_code == 200
    for path, expected in baseline.items():
        page = client.get(path).text
        assert active_parts(page) == expected, path
    tree = HTMLParser(client.get("/articles/1").text)
    assert _text(tree.css_first("#article-title")) == "".join(value.split())
    assert "".join(value.split()) in _text(tree.css_first(".page-head .meta"))


@settings_for_pages
@given(value=hostile_text)
def test_article_text_can_never_inject_markup_or_htmx_attributes(client, engine, baseline, value):
    text = f"The minister spoke on Monday. {value} The talks went on.\n\n{value}\n"
    with write_session(engine) as session:
        story = session.exec(select(Story)).first()
        article, _ = store_article(
            session, story, ArticleInput(raw=text, text=text, source=value, url=value)
        )
        article_id = article.id
    page = client.get(f"/articles/{article_id}").text
    parts = active_parts(page)
    assert [p for p in parts if p[0] not in ("meta", "script", "link", "form")] == [
        p for p in baseline["/articles/1"] if p[0] not in ("meta", "script", "link", "form")
    ]
    assert [p for p in parts if p[0] in ("meta", "script", "link")] == [
        p for p in baseline["/articles/1"] if p[0] in ("meta", "script", "link")
    ]
    tree = HTMLParser(page)
    body = tree.css_first("div.text")
    for mark in body.css(".mark"):
        mark.decompose()
    assert _text(body) == "".join(text.split())


def test_a_stored_javascript_address_never_becomes_a_link(client, engine):
    with write_session(engine) as session:
        article = session.get(Article, 1)
        article.url = "javascript:alert(document.cookie)"
        session.add(article)
    page = client.get("/articles/1").text
    assert "javascript:" not in page


# --- headers ------------------------------------------------------------------------------


def _assert_secure_headers(response) -> None:
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_csp_allows_only_the_apps_own_scripts_and_styles():
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_every_kind_of_answer_carries_the_security_headers(client, signed_in):
    answers = [
        client.get("/"),
        client.get("/articles/1"),
        client.get("/api/articles"),
        client.get("/static/app.css"),
        client.get("/docs"),
        client.get("/articles/999999"),
        client.post("/api/articles", content=b"x" * (3 * 1024 * 1024)),
        client.post("/api/articles", json={"text": "x"}, headers={"Authorization": "Bearer no"}),
        signed_in.post("/articles/1/delete", data={}),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 200, 404, 413, 401, 403]
    for response in answers:
        _assert_secure_headers(response)


def test_an_unexpected_error_still_carries_the_security_headers(tmp_path, engine, editor_token):
    from app.linker import Linker
    from tests.test_upload import UNRELATED, BrokenEncoder

    app = create_app(make_settings(tmp_path), Linker(BrokenEncoder()))
    headers = {"Authorization": f"Bearer {editor_token}"}
    with TestClient(app, raise_server_exceptions=False, headers=headers) as broken:
        response = broken.post("/api/articles", json={"text": UNRELATED + "\nMore here."})
    assert response.status_code == 500
    _assert_secure_headers(response)


def test_no_template_holds_an_inline_script_style_or_handler():
    for template in (ROOT / "templates").glob("*.html"):
        tree = HTMLParser(template.read_text(encoding="utf-8"))
        for script in tree.css("script"):
            if script.attributes.get("type") == "application/ld+json":
                continue  # a data block, never executed (its escaping is tested with the markup)
            assert script.attributes.get("src"), f"inline script in {template.name}"
        assert not tree.css("style"), f"<style> in {template.name}"
        for node in tree.css("*"):
            for name in node.attributes:
                assert name != "style" and not name.startswith("on"), (template.name, name)


def test_htmx_is_configured_to_run_under_the_policy(client):
    meta = HTMLParser(client.get("/").text).css_first('meta[name="htmx-config"]')
    config = meta.attributes["content"]
    for setting in ('"allowEval": false', '"allowScriptTags": false',
                    '"includeIndicatorStyles": false', '"selfRequestsOnly": true'):
        assert setting in config


# --- uploads: no network, time limits ------------------------------------------------------


@pytest.fixture
def listener():
    """A real TCP port on loopback that records whether anything connected to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def _nothing_connected(sock: socket.socket) -> bool:
    try:
        sock.accept()
    except BlockingIOError:
        return True
    return False


def test_html_upload_fetches_nothing_and_runs_nothing(client, listener):
    port = listener.getsockname()[1]
    here = f"http://127.0.0.1:{port}"
    page = f"""<!DOCTYPE html SYSTEM "{here}/dtd">
<?xml-stylesheet href="{here}/style.xsl"?>
<html><head><title>Paris and London weigh troops</title>
<base href="{here}/"><link rel="stylesheet" href="{here}/app.css">
<meta http-equiv="refresh" content="0;url={here}/refresh">
<script src="{here}/tracker.js"></script>
<script>document.write("SCRIPT RAN"); fetch("{here}/fetch");</script></head>
<body><article><h1>Paris and London weigh troops for Ukraine</h1>
<img src="{here}/photo.jpg" srcset="{here}/photo2.jpg 2x">
<iframe src="{here}/frame"></iframe><object data="{here}/object"></object>
<p>{COVERAGE}</p>
<p style="background:url({here}/bg.png)">The talks continued on Tuesday in London.</p>
</article></body></html>"""
    extracted = extract(page)
    assert "SCRIPT RAN" not in extracted.text and "British military source" in extracted.text
    response = client.post("/api/articles", json={"text": page, "filename": "page.html"})
    assert response.status_code == 201, response.text
    assert _nothing_connected(listener)


def test_segmentation_over_the_time_limit_is_a_clear_error_and_writes_nothing(tmp_path, engine,
                                                                               editor_token):
    slow = create_app(make_settings(tmp_path, extract_timeout=0.0001))
    before = counts(engine)
    headers = {"Authorization": f"Bearer {editor_token}"}
    with TestClient(slow, headers=headers) as hurried:
        response = hurried.post("/api/articles", json={"text": COVERAGE})
    assert response.status_code == 422
    assert "Splitting the text into sentences took longer than" in response.json()["detail"]
    assert counts(engine) == before


def test_segmentation_in_its_worker_gives_the_same_spans():
    from app.text.segment import segment

    assert segment_within(COVERAGE, "en", timeout=30) == segment(COVERAGE, "en")


def test_upload_size_limit_holds_for_a_streamed_body_without_length(client, engine):
    before = counts(engine)

    def chunks():
        for _ in range(64):
            yield b"a" * 65536

    response = client.post(
        "/api/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert counts(engine) == before
    with Session(engine) as session:
        assert session.exec(select(Article).where(Article.source == "big")).first() is None


def test_ids_beyond_sqlites_integers_are_unknown_ids_not_errors(client):
    huge = 2**70
    assert client.get(f"/articles/{huge}", headers={"accept": "text/html"}).status_code == 404
    assert client.get(f"/articles/1?sentence={huge}").status_code in (200, 404)
    assert client.get(f"/api/articles/{huge}").status_code == 422
    assert client.get(f"/api/articles?story_id={huge}").status_code == 422
