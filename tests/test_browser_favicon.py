"""Every page names its icon, so a browser asks for nothing that is not there."""

from __future__ import annotations

import pytest

from tests.test_browser import browser, page, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/stories", "/outlets", "/articles/2", "/upload", "/docs"])
def test_pages_load_their_icon_without_a_console_error(server, page, path):  # noqa: F811
    base, _seed = server
    errors, missing = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("response", lambda r: r.status >= 400 and missing.append(r.url))
    page.goto(base + path)
    icon = page.locator("link[rel=icon]")
    assert icon.count() == 1, "the page names no icon"
    href = icon.get_attribute("href")
    answer = page.request.get(base + href)
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    page.wait_for_load_state("networkidle")
    assert not errors and not missing, (errors, missing)
