"""A journalist sees a flag and its reason on a claim page, in a real Chromium."""

from __future__ import annotations

import pytest

from tests.test_browser import browser, page, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_a_claim_page_shows_a_flag_with_its_reason(server, page):  # noqa: F811
    base, seed = server
    page.goto(f"{base}/claims/{seed.claims['LM03']}")
    flag = page.locator(".flags li.flag-modality").first
    flag.wait_for()
    assert "adds doubt" in flag.inner_text()
    assert "possible election of Donald Trump" in flag.inner_text()
    assert page.locator("ol.chain li.chain-origin").inner_text() == "Le Monde"
