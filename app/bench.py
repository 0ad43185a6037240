"""`provenance bench`: the speed figures of linking and of the pages, as JSON lines and a table.

First the seed story: encoding, linking a new article, re-linking, the pages in process. Then a
synthetic corpus grown step by step (app.scalebench). Everything runs on fresh temporary
databases built the way the app builds its own, with the encoder loaded once before timing
starts (the server keeps it loaded too).
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.bootstrap import prepare_database
from app.corpus import Corpus, perturb, seed_sentences
from app.db import write_session
from app.linker import LINKABLE_KINDS, Linker
from app.linking import SentenceText, default_encoder
from app.linking.encoder import CachingEncoder, MemoryStore
from app.linking.induce import induce_claims
from app.models import Article, Claim, Link, Sentence, Story
from app.settings import Settings, get_settings, link_params
from app.text.segment import segment
from app.uploads import UploadRequest, upload


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _seed_sentences(session: Session) -> list[str]:
    return list(
        session.exec(select(Sentence.text).where(Sentence.kind == "content")).all()
    )


def synthetic_article(pool: list[str], size: int, rng: random.Random) -> str:
    return "\n\n".join(perturb(rng.choice(pool), rng) for _ in range(size))


def seed_figures() -> dict[str, float]:
    """The seed story's figures: encoding, linking one article, re-linking, pages."""
    results: dict[str, float] = {}
    rng = random.Random(20241125)
    encoder = default_encoder()
    encoder.encode(["warm up"])
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}")
        linker = Linker(encoder, link_params(settings))
        started = time.perf_counter()
        engine, _ = prepare_database(settings, linker)
        results["seed_load_and_link_s"] = time.perf_counter() - started
        with Session(engine) as session:
            pool = _seed_sentences(session)
            story = session.exec(select(Story)).first()

        texts = [perturb(rng.choice(pool), rng) + f" ({i})" for i in range(200)]
        started = time.perf_counter()
        encoder.encode(texts)
        results["encode_sentences_per_s"] = len(texts) / (time.perf_counter() - started)

        with write_session(engine) as session:
            session.add(Claim(story_id=story.id, key="X25", text=pool[3], position=99))
        for _ in range(25):
            upload(
                engine, linker, UploadRequest(synthetic_article(pool, 20, rng), story_id=story.id),
                settings.max_upload_bytes, settings.extract_timeout,
            )
        with Session(engine) as session:
            claims = len(session.exec(select(Claim.id)).all())
            linked = len(session.exec(
                select(Link.sentence_id).join(Claim).where(Claim.story_id == story.id).distinct()
            ).all())
        results["story_claims"] = claims
        results["story_linked_sentences"] = linked

        timings = []
        for _ in range(10):
            text = synthetic_article(pool, 40, rng)
            started = time.perf_counter()
            upload(
                engine, linker, UploadRequest(text, story_id=story.id),
                settings.max_upload_bytes, settings.extract_timeout,
            )
            timings.append(time.perf_counter() - started)
        results["link_new_40_sentence_article_p50_s"] = statistics.median(timings)
        results["link_new_40_sentence_article_p95_s"] = _percentile(timings, 0.95)

        words = " ".join(synthetic_article(pool, 60, rng).split()[:1000])
        started = time.perf_counter()
        upload(
            engine, linker, UploadRequest(words), settings.max_upload_bytes,
            settings.extract_timeout,
        )
        results["upload_1000_words_auto_story_s"] = time.perf_counter() - started

        with write_session(engine) as session:
            started = time.perf_counter()
            linker.relink_story(session, session.get(Story, story.id))
            results["relink_story_s"] = time.perf_counter() - started
        results.update(_page_latency(settings, linker))
        engine.dispose()

    return results


def induce_figures(seeds_dir: Path, articles: int = 60) -> dict[str, float]:
    """Inducing the claims of a synthetic story of ``articles`` articles with neither origin nor
    dossier, as each upload to such a story does: seconds (texts already encoded, as they are
    on upload) and peak memory of the Python heap and NumPy."""
    corpus = Corpus(1, articles, background=seed_sentences(seeds_dir))
    sentences = []
    for spec in corpus.articles():
        for s in segment(spec.text, "en"):
            if s.kind in LINKABLE_KINDS:
                text = spec.text[s.start : s.end]
                sentences.append(SentenceText(len(sentences), spec.number, text, "en"))
    encoder = CachingEncoder(default_encoder(), MemoryStore())
    induce_claims(sentences, encoder)  # encodes every text once
    started = time.perf_counter()
    induce_claims(sentences, encoder)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        induce_claims(sentences, encoder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    name = f"induce_{articles}_articles"
    return {f"{name}_s": seconds, f"{name}_peak_mb": peak / 1e6}


def run(
    out=print, quick: bool = False, database_url: str | None = None, sizes=None
) -> tuple[dict[str, float], list[dict[str, float]]]:
    """Measure, then print every figure as a JSON line and then as tables."""
    from app.scalebench import FULL, QUICK, run_scale

    seed = {**seed_figures(), **induce_figures(get_settings().seeds_dir)}
    for name, value in seed.items():
        out(json.dumps({"metric": name, "value": round(value, 4)}))
    rows = run_scale(
        sizes or (QUICK if quick else FULL),
        get_settings().seeds_dir,
        database_url=database_url,
        load_seconds=3 if quick else 8,
        uploads=10 if quick else 20,
        one_by_one=10 if quick else 30,
        page_sample=100 if quick else 200,
        out=lambda line: None,
    )
    for row in rows:
        for name, value in row.items():
            if name != "articles":
                out(json.dumps({"articles": row["articles"], "metric": name,
                                "value": round(value, 4)}))
    out("")
    for line in table(seed, rows):
        out(line)
    return seed, rows


def table(seed: dict[str, float], rows: list[dict[str, float]]) -> list[str]:
    """The seed figures, then one column per corpus size."""
    names = list(dict.fromkeys(n for row in rows for n in row if n != "articles"))
    width = max(len(n) for n in [*seed, *names, "articles"])
    lines = [f"{name.ljust(width)}  {value:10.3f}" for name, value in seed.items()]
    lines.append("")
    lines.append("articles".ljust(width) + "".join(f"  {row['articles']:>10}" for row in rows))
    for name in names:
        cells = "".join(
            f"  {row[name]:10.3f}" if name in row else "  " + "-".rjust(10) for row in rows
        )
        lines.append(name.ljust(width) + cells)
    return lines


def _page_latency(settings: Settings, linker: Linker) -> dict[str, float]:
    """Server-side time per page: the app's own handling, measured in-process, 50 requests."""
    from app.main import create_app

    app = create_app(settings, linker)
    figures: dict[str, float] = {}
    with (
        TestClient(app, raise_server_exceptions=False) as client,
        Session(app.state.engine) as session,
    ):
        article = session.exec(select(Article.id)).first()
        claim = session.exec(select(Claim.id)).first()
        for name, path in (
            ("index", "/"),
            ("claim", f"/claims/{claim}"),
            ("article", f"/articles/{article}"),
            ("outlets", "/outlets"),
            ("api_article", f"/api/articles/{article}"),
        ):
            if client.get(path).status_code != 200:
                continue
            timings = []
            for _ in range(50):
                started = time.perf_counter()
                client.get(path)
                timings.append(time.perf_counter() - started)
            figures[f"page_{name}_p50_ms"] = statistics.median(timings) * 1000
            figures[f"page_{name}_p95_ms"] = _percentile(timings, 0.95) * 1000
    return figures
