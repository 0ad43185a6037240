"""Uploading through the form in a real Chromium: the journalist lands on the linked article."""

from __future__ import annotations

import re

import pytest

from app.cli import _local_signin_link
from tests.test_browser import browser, page, server  # noqa: F401  (shared fixtures)
from tests.test_upload import COVERAGE, NEWS_PAGE

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def signed_in(server, page):  # noqa: F811
    """Uploading needs an editor: sign in through the one-time link `provenance serve` prints."""
    base, _seed = server
    page.goto(f"{base}/signin/{_local_signin_link(server.engine)}")
    page.wait_for_url(f"{base}/upload")
    assert "Signed in as local" in page.locator("header.site").inner_text()


def test_pasted_english_article_is_linked_and_summarised(server, page):  # noqa: F811
    base, _seed = server
    page.goto(f"{base}/")
    page.get_by_role("link", name="Upload").first.click()
    page.get_by_label("or paste its text").fill(COVERAGE)
    page.get_by_label("Outlet").fill("The Browser Herald")
    page.get_by_role("button", name="Upload and link").click()
    page.wait_for_url(re.compile(r"/articles/\d+\?uploaded=1"))
    assert page.get_by_role("heading", name="Uploaded and linked").is_visible()
    assert "LM08" in page.locator(".arrival").inner_text()
    assert page.locator("a.s-claim").count() >= 2
    assert "The Browser Herald" in page.locator(".page-head").inner_text()


def test_saved_html_page_is_extracted_and_linked(server, page, tmp_path):  # noqa: F811
    base, _seed = server
    saved = tmp_path / "paris-london.html"
    saved.write_text(NEWS_PAGE, encoding="utf-8")
    page.goto(f"{base}/upload")
    page.get_by_label(re.compile("^File")).set_input_files(str(saved))
    page.get_by_role("button", name="Upload and link").click()
    page.wait_for_url(re.compile(r"/articles/\d+\?uploaded=1"))
    text = page.locator("article.doc").inner_text()
    assert "British military source" in text
    assert "Subscribe" not in text and "Ten things" not in text
    assert page.locator("a.s-claim").count() >= 1


def test_refused_upload_shows_its_message_on_the_form(server, page, tmp_path):  # noqa: F811
    base, _seed = server
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    page.goto(f"{base}/upload")
    page.get_by_label(re.compile("^File")).set_input_files(str(binary))
    page.get_by_role("button", name="Upload and link").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Nothing was saved" in alert.inner_text() and "PNG" in alert.inner_text()


def test_pasted_french_article_is_linked_to_the_english_claims(server, page):  # noqa: F811
    from tests.test_languages import french_article

    base, _seed = server
    page.goto(f"{base}/upload")
    page.get_by_label("or paste its text").fill(french_article())
    page.get_by_role("button", name="Upload and link").click()
    page.wait_for_url(re.compile(r"/articles/\d+\?uploaded=1"))
    assert "language: French" in page.locator(".page-head").inner_text()
    assert page.locator("a.s-claim").count() >= 5
    page.locator("a.s-claim").first.click()
    page.locator("#panel.open").wait_for()
    assert page.locator("#panel blockquote[lang=fr]").count() >= 1
