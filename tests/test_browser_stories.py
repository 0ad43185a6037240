"""The stories list in a real Chromium: the title search swaps the list in place with htmx,
works as a plain form without JavaScript, and leads to the story and back."""

from __future__ import annotations

import re

import pytest

from app.db import write_session
from app.models import Story
from tests.test_browser import browser, page, server, shoot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stories(server):  # noqa: F811
    with write_session(server.engine) as session:
        for n, title in enumerate(("Ferry strike in Gdańsk", "Harbour cranes sold", "Rail fares")):
            session.add(Story(slug=f"browser-{n}", title=title))
    return server


def test_the_title_search_swaps_the_list_and_a_story_opens(stories, page, browser):  # noqa: F811
    base, _seed = stories
    page.goto(base + "/stories")
    assert page.locator("table.story-list tbody tr").count() == 4
    page.evaluate("window.stillHere = 'yes'")
    page.locator("#story-q").press_sequentially("ferry", delay=20)
    page.wait_for_url(re.compile(r"/stories\?q=ferry"))
    page.wait_for_function("document.querySelectorAll('table.story-list tbody tr').length === 1")
    assert page.evaluate("window.stillHere") == "yes", "the list must swap without a page load"
    page.get_by_role("link", name="Ferry strike in Gdańsk").click()
    page.wait_for_url(re.compile(r"/stories/\d+$"))
    assert page.locator("h1").inner_text() == "Ferry strike in Gdańsk"
    switcher = page.locator("nav.stories")
    assert switcher.get_by_role("link", name="Ferry strike in Gdańsk").get_attribute(
        "aria-current"
    ) == "page"
    switcher.get_by_role("link", name="All stories…").click()
    page.wait_for_url(base + "/stories")
    shoot(browser, base + "/stories", "stories")


def test_the_title_search_works_without_javascript(stories, browser):  # noqa: F811
    base, _seed = stories
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base + "/stories")
    tab.locator("#story-q").fill("harbour")
    tab.locator("form[role=search] button[type=submit]").click()
    tab.wait_for_url(re.compile(r"/stories\?q=harbour"))
    assert tab.locator("table.story-list tbody th").all_inner_texts() == ["Harbour cranes sold"]
    context.close()
