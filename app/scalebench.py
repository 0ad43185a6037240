"""The corpus part of `provenance bench`: one database grown step by step with a synthetic
corpus (app.corpus), and at each size the bulk import rate, the time from upload to linked
article, the pages under concurrent load on a real server, the database size and the server's
peak memory."""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

import typer
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from app.bootstrap import prepare_database
from app.bulk import import_items
from app.corpus import Corpus, seed_sentences
from app.db import write_session
from app.linker import Linker
from app.linking import default_encoder
from app.loadtest import Server, load
from app.models import Article, Claim, Sentence, Story
from app.scale import add_stories, article_input, corpus_items
from app.settings import Settings, link_params
from app.uploads import UploadRequest, upload

FULL = (1_000, 5_000, 20_000)
QUICK = (200, 1_000)
ARTICLES_PER_STORY = 20


class TimedEncoder:
    """The encoder, counting the time spent in it (the encoder's share of an import)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.dim = getattr(inner, "dim", 0)
        self.seconds = 0.0
        self.texts = 0

    def encode(self, texts: Sequence[str]):
        started = time.perf_counter()
        vectors = self.inner.encode(texts)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_scale(
    sizes: Sequence[int],
    seeds_dir: Path,
    database_url: str | None = None,
    load_seconds: float = 8.0,
    uploads: int = 20,
    one_by_one: int = 30,
    workers: int = 2,
    page_sample: int = 200,
    out: Callable[[str], None] = print,
) -> list[dict[str, float]]:
    """Grow one database to each of ``sizes`` articles and measure it; one dict per size.
    ``page_sample`` distinct claim and article pages are loaded at each size."""
    sizes = sorted(sizes)
    corpus = Corpus(
        max(1, sizes[-1] // ARTICLES_PER_STORY), sizes[-1] + one_by_one,
        background=seed_sentences(seeds_dir),
    )
    encoder = TimedEncoder(default_encoder())
    encoder.encode(["warm up"])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'scale.db'}"
        settings = Settings(database_url=url, load_seeds=False, seeds_dir=seeds_dir)
        linker = Linker(encoder, link_params(settings))
        engine, _ = prepare_database(settings, linker)
        ids: dict[int, int] = {}
        done = 0
        for size in sizes:
            ids.update(add_stories(engine, corpus.stories[: corpus.plan[size - 1] + 1]))
            row: dict[str, float] = {"articles": size}
            row.update(_bulk(engine, linker, encoder, corpus, ids, done, size))
            done = size
            # the next articles one by one, from the same point of the corpus
            last = size + one_by_one
            ids.update(add_stories(engine, corpus.stories[: corpus.plan[last - 1] + 1]))
            single = _one_by_one(engine, linker, corpus, ids, done, last, settings)
            row.update(single)
            row["bulk_speedup_per_sentence"] = (
                row["bulk_sentences_per_s"] / single["one_by_one_sentences_per_s"]
            )
            done = last
            row.update(_counts(engine))
            row.update(_upload_to_linked(engine, linker, corpus, ids, size, uploads, settings))
            row.update(_pages(url, engine, load_seconds, workers, page_sample))
            row["database_mb"] = _database_mb(engine, url)
            rows.append(row)
            out(f"scale: {size} articles measured")
        engine.dispose()
    return rows


def _one_by_one(engine, linker, corpus, ids, start, stop, settings) -> dict[str, float]:
    """Articles of the same corpus as the import, uploaded one at a time (one transaction
    each), as the upload form and the API do."""
    before = _counts(engine)["sentences"]
    encoded, started = linker.encoder.seconds, time.perf_counter()
    for spec in corpus.articles(start, stop):
        request = UploadRequest(
            spec.text, outlet=spec.outlet, title=spec.title, story_id=ids[spec.story]
        )
        upload(engine, linker, request, settings.max_upload_bytes, settings.extract_timeout)
    elapsed = time.perf_counter() - started
    sentences = _counts(engine)["sentences"] - before
    return {
        "one_by_one_articles_per_s": (stop - start) / elapsed,
        "one_by_one_sentences_per_s": sentences / elapsed,
        "one_by_one_encoder_share": (linker.encoder.seconds - encoded) / elapsed,
    }


def _bulk(engine, linker, encoder, corpus, ids, start, stop) -> dict[str, float]:
    before = _counts(engine)["sentences"]
    encoded, started = encoder.seconds, time.perf_counter()
    with typer.progressbar(
        length=stop - start, label=f"Importing to {stop}", file=sys.stderr
    ) as bar:
        report = import_items(
            engine, linker, corpus_items(corpus, ids, start, stop),
            progress=lambda _entry: bar.update(1),
        )
    elapsed = time.perf_counter() - started
    sentences = _counts(engine)["sentences"] - before
    return {
        "bulk_articles_per_s": report.added / elapsed,
        "bulk_sentences_per_s": sentences / elapsed,
        "bulk_encoder_share": (encoder.seconds - encoded) / elapsed,
    }


def _counts(engine: Engine) -> dict[str, float]:
    with Session(engine) as session:
        return {
            "stories": session.exec(select(func.count()).select_from(Story)).one(),
            "sentences": session.exec(select(func.count()).select_from(Sentence)).one(),
        }


def _upload_to_linked(engine, linker, corpus, ids, size, count, settings) -> dict[str, float]:
    """New 1,000-word articles, each matched to its story among all of them and linked."""
    with write_session(engine) as session:  # the server keeps its index warm the same way
        linker.index.refresh(session, linker.cached(session))
    rng = random.Random(size)
    loaded = sorted({corpus.plan[i] for i in range(size)})
    timings, matched = [], 0
    for k in range(count):
        story = rng.choice(loaded)
        spec = corpus.article(10_000_000 + size * 100 + k, story=story, words=1000)
        item = article_input(spec)
        started = time.perf_counter()
        result = upload(
            engine, linker, UploadRequest(item.text, outlet=item.outlet, title=item.title),
            settings.max_upload_bytes, settings.extract_timeout,
        )
        timings.append(time.perf_counter() - started)
        matched += result.story_id == ids[story]
    return {
        "upload_1000_words_p50_s": statistics.median(timings),
        "upload_1000_words_p95_s": percentile(timings, 0.95),
        "upload_matched_story_share": matched / count,
    }


def _pages(
    url: str, engine: Engine, seconds: float, workers: int, sample_size: int
) -> dict[str, float]:
    """Each page kind under load, after a warm-up that lasts until every worker has served
    every page a few times: the figures are those of a server that has been up a while (see
    README, "Serving many readers"). Before that, the first rendering of claim and article
    pages nobody asked for yet, one at a time."""
    rng = random.Random(1)
    with Session(engine) as session:
        claims = session.exec(select(Claim.id, Claim.story_id, Claim.text)).all()
        articles = session.exec(select(Article.id)).all()
    sample = rng.sample(claims, min(sample_size, len(claims)))
    searches = []
    for _claim_id, story_id, wording in sample:
        word = max(wording.split(), key=len).strip(".,")
        searches.append(f"/stories/{story_id}?q={word}")
    article_sample = rng.sample(articles, min(sample_size, len(articles)))
    pages = {
        "claim": [f"/claims/{c}" for c, _, _ in sample],
        "article": [f"/articles/{a}" for a in article_sample],
        "index": ["/"] + [f"/stories/{s}" for _, s, _ in sample],
        "search": searches,
    }
    chosen, chosen_articles = {c for c, _, _ in sample}, set(article_sample)
    fresh = {
        "claim": [f"/claims/{c}" for c, _, _ in claims if c not in chosen][:30],
        "article": [f"/articles/{a}" for a in articles if a not in chosen_articles][:30],
    }
    figures: dict[str, float] = {}
    with Server(url, workers=workers) as server:
        for name, paths in fresh.items():
            timings = [_time_one(server.url + path) for path in paths]
            if timings:
                figures[f"page_{name}_first_p50_ms"] = statistics.median(timings)
                figures[f"page_{name}_first_p95_ms"] = percentile(timings, 0.95)
        for name, paths in pages.items():
            figures[f"page_{name}_warmup_s"] = _warm_up(server.url, paths, seconds, workers)
            result = load(server.url, paths, seconds)
            figures[f"page_{name}_p50_ms"] = result.p50_ms
            figures[f"page_{name}_p95_ms"] = result.p95_ms
            figures[f"page_{name}_p99_ms"] = result.p99_ms
            figures[f"page_{name}_requests_per_s"] = result.requests_per_s
            figures[f"page_{name}_errors"] = result.errors
        figures["server_peak_mb"] = server.peak_memory_mb()
    return figures


#: The warm-up lasts until each page has been asked for this many times per server process, so
#: that every process has rendered every page whatever connection the load balancer gave it.
WARM_REQUESTS = 8
MAX_WARM_UP_S = 60.0


def _warm_up(url: str, paths: Sequence[str], seconds: float, workers: int) -> float:
    """Load the pages in rounds of half the measure, at least one measure long, until each
    page has been served ``WARM_REQUESTS`` times per worker. Returns the seconds spent."""
    step = max(1.0, seconds / 2)
    spent, served = 0.0, 0
    wanted = WARM_REQUESTS * len(paths) * workers
    while spent < MAX_WARM_UP_S and (spent < seconds or served < wanted):
        served += load(url, paths, step).requests
        spent += step
    return spent


def _time_one(address: str) -> float:
    """Milliseconds for one request, answer read in full."""
    started = time.perf_counter()
    with urllib.request.urlopen(address, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def _database_mb(engine: Engine, url: str) -> float:
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database)
        files = [path, path.with_name(path.name + "-wal")]
        return sum(f.stat().st_size for f in files if f.exists()) / 2**20
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_database_size(current_database())")).scalar() / 2**20
