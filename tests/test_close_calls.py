"""Close calls: claims the linker finds near a sentence but leaves unlinked, stored beside the
links, shown on the article's panel and the claim's page, and settled by an editor's click."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from sqlmodel import Session, select

from app.linker import Linker
from app.linking.match import LinkParams, SentenceText, close_calls
from app.models import Claim, Decision, Link, Sentence, Story, Suggestion
from app.settings import link_params
from tests.conftest import csrf_token


def _calls(session: Session) -> list[tuple[int, int, float]]:
    rows = session.exec(select(Suggestion).order_by(Suggestion.sentence_id, Suggestion.claim_id))
    return [(s.sentence_id, s.claim_id, s.score) for s in rows]


def _a_close_call(engine) -> tuple[Suggestion, Sentence, Claim]:
    """The seed story's strongest close call."""
    with Session(engine) as session:
        return session.exec(
            select(Suggestion, Sentence, Claim)
            .join(Sentence, Sentence.id == Suggestion.sentence_id)
            .join(Claim, Claim.id == Suggestion.claim_id)
            .order_by(Suggestion.score.desc(), Suggestion.id)
        ).first()


def test_close_calls_are_the_best_few_unlinked_claims_above_the_floor():
    ctx = SimpleNamespace(
        sentences=[SentenceText(1, "a", "one"), SentenceText(2, "a", "two")],
        claim_keys=["C1", "C2", "C3", "C4"],
    )
    # negative: linked or rejected, never a close call
    below = np.array([[0.3, -1.0, 0.45, 0.2], [0.05, 0.09, -1.0, 0.0]])
    params = LinkParams(close_call_floor=0.1, close_calls=2)
    found = [(r.sentence_id, r.claim_key, r.score) for r in close_calls(ctx, below, params)]
    assert found == [(1, "C3", 0.45), (1, "C1", 0.3)]
    assert close_calls(ctx, below, LinkParams(close_calls=0)) == []
    assert [r.claim_key for r in close_calls(ctx, below, LinkParams(close_call_floor=0.25))] == [
        "C3", "C1"
    ]


def test_linking_the_seed_story_stores_close_calls_apart_from_its_links(engine):
    params = LinkParams()
    with Session(engine) as session:
        calls = _calls(session)
        links = {(link.sentence_id, link.claim_id) for link in session.exec(select(Link))}
    assert calls, "the seed story has sentences near a claim they were not linked to"
    assert not {(s, c) for s, c, _ in calls} & links
    # at 0.5 or more when well below the sentence's best claim (``LinkParams.relative``)
    assert all(params.close_call_floor <= score < 1.0 for _, _, score in calls)
    per_sentence = np.bincount([s for s, _, _ in calls])
    assert per_sentence.max() <= params.close_calls


def test_relinking_rebuilds_the_same_close_calls(engine, settings):
    linker = Linker(params=link_params(settings))
    with Session(engine) as session:
        before = _calls(session)
        story = session.exec(select(Story)).first()
        linker.relink_story(session, story)
        session.commit()
        again = _calls(session)
    assert again == before


def test_the_panel_shows_a_sentences_close_calls_to_readers_without_forms(anonymous, engine):
    call, sentence, claim = _a_close_call(engine)
    page = anonymous.get(f"/articles/{sentence.article_id}?sentence={sentence.id}").text
    assert "Close, but not linked" in page
    assert f'<span class="key c{claim.position % 12}">{claim.key}</span>' in page
    assert f"{round(call.score * 100)}%" in page
    assert f"Confirm {claim.key}</button>" not in page


def test_the_claim_page_and_the_api_list_its_close_calls(anonymous, engine):
    call, sentence, claim = _a_close_call(engine)
    page = anonymous.get(f"/claims/{claim.id}").text
    assert "Close, but not linked" in page and sentence.text[:60] in page
    listed = anonymous.get(f"/claims/{claim.id}.json").json()["close_calls"]
    assert listed[0]["sentence_id"] == sentence.id
    assert listed[0]["score"]["percent"] == round(call.score * 100)
    scores = [c["score"]["value"] for c in listed]
    assert scores == sorted(scores, reverse=True)
    one = anonymous.get(f"/sentences/{sentence.id}.json").json()
    assert claim.key in [c["key"] for c in one["close_calls"]]
    assert claim.key not in [c["key"] for c in one["claims"]]


def test_an_editor_confirms_a_close_call_from_the_claim_page_and_returns_to_it(
    signed_in, engine
):
    call, sentence, claim = _a_close_call(engine)
    page = signed_in.get(f"/claims/{claim.id}").text
    assert f'action="/sentences/{sentence.id}/decisions"' in page
    done = signed_in.post(
        f"/sentences/{sentence.id}/decisions",
        data={
            "csrftoken": csrf_token(signed_in, f"/claims/{claim.id}"), "claim_key": claim.key,
            "verdict": "confirm", "next": f"/claims/{claim.id}#close-h",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/claims/{claim.id}#close-h"
    with Session(engine) as session:
        link = session.exec(
            select(Link).where(Link.sentence_id == sentence.id, Link.claim_id == claim.id)
        ).one()
        assert link.decided_by == "editor"
        assert session.get(Suggestion, call.id) is None
    after = signed_in.get(f"/claims/{claim.id}.json").json()
    assert sentence.id not in [c["sentence_id"] for c in after["close_calls"]]
    shown = {
        shown_id
        for o in after["comparison"]["outlets"]
        for w in o["wordings"]
        for shown_id in [w["sentence_id"], *w["repeats"]]
    }
    assert sentence.id in shown


def test_dismissing_a_close_call_removes_it_and_survives_a_relink(signed_in, engine, settings):
    call, sentence, claim = _a_close_call(engine)
    done = signed_in.post(
        f"/sentences/{sentence.id}/decisions",
        data={
            "csrftoken": csrf_token(signed_in, f"/articles/{sentence.article_id}"),
            "claim_key": claim.key, "verdict": "reject",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"/sentences/{sentence.id}"
    with Session(engine) as session:
        assert session.get(Suggestion, call.id) is None
        Linker(params=link_params(settings)).relink_story(session, session.get(Story, 1))
        session.commit()
        pairs = {(s, c) for s, c, _ in _calls(session)}
        assert (sentence.id, claim.id) not in pairs
        assert session.exec(select(Decision).where(Decision.sentence_id == sentence.id)).one()


def test_a_decision_never_redirects_to_another_site(signed_in, engine):
    _call, sentence, claim = _a_close_call(engine)
    done = signed_in.post(
        f"/sentences/{sentence.id}/decisions",
        data={
            "csrftoken": csrf_token(signed_in, f"/claims/{claim.id}"), "claim_key": claim.key,
            "verdict": "confirm", "next": "//elsewhere.example/phish",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_deleting_an_article_takes_its_close_calls(client, engine):
    _call, sentence, _claim = _a_close_call(engine)
    assert client.delete(f"/api/articles/{sentence.article_id}").status_code in (200, 204)
    with Session(engine) as session:
        left = session.exec(
            select(Suggestion).join(Sentence).where(Sentence.article_id == sentence.article_id)
        ).all()
        assert left == [] and session.get(Sentence, sentence.id) is None
