"""Close calls in a real Chromium: a reader sees them in a sentence's panel, an editor confirms
one from the claim's page and is back on that page with the sentence among the wordings."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import Claim, Link, Sentence, Suggestion
from tests.test_browser import browser, mark_window, page, server, window_survived  # noqa: F401
from tests.test_browser_delete import _sign_in

pytestmark = pytest.mark.browser


def _close_call(engine) -> tuple[Sentence, Claim]:
    """The strongest close call whose sentence is not linked to its claim."""
    with Session(engine) as session:
        linked = {(l.sentence_id, l.claim_id) for l in session.exec(select(Link))}  # noqa: E741
        rows = session.exec(
            select(Suggestion, Sentence, Claim)
            .join(Sentence, Sentence.id == Suggestion.sentence_id)
            .join(Claim, Claim.id == Suggestion.claim_id)
            .where(Sentence.kind == "content")
            .order_by(Suggestion.score.desc(), Suggestion.id)
        ).all()
    return next((s, c) for call, s, c in rows if (s.id, c.id) not in linked)


def test_a_reader_sees_a_sentences_close_calls_in_its_panel(server, page):  # noqa: F811
    base, _seed = server
    sentence, claim = _close_call(server.engine)
    page.goto(f"{base}/articles/{sentence.article_id}")
    mark_window(page)
    page.locator(f"#s-{sentence.id}").click()
    calls = page.locator("aside#panel.open section.close-calls")
    calls.wait_for()
    assert window_survived(page), "the panel must open without a page load"
    assert "Close, but not linked" in calls.inner_text()
    assert claim.key in calls.locator(".key").all_inner_texts()
    assert calls.get_by_role("button").count() == 0, "only editors settle close calls"


def test_an_editor_confirms_a_close_call_from_the_claim_page(server, page):  # noqa: F811
    sentence, claim = _close_call(server.engine)
    base = _sign_in(server, page)
    page.goto(f"{base}/claims/{claim.id}")
    item = page.locator("section.close-calls li").filter(has_text=sentence.text[:50])
    assert item.count() == 1
    item.get_by_role("button", name=f"Confirm {claim.key}").click()
    page.wait_for_url(f"{base}/claims/{claim.id}#close-h")
    wordings = page.locator("section[aria-labelledby=wordings-h]").inner_text()
    assert sentence.text[:50] in wordings
    assert page.locator("section.close-calls li").filter(has_text=sentence.text[:50]).count() == 0
    with Session(server.engine) as session:
        link = session.exec(
            select(Link).where(Link.sentence_id == sentence.id, Link.claim_id == claim.id)
        ).one()
    assert link.decided_by == "editor"
