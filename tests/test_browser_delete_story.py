"""Deleting a whole story in a real Chromium: the first click only asks, in place with htmx; a
way back keeps the story; confirming deletes it and the list of stories says which one went."""

from __future__ import annotations

import re

import pytest

from tests.test_browser import browser, mark_window, page, server, window_survived  # noqa: F401
from tests.test_browser_delete import _sign_in

pytestmark = pytest.mark.browser


def _ask_to_delete(tab) -> None:
    tab.get_by_role("button", name="Delete this story…").click()
    tab.locator("section.confirm-delete").wait_for()


def test_an_editor_deletes_the_story_through_its_form_and_sees_it_said(server, page):  # noqa: F811
    base = _sign_in(server, page)
    page.goto(f"{base}/stories/1")
    mark_window(page)
    _ask_to_delete(page)
    assert window_survived(page), "the confirmation must come without a page load"
    assert page.url == f"{base}/stories/1"
    said = page.locator("section.confirm-delete").inner_text()
    assert "cannot be undone" in said and "5 articles" in said and "24 of its dossier" in said
    page.get_by_role("link", name="No, keep it").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Le Monde, 25 November 2024")
    _ask_to_delete(page)
    page.get_by_role("button", name="Yes, delete the story").click()
    page.wait_for_url(re.compile(r"/stories\?deleted_story=Le\+Monde"))
    status = page.get_by_role("status").filter(has_text="was deleted")
    assert status.inner_text().startswith("The story “Le Monde, 25 November 2024")
    assert page.locator("table.story-list").count() == 0
    assert page.request.get(f"{base}/stories/1").status == 404
