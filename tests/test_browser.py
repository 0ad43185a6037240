"""The pages in a real Chromium against a real server: htmx swaps, history, keyboard, no-JS.

Debian's Chromium at /usr/bin/chromium drives them (Playwright's own download is not used).
Screenshots of every page at 1280 and 390 px land in tests/artifacts/ for a human look.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from app.bootstrap import prepare_database
from app.main import create_app
from tests.conftest import make_settings
from tests.test_pages import S000, S003, S004, replace_links

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
WIDTHS = {"wide": 1280, "phone": 390}

if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Running(tuple):
    """(base address, seed) as the tests unpack it, with the server's database engine beside."""

    engine = None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real uvicorn on a free loopback port, serving a seeded database with the test links."""
    settings = make_settings(tmp_path_factory.mktemp("browser"))
    engine, _report = prepare_database(settings)
    seed = replace_links(engine)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    answer = Running((f"http://127.0.0.1:{port}", seed))
    answer.engine = engine
    yield answer
    running.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": WIDTHS["wide"], "height": 900})
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, errors


def shoot(browser, url: str, name: str, *, javascript: bool = True) -> None:
    """Screenshots of one page at every width, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in WIDTHS.items():
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        tab = context.new_page()
        tab.goto(url)
        tab.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        context.close()


def mark_window(page) -> None:
    """A value on window that only survives if the page is never reloaded."""
    page.evaluate("window.stillHere = 'yes'")


def window_survived(page) -> bool:
    return page.evaluate("window.stillHere") == "yes"


def test_home_then_a_claim_shows_every_linked_outlets_wording(server, page, browser):
    base, seed = server
    page.goto(base + "/")
    assert page.title().endswith("provenance")
    page.locator(f"#claim-{seed.claims['LM08']} a.claim-text").click()
    page.wait_for_url(f"{base}/claims/{seed.claims['LM08']}")
    assert page.locator(".cards article.card").count() == 5
    assert page.locator(".cards figure.wording").count() == 6
    assert page.locator(".cards del").count() > 0 and page.locator(".cards ins").count() > 0
    shoot(browser, base + "/", "home")
    shoot(browser, f"{base}/claims/{seed.claims['LM08']}", "claim")
    shoot(browser, f"{base}/claims/{seed.claims['LM02']}", "claim-with-missing")


def test_search_as_you_type_swaps_results_without_a_page_load(server, page, browser):
    base, _seed = server
    page.goto(base + "/")
    mark_window(page)
    page.locator("#q").press_sequentially("barrot", delay=20)
    page.wait_for_selector("ol.hits li")
    assert [k.strip() for k in page.locator("ol.claims li .key").all_inner_texts()] == [
        "LM09", "LM10", "LM11"
    ]
    page.wait_for_url(re.compile(r"\?q=barrot"))
    assert window_survived(page)
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("dci", delay=20)
    page.wait_for_url(re.compile(r"\?q=dci"))
    page.wait_for_function("document.querySelectorAll('ol.claims li').length === 6")
    assert window_survived(page)
    shoot(browser, base + "/?q=barrot", "search")


def test_choosing_an_outlet_filters_claims_and_back_undoes_it(server, page):
    base, seed = server
    page.goto(base + "/")
    mark_window(page)
    page.locator("#outlet").select_option(str(seed.articles[S003]))
    page.wait_for_url(re.compile(rf"outlet={seed.articles[S003]}"))
    page.wait_for_function("document.querySelectorAll('ol.claims li').length === 1")
    assert page.locator("ol.claims li .key").inner_text() == "LM08"
    page.go_back()
    page.wait_for_url(base + "/")
    page.wait_for_function("document.querySelectorAll('ol.claims li').length === 24")
    assert window_survived(page)


def test_a_sentence_opens_its_comparison_in_place_and_back_closes_it(server, page, browser):
    base, seed = server
    aid = seed.articles[S004]
    sid = seed.sentence(S004, "These delicate debates")
    page.goto(f"{base}/articles/{aid}")
    assert page.locator("aside#panel.open").count() == 0
    mark_window(page)
    page.locator(f"#s-{sid}").click()
    page.wait_for_selector("aside#panel.open")
    assert window_survived(page), "the panel must open without a page load"
    assert page.url == f"{base}/articles/{aid}?sentence={sid}"
    panel = page.locator("aside#panel")
    assert panel.locator(".panel-claim").count() == 2
    assert panel.locator("figure.wording").count() == 5
    assert page.locator(f"#s-{sid}").get_attribute("aria-current") == "true"
    page.go_back()
    page.wait_for_url(f"{base}/articles/{aid}")
    page.wait_for_selector("aside#panel:not(.open)")
    assert window_survived(page)
    page.go_forward()
    page.wait_for_selector("aside#panel.open")
    assert page.url == f"{base}/articles/{aid}?sentence={sid}"
    shoot(browser, f"{base}/articles/{aid}?sentence={sid}", "article-panel")
    shoot(browser, f"{base}/articles/{seed.articles[S003]}", "article")


