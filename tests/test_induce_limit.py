"""A story whose claims are induced, grown past what can be induced at once, stays bounded: its
claims come from its latest articles and the rest of its coverage is linked to them."""

import json

import pytest
from sqlmodel import Session, select

from app import linker as linker_module
from app.bootstrap import prepare_database
from app.linker import Linker, split_latest
from app.models import Article, Claim, Link, Sentence, Story
from app.uploads import UploadRequest, upload
from tests.conftest import ROOT, make_settings

LIMIT = 90


@pytest.fixture
def big_story(tmp_path, monkeypatch):
    """The seed story without dossier (over 100 sentences), with an induction limit of 90."""
    monkeypatch.setattr(linker_module, "MAX_INDUCE_SENTENCES", LIMIT)
    settings = make_settings(tmp_path, seed_dossier=False)
    engine, _ = prepare_database(settings)
    yield engine, settings
    engine.dispose()


def _links(session: Session) -> set[tuple[int, str, float]]:
    rows = session.exec(
        select(Link.sentence_id, Claim.key, Link.score).join(Claim, Claim.id == Link.claim_id)
    ).all()
    return set(rows)


def test_the_latest_articles_up_to_the_limit_are_kept_whole():
    article = {i: Article(id=i, story_id=1, source=f"{i}", text="") for i in (1, 2, 3)}
    rows = [(Sentence(index=n), article[a]) for a, n in [(1, 0), (1, 1), (2, 0), (3, 0), (3, 1)]]
    latest, older = split_latest(rows, 3)
    assert [row[1].id for row in latest] == [2, 3, 3] and older == [1]
    latest, older = split_latest(rows, 1)  # the latest article even when alone past the limit
    assert [row[1].id for row in latest] == [3, 3] and older == [1, 2]


def test_claims_come_from_the_latest_articles_and_earlier_ones_are_linked_to_them(big_story):
    engine, _ = big_story
    with Session(engine) as session:
        rows = Linker.linkable(session, 1)
        assert len(rows) > LIMIT
        latest, older = split_latest(rows, LIMIT)
        latest_texts = {s.text for s, _ in latest}
        claims = session.exec(select(Claim).where(Claim.story_id == 1)).all()
        assert claims and all(c.source == "induced" for c in claims)
        assert all(c.text in latest_texts for c in claims)
        linked_articles = set(
            session.exec(
                select(Sentence.article_id).join(Link, Link.sentence_id == Sentence.id)
            ).all()
        )
        assert set(older) & linked_articles, "earlier coverage is linked to the claims"


def test_relinking_a_story_past_the_limit_gives_the_same_links_twice(big_story):
    engine, _ = big_story
    linker = Linker()
    with Session(engine) as session:
        linker.relink_story(session, session.get(Story, 1))
        session.commit()
        first = _links(session)
        linker.relink_story(session, session.get(Story, 1))
        session.commit()
        assert _links(session) == first and first


def test_an_upload_to_a_story_past_the_limit_keeps_its_claims_and_is_linked_to_them(big_story):
    engine, settings = big_story
    renderings = json.loads((ROOT / "eval" / "multilingual.json").read_text(encoding="utf-8"))
    text = "\n\n".join(item["en"] for item in renderings["sentences"])
    with Session(engine) as session:
        before = {(c.id, c.key, c.text) for c in session.exec(select(Claim)).all()}
    result = upload(
        engine, Linker(), UploadRequest(text, outlet="Wire", story_id=1),
        settings.max_upload_bytes, settings.extract_timeout,
    )
    with Session(engine) as session:
        assert {(c.id, c.key, c.text) for c in session.exec(select(Claim)).all()} == before
        new_links = session.exec(
            select(Link).join(Sentence, Sentence.id == Link.sentence_id)
            .where(Sentence.article_id == result.article_id)
        ).all()
        assert new_links
