"""Scale: the synthetic corpus, the bulk import, and the candidate index that keeps an upload
from being linked against every story."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

import app.uploads as uploads
from app import linker as linker_module
from app.bulk import BulkItem, import_items
from app.corpus import Corpus, seed_sentences
from app.db import write_session
from app.ingest import ArticleInput
from app.linker import Linker
from app.models import Article, Claim, Link, Sentence, Story
from app.scale import add_stories, article_input, corpus_items
from app.story_index import story_changed
from app.uploads import UploadRequest, upload
from tests.conftest import SEEDS

pytestmark = pytest.mark.both_backends


def small_corpus(stories: int = 6, articles: int = 24) -> Corpus:
    return Corpus(stories, articles, seed=7, background=seed_sentences(SEEDS)[:40])


def test_the_corpus_is_the_same_for_the_same_seed_and_any_slice():
    one, two = small_corpus(), small_corpus()
    assert [a.text for a in one.articles()] == [a.text for a in two.articles()]
    assert [s.claims for s in one.stories] == [s.claims for s in two.stories]
    assert [a.text for a in one.articles(5, 9)] == [a.text for a in one.articles()][5:9]
    assert len({a.text for a in one.articles()}) == len(one) == 24
    assert {a.story for a in one.articles()} == set(range(6))
    assert [a.text for a in Corpus(6, 24, seed=8).articles()] != [a.text for a in one.articles()]


def test_bulk_import_links_the_claims_each_article_rewords(engine):
    corpus = small_corpus()
    linker = Linker()
    ids = add_stories(engine, corpus.stories)
    report = import_items(engine, linker, corpus_items(corpus, ids, 0, len(corpus)), batch=10)
    assert (report.added, report.duplicates, report.refused) == (24, 0, [])
    with Session(engine) as session:
        for spec in corpus.articles(0, 6):
            article = session.exec(
                select(Article).where(Article.source == f"synthetic-{spec.number:06d}.txt")
            ).one()
            assert article.story_id == ids[spec.story]
            rows = session.exec(
                select(Sentence.text, Claim.text)
                .join(Link, Link.sentence_id == Sentence.id)
                .join(Claim, Claim.id == Link.claim_id)
                .where(Sentence.article_id == article.id)
            ).all()
            claims = corpus.stories[spec.story].claims
            exact = [(s, c) for s, c in rows if s.rstrip(".") == c.rstrip(".")]
            carried = [s for s in spec.text.split("\n\n")[1:] if any(c in s for c in claims)]
            assert rows and len(exact) >= 1, (rows, carried)
            assert all(c in claims for _, c in rows)  # never a claim of another story


def test_bulk_import_refuses_bad_articles_and_keeps_the_rest(engine):
    good = ArticleInput(raw="x", text="A council approved new ferries for Porto on Monday.",
                        source="good.txt", language="en")
    items = [
        BulkItem("unreadable.bin", refusal="Binary content."),
        BulkItem("empty.txt", item=ArticleInput(raw=" ", text="   ", source="empty.txt")),
        BulkItem("good.txt", item=good),
        BulkItem("again.txt", item=good),
    ]
    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(Article)).one()
    report = import_items(engine, Linker(), items)
    assert report.added == 1 and report.duplicates == 1
    assert [name for name, _ in report.refused] == ["unreadable.bin", "empty.txt"]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == before + 1


def test_the_index_reloads_only_the_stories_that_changed(engine):
    linker = Linker()
    corpus = small_corpus(stories=4, articles=4)
    add_stories(engine, corpus.stories)
    with Session(engine) as session:
        assert linker.index.refresh(session, linker.cached(session)) == 5
        assert linker.index.refresh(session, linker.cached(session)) == 0
        rows = len(linker.index)
    with write_session(engine) as session:
        story_changed(session, 2)
    with Session(engine) as session:
        assert linker.index.refresh(session, linker.cached(session)) == 1
        assert len(linker.index) == rows


def test_an_upload_is_linked_only_against_the_stories_the_index_proposes(
    engine, settings, monkeypatch
):
    corpus = small_corpus(stories=12, articles=12)
    add_stories(engine, corpus.stories)
    calls = []
    real = uploads.link_sentences

    def counting(claims, *args, **kwargs):
        calls.append(len(claims))
        return real(claims, *args, **kwargs)

    monkeypatch.setattr(uploads, "link_sentences", counting)
    text = corpus.article(5).text
    result = upload(
        engine, Linker(), UploadRequest(text), settings.max_upload_bytes, settings.extract_timeout
    )
    assert len(calls) <= uploads.MAX_CANDIDATES < 13
    with Session(engine) as session:
        story = session.get(Story, result.story_id)
    assert story.slug == corpus.stories[corpus.plan[5]].slug


def test_a_new_article_is_linked_with_a_bounded_number_of_context_sentences(engine, monkeypatch):
    corpus = small_corpus(stories=1, articles=16)
    ids = add_stories(engine, corpus.stories)
    linker = Linker()
    import_items(engine, linker, corpus_items(corpus, ids, 0, 15), batch=15)
    monkeypatch.setattr(linker_module, "MAX_CONTEXT_SENTENCES", 25)
    with write_session(engine) as session:
        articles = session.exec(
            select(Article.id).where(Article.story_id == ids[0]).order_by(Article.id)
        ).all()
        newest = articles[-1]
        context = linker.context(session, ids[0], exclude=[newest])
        everything = linker.linkable(session, ids[0])
    assert len(everything) > 25 and len(context) == 25
    assert all(a.id != newest for _s, a in context)
    assert [(a.id, s.index) for s, a in context] == sorted((a.id, s.index) for s, a in context)
    latest = max(s.id for s, a in everything if a.id != newest)
    assert latest in {s.id for s, _a in context}, "the latest wordings are kept"
    assert article_input(corpus.article(15)).text.startswith(corpus.article(15).title)


def test_a_vector_cached_by_two_transactions_is_kept_once(engine):
    import numpy as np

    from app.linker import SqlVectorStore
    from app.models import Embedding

    for value in (1.0, 2.0):  # as two workers that encoded the same text at once
        with write_session(engine) as session:
            SqlVectorStore(session).put_many("test-model", {"h1": np.full(4, value, np.float32)})
    with Session(engine) as session:
        rows = session.exec(select(Embedding).where(Embedding.model == "test-model")).all()
    assert len(rows) == 1 and np.frombuffer(rows[0].vector, np.float32)[0] == 1.0


def test_every_story_of_the_corpus_gets_its_share_of_articles():
    from collections import Counter

    from app.corpus import _plan

    sizes = [10 + (7 * i) % 21 for i in range(1000)]
    plan = _plan(sizes, 20_030)
    counts = Counter(plan)
    assert len(plan) == 20_030 and plan == sorted(plan)
    assert max(counts.values()) <= 31 and min(counts.values()) >= 10
    assert Counter(_plan([10, 30], 4)) == Counter({0: 1, 1: 3})
    assert len(_plan([20] * 50, 30)) == 30
