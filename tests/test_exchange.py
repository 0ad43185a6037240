"""Story export and import: a story moves to another instance and reads the same there."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.bootstrap import prepare_database
from app.cli import cli
from app.db import write_session
from app.editing import decide
from app.exchange.archive import ArchiveError, read_document, to_json
from app.exchange.export import export_story
from app.exchange.importing import ImportRefused, import_story, parse
from app.main import create_app
from app.models import Article, Claim, Decision, Link, Sentence, Story
from app.settings import get_settings
from tests.conftest import make_settings

TABLES = (Story, Article, Sentence, Claim, Link, Decision)


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in TABLES
        }


def comparable(document: dict) -> dict:
    """The document without the moment it was written."""
    return {k: v for k, v in document.items() if k != "exported_at"}


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A seeded instance, linked by the model, with two editor decisions."""
    settings = make_settings(tmp_path_factory.mktemp("source"))
    engine, _report = prepare_database(settings)
    with write_session(engine) as session:
        sentences = session.exec(
            select(Sentence).where(Sentence.kind == "content").order_by(Sentence.id)
        ).all()
        decide(session, sentences[3].id, "LM08", "confirm", editor="desk")
        decide(session, sentences[7].id, "LM01", "reject")
    with TestClient(create_app(settings)) as client:
        yield client, engine
    engine.dispose()


@pytest.fixture(scope="module")
def exported(source) -> dict:
    client, _engine = source
    response = client.get("/stories/1/export.json")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="le-monde-2024-11-25.json"'
    )
    return response.json()


@pytest.fixture
def run(monkeypatch):
    """The `provenance` command against the database of ``settings``."""

    def invoke(settings, *args: str):
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
        monkeypatch.setenv("LOAD_SEEDS", str(settings.load_seeds).lower())
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(cli, list(args))
        finally:
            get_settings.cache_clear()

    return invoke


def empty_instance(tmp_path: Path):
    settings = make_settings(tmp_path, load_seeds=False)
    engine, _report = prepare_database(settings)
    return settings, engine


def test_the_export_holds_texts_spans_claims_links_and_decisions(source, exported):
    _client, engine = source
    assert exported["format"] == "provenance-story" and exported["version"] == 1
    assert exported["story"]["origin_outlet"] == "Le Monde"
    assert len(exported["articles"]) == 5 and len(exported["claims"]) == 24
    with Session(engine) as session:
        originals = {a.content_hash: a.raw for a in session.exec(select(Article)).all()}
        link_count = session.exec(select(func.count()).select_from(Link)).one()
    for article in exported["articles"]:
        assert article["raw"] == originals[article["content_hash"]]
        for sentence in article["sentences"]:
            assert article["text"][sentence["start"] : sentence["end"]] == sentence["text"]
            assert sentence["selector"][0]["exact"] == sentence["text"]
    assert len(exported["links"]) == link_count > 0
    assert {link["decided_by"] for link in exported["links"]} == {"model", "editor"}
    assert all(0 <= link["score"] <= 1 for link in exported["links"])
    assert sorted((d["claim"], d["verdict"], d["editor"]) for d in exported["decisions"]) == [
        ("LM01", "reject", "editor"), ("LM08", "confirm", "desk")
    ]
    assert "id" not in exported["story"] and not any("id" in a for a in exported["articles"])


def test_each_link_carries_what_its_sentence_changes_against_the_origin(source, exported):
    client, _engine = source
    flags = client.get("/api/stories/1/flags").json()
    assert flags, "the seed story has flagged links"
    flagged = [link for link in exported["links"] if link["discrepancies"]]
    # the API lists a sentence's change once with every claim it concerns; the export per link
    per_link = sorted((link["claim"], d["kind"], d["origin"], d["outlet"], d["reason"])
                      for link in flagged for d in link["discrepancies"])
    assert per_link == sorted((key, f["kind"], f["origin"], f["outlet"], f["reason"])
                              for f in flags for key in f["claim_keys"])
    kinds = {d["kind"] for link in flagged for d in link["discrepancies"]}
    reasons = {d["reason"] for link in flagged for d in link["discrepancies"]}
    assert kinds <= {"number", "date", "entity", "modality", "quote"} and kinds
    assert all(r.strip() for r in reasons)


