"""Deleting an article in a real Chromium: the first click only asks, in place with htmx and as
a page of its own without JavaScript; nothing goes until the editor confirms."""

from __future__ import annotations

import re

import pytest

from app.cli import _local_signin_link
from tests.test_browser import browser, mark_window, page, server, window_survived  # noqa: F401

pytestmark = pytest.mark.browser


def _sign_in(server, tab) -> str:  # noqa: F811
    base, _seed = server
    tab.goto(f"{base}/signin/{_local_signin_link(server.engine)}")
    tab.wait_for_url(f"{base}/upload")
    return base


def _ask_to_delete(tab, base: str, article_id: int) -> None:
    tab.goto(f"{base}/articles/{article_id}")
    tab.locator("details.edit summary").click()
    tab.get_by_role("button", name="Delete this article…").click()


def test_with_htmx_the_confirmation_appears_in_place_and_cancel_keeps_it(server, page):  # noqa: F811
    base = _sign_in(server, page)
    page.goto(f"{base}/articles/3")
    mark_window(page)
    page.locator("details.edit summary").click()
    page.get_by_role("button", name="Delete this article…").click()
    confirm = page.locator("section.confirm-delete")
    confirm.wait_for()
    assert window_survived(page), "the confirmation must come without a page load"
    assert page.url == f"{base}/articles/3"
    assert "cannot be undone" in confirm.inner_text()
    page.get_by_role("link", name="No, keep it").click()
    page.wait_for_load_state()
    assert page.locator("h1#article-title").is_visible()
    _ask_to_delete(page, base, 3)
    page.get_by_role("button", name="Yes, delete the article").click()
    page.wait_for_url(re.compile(r"/stories/1\?deleted=3$"))
    assert "The article was deleted" in page.locator("main").inner_text()


def test_without_javascript_the_confirmation_is_a_page_and_confirming_deletes(server, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    base = _sign_in(server, tab)
    _ask_to_delete(tab, base, 4)
    tab.wait_for_url(f"{base}/articles/4/delete")
    assert tab.locator("section.confirm-delete h2").inner_text().startswith("Delete “")
    assert tab.request.get(f"{base}/articles/4").status == 200, "not deleted yet"
    tab.get_by_role("button", name="Yes, delete the article").click()
    tab.wait_for_url(re.compile(r"/stories/1\?deleted=4$"))
    assert tab.request.get(f"{base}/articles/4").status == 404
    context.close()
