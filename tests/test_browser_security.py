"""The Content-Security-Policy in a real Chromium: every page, htmx and the API page run under it
without a single violation, and hostile metadata never runs."""

from __future__ import annotations

import pytest

from app.db import write_session
from app.models import Article
from tests.test_browser import browser, server  # noqa: F401  (shared fixtures)
from tests.test_pages import S000, S004

pytestmark = pytest.mark.browser


def test_pages_htmx_and_api_docs_run_without_a_policy_violation(server, browser):  # noqa: F811
    base, seed = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations: list[str] = []
    dialogs: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with write_session(server.engine) as session:
        article = session.get(Article, seed.articles[S000])
        before = article.title
        article.title = '<img src=x onerror=alert(1)><script>alert(2)</script>" hx-get="/x'
        session.add(article)
    try:
        page.goto(f"{base}/")
        page.locator("#q").fill("troops")
        page.locator("ol.claims").wait_for()
        aid = seed.articles[S004]
        page.goto(f"{base}/articles/{aid}")
        page.locator("a.s-claim").first.click()
        page.locator("#panel.open").wait_for()
        page.goto(f"{base}/articles/{seed.articles[S000]}")
        assert "onerror" in page.locator("#article-title").inner_text()
        page.goto(f"{base}/outlets")
        page.goto(f"{base}/signin")
        page.goto(f"{base}/docs")
        page.locator(".swagger-ui .opblock").first.wait_for(timeout=20_000)
        assert page.locator(".swagger-ui .opblock").count() >= 5
    finally:
        context.close()
        with write_session(server.engine) as session:
            article = session.get(Article, seed.articles[S000])
            article.title = before
            session.add(article)
    assert violations == []
    assert dialogs == []