def test_export_then_import_into_an_empty_instance_then_export_again_is_the_same(
    tmp_path, exported, run
):
    path = tmp_path / "story.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    settings, engine = empty_instance(tmp_path / "b")
    assert counts(engine)["Story"] == 0

    result = run(settings, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "5 articles, 24 claims" in result.output
    assert counts(engine)["Link"] == len(exported["links"])

    again = tmp_path / "again.json"
    result = run(settings, "export", "1", str(again))
    assert result.exit_code == 0, result.output
    assert comparable(json.loads(again.read_text(encoding="utf-8"))) == comparable(exported)
    engine.dispose()


def test_the_imported_story_reads_the_same_in_the_pages(tmp_path, source, exported):
    client, _engine = source
    settings, engine = empty_instance(tmp_path)
    with write_session(engine) as session:
        import_story(session, parse(exported))
    with TestClient(create_app(settings)) as imported:
        mine, theirs = client.get("/index.json").json(), imported.get("/index.json").json()
        rows = ("key", "article_count", "sentence_count", "match", "kept_percent")
        assert [{k: c[k] for k in rows} for c in mine["claims"]] == [
            {k: c[k] for k in rows} for c in theirs["claims"]
        ]
    engine.dispose()


def test_the_zip_holds_the_document_and_csvs_a_spreadsheet_reads(tmp_path, source, exported, run):
    client, _engine = source
    response = client.get("/stories/1/export.zip")
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert set(archive.namelist()) == {
            "story.json", "articles.csv", "sentences.csv", "claims.csv", "links.csv",
            "decisions.csv",
        }
        assert comparable(json.loads(archive.read("story.json"))) == comparable(exported)
        frames = {
            name: pd.read_csv(io.BytesIO(archive.read(f"{name}.csv")), keep_default_na=False)
            for name in ("articles", "sentences", "claims", "links", "decisions")
        }
    assert list(frames["claims"]["key"]) == [c["key"] for c in exported["claims"]]
    assert len(frames["sentences"]) == sum(len(a["sentences"]) for a in exported["articles"])
    assert list(frames["links"]["score"]) == [x["score"] for x in exported["links"]]
    assert list(frames["decisions"]["verdict"]) == [d["verdict"] for d in exported["decisions"]]

    path = tmp_path / "story.zip"
    path.write_bytes(response.content)
    settings, engine = empty_instance(tmp_path / "b")
    result = run(settings, "import", str(path))
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        assert comparable(export_story(session, 1).model_dump(mode="json")) == comparable(exported)
    engine.dispose()


def _damaged(exported: dict, change) -> dict:
    document = json.loads(json.dumps(exported))
    change(document)
    return document


def _set(path: list, value):
    def change(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


REFUSALS = {
    "another format": (_set(["format"], "something-else"), "not a provenance story export"),
    "a newer version": (_set(["version"], 2), "format version 2; this instance reads version 1"),
    "a missing part": (lambda d: d.pop("claims"), "claims: Field required"),
    "a bad score": (_set(["links", 0, "score"], 7), "links.0.score"),
    "an altered text": (
        _set(["articles", 1, "text"], "Something else entirely."),
        "does not match its content hash",
    ),
    "a span off its text": (
        _set(["articles", 0, "sentences", 2, "start"], 1), "its span does not read its text"
    ),
    "a link to no claim": (_set(["links", 0, "claim"], "ZZ99"), "names a claim the export"),
    "a link to no sentence": (_set(["links", 0, "sentence"], 9999), "names sentence 9999"),
    "an address that is no web address": (
        _set(["articles", 0, "url"], "javascript:alert(1)"), "is not a web address"
    ),
    "a language that is no language": (
        _set(["articles", 0, "language"], "xx-notalang"), "is not a language code"
    ),
    "a claim twice": (
        lambda d: d["claims"].append(dict(d["claims"][0])), "claim LM01 appears twice"
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_damaged_or_incompatible_document_is_refused_and_nothing_is_written(
    case, tmp_path, exported, run
):
    change, said = REFUSALS[case]
    path = tmp_path / "story.json"
    path.write_text(json.dumps(_damaged(exported, change)), encoding="utf-8")
    settings, engine = empty_instance(tmp_path / "b")
    before = counts(engine)
    result = run(settings, "import", str(path))
    assert result.exit_code == 2
    assert said in result.output and "nothing was imported" in result.output.lower()
    assert counts(engine) == before
    engine.dispose()


def test_files_that_are_not_exports_are_refused_plainly():
    with pytest.raises(ArchiveError, match="not valid JSON"):
        read_document(b"{not json")
    with pytest.raises(ArchiveError, match="neither a JSON story export nor a ZIP"):
        read_document(b"\xff\xfe\x00binary")
    with pytest.raises(ArchiveError, match="not a story export"):
        read_document(b"[1, 2]")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ArchiveError, match="holds no story.json"):
        read_document(buffer.getvalue())
    with pytest.raises(ArchiveError, match="damaged"):
        read_document(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(ImportRefused, match="not a provenance story export"):
        parse({"hello": "world"})


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, exported):
    """A refusal half way through an import undoes everything the import wrote before it."""
    _settings, engine = empty_instance(tmp_path)
    document = parse(exported)
    before = counts(engine)
    with pytest.raises(ImportRefused), write_session(engine) as session:
        import_story(session, document)
        import_story(session, document)  # the second one is refused inside the same transaction
    assert counts(engine) == before
    engine.dispose()


def test_importing_a_story_already_here_is_refused(tmp_path, source, exported, run):
    path = tmp_path / "story.json"
    path.write_text(to_json(parse(exported)), encoding="utf-8")
    _client, engine = source
    before = counts(engine)
    settings = make_settings(Path(engine.url.database).parent)
    result = run(settings, "import", str(path))
    assert result.exit_code == 2 and "This story is already here: story 1" in result.output
    assert counts(engine) == before


def test_articles_already_here_are_not_duplicated_and_the_import_says_so(tmp_path, exported):
    """Another story that shares two articles: they stay where they are; the rest is added."""
    settings, engine = empty_instance(tmp_path)
    with write_session(engine) as session:
        import_story(session, parse(exported))
    shared = exported["articles"][:2]
    other = _damaged(exported, _set(["story", "slug"], "another-story"))
    other["articles"] = shared + [_renamed(a, "Other text.") for a in exported["articles"][2:3]]
    keep = {a["content_hash"] for a in other["articles"]}
    other["links"] = [x for x in exported["links"] if x["article"] in keep]
    other["decisions"] = [x for x in exported["decisions"] if x["article"] in keep]
    with write_session(engine) as session:
        report = import_story(session, parse(other))
    assert report.articles_added == 1 and len(report.present) == 2
    said = "\n".join(report.lines())
    assert "already here, not duplicated" in said and "story 1" in said
    added = other["articles"][-1]["content_hash"]
    on_shared = [x for x in other["links"] + other["decisions"] if x["article"] != added]
    assert report.skipped == len(on_shared) > 0
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 6
        stories = {a.content_hash: a.story_id for a in session.exec(select(Article)).all()}
    assert [stories[a["content_hash"]] for a in shared] == [1, 1]
    engine.dispose()


def _renamed(article: dict, text: str) -> dict:
    from app.ingest import content_hash

    return {**article, "raw": text, "text": text, "content_hash": content_hash(text),
            "sentences": [{"index": 0, "start": 0, "end": len(text), "kind": "content",
                           "text": text, "selector": []}]}


def test_a_claim_finds_its_origin_sentence_in_an_article_here_cut_differently(
    tmp_path, exported
):
    """The origin sentence of a claim is in an article this instance already holds, split into
    sentences another way: the claim's text-quote selector still finds it."""
    settings, engine = empty_instance(tmp_path)
    with write_session(engine) as session:
        import_story(session, parse(exported))
    article = exported["articles"][0]
    first, second = [s for s in article["sentences"] if s["kind"] == "content"][:2]
    with write_session(engine) as session:  # this instance merges the two sentences into one
        stored = session.exec(
            select(Article).where(Article.content_hash == article["content_hash"])
        ).one()
        session.exec(delete(Sentence).where(Sentence.article_id == stored.id))
        merged = Sentence(article_id=stored.id, index=0, start=first["start"],
                          end=second["end"], kind="content",
                          text=stored.text[first["start"] : second["end"]])
        session.add(merged)
        session.flush()
        merged_id = merged.id
    other = _damaged(exported, _set(["story", "slug"], "re-keyed"))
    other["claims"][0]["origin"] = {"article": article["content_hash"],
                                    "sentence": second["index"]}
    with write_session(engine) as session:
        report = import_story(session, parse(other))
        claim = session.exec(
            select(Claim).where(Claim.story_id == report.story_id, Claim.key == "LM01")
        ).one()
        assert claim.sentence_id == merged_id
    engine.dispose()