def test_keyboard_tab_to_a_sentence_enter_opens_escape_closes(server, page):
    base, seed = server
    aid = seed.articles[S000]
    page.goto(f"{base}/articles/{aid}")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.text a.s')"):
            break
    else:
        pytest.fail("no sentence could be reached with Tab")
    focused = page.evaluate("document.activeElement.id")
    page.keyboard.press("Enter")
    page.wait_for_selector("aside#panel.open")
    assert page.evaluate("document.activeElement.id") == "panel-title"
    assert page.url.endswith(f"?sentence={focused.removeprefix('s-')}")
    page.keyboard.press("Escape")
    page.wait_for_selector("aside#panel:not(.open)")
    assert page.url == f"{base}/articles/{aid}"
    assert page.evaluate("document.activeElement.id") == focused


def test_the_close_link_closes_the_panel(server, page):
    base, seed = server
    aid, sid = seed.articles[S000], seed.sentence(S000, "A British military source revealed")
    page.goto(f"{base}/articles/{aid}?sentence={sid}")
    mark_window(page)
    page.locator("aside#panel a.close").click()
    page.wait_for_selector("aside#panel:not(.open)")
    assert page.url == f"{base}/articles/{aid}" and window_survived(page)


def test_every_page_works_without_javascript(server, browser):
    base, seed = server
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base + "/")
        page.locator("#q").fill("noel")
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_url(re.compile(r"/\?q=noel"))
        assert page.locator("ol.claims li").count() == 1
        page.locator(f"#claim-{seed.claims['LM09']} a.claim-text").click()
        page.wait_for_url(f"{base}/claims/{seed.claims['LM09']}")

        aid, sid = seed.articles[S004], seed.sentence(S004, "These delicate debates")
        page.goto(f"{base}/articles/{aid}")
        page.locator(f"#s-{sid}").click()
        page.wait_for_url(f"{base}/articles/{aid}?sentence={sid}#s-{sid}")
        assert page.locator("aside#panel.open figure.wording").count() == 5
        page.locator("aside#panel a.close").click()
        page.wait_for_url(f"{base}/articles/{aid}")
        assert page.locator("aside#panel.open").count() == 0

        page.goto(f"{base}/sentences/{sid}")
        assert page.url == f"{base}/articles/{aid}?sentence={sid}#s-{sid}"
        page.goto(f"{base}/outlets")
        assert page.locator("ol.outlets li.outlet").count() == 5
    finally:
        context.close()
    shoot(browser, f"{base}/outlets", "outlets", javascript=False)
    shoot(browser, f"{base}/articles/{seed.articles[S000]}?sentence={sid}", "article-nojs",
          javascript=False)


def test_the_cite_box_shows_on_a_claim_page_and_copies_the_citation(server, browser):
    base, seed = server
    claim = f"{base}/claims/{seed.claims['LM08']}"
    citation = f"Claim LM08 of Le Monde, 25 Nov 2024, carried by 5 of 5 outlets. {claim}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    try:
        page.goto(claim)
        box = page.locator("section.cite")
        assert box.is_visible()
        assert " ".join(box.locator(".cite-text").inner_text().split()) == citation
        button = box.locator("button.cite-copy")
        assert button.is_visible()
        button.click()
        page.wait_for_function(
            "document.querySelector('.cite-status').textContent === 'Copied.'"
        )
        assert page.evaluate("navigator.clipboard.readText()") == citation
    finally:
        context.close()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(claim)
        assert page.locator("section.cite .cite-text").is_visible()
        assert not page.locator("section.cite button.cite-copy").is_visible()
    finally:
        context.close()
    shoot(browser, claim, "claim-cite")
    shoot(browser, f"{base}/articles/{seed.articles[S003]}", "article-cite")
