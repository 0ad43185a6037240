"""`provenance evaluate`: load the seed story into a fresh database exactly as the app does, link
it, and score the stored links against the labelled seed sentences."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from app.bootstrap import prepare_database
from app.evaluation import (
    COVERAGE,
    RENDERINGS,
    TRANSLATIONS,
    UNSCORED,
    Scores,
    coverage_article,
    inherit_claims,
    rendering_gold,
    rendering_text,
    score,
    write_translated_story,
)
from app.models import Article, Claim, Link, Sentence, Suggestion
from app.settings import ROOT, Settings, link_params

GOLD = ROOT.parent / "shared" / "eval" / "seed_gold.json"


@dataclass
class Evaluation:
    name: str
    scores: Scores
    close_calls: CloseCallScores | None = None


@dataclass(frozen=True)
class CloseCallScores:
    """How the close calls would serve an editor on a labelled story: of the gold
    (sentence, claim) pairs the links miss, how many are among them (``found`` of
    ``missed``; each is a right close call), among how many close calls on scored sentences
    (``shown``)."""

    missed: int
    found: int
    shown: int

    def summary(self) -> str:
        return (
            f"{self.found} of the {self.missed} gold claims the links miss are among the "
            f"{self.shown} close calls"
        )


def close_call_scores(gold: dict, linked: dict[str, list], suggested: dict[str, list]):
    """``linked``/``suggested``: per article source, as ``predictions`` gives them."""
    missed = found = shown = 0
    for name, sentences in gold["articles"].items():
        scored = [g for g in sentences if g["claims"] != UNSCORED]
        links = inherit_claims(scored, linked.get(name, []))
        calls = inherit_claims(scored, suggested.get(name, []))
        for g, has, near in zip(scored, links, calls, strict=True):
            lost = set(g["claims"]) - has
            missed += len(lost)
            found += len(lost & near)
            shown += len(near - has)
    return CloseCallScores(missed, found, shown)


def predictions(session: Session, table=Link) -> dict[str, list]:
    """Per article source: (start, end, text, linked claim keys) of every sentence; with
    ``table=Suggestion``, the keys of its close calls instead."""
    keys: dict[int, set[str]] = {}
    for sentence_id, key in session.exec(
        select(table.sentence_id, Claim.key).join(Claim, Claim.id == table.claim_id)
    ).all():
        keys.setdefault(sentence_id, set()).add(key)
    out: dict[str, list] = {}
    rows = session.exec(
        select(Sentence, Article.source)
        .join(Article, Article.id == Sentence.article_id)
        .order_by(Article.id, Sentence.index)
    ).all()
    for sentence, source in rows:
        out.setdefault(source, []).append(
            (sentence.start, sentence.end, sentence.text, frozenset(keys.get(sentence.id, ())))
        )
    return out


def labelled_story(folder: Path, gold_path: Path = GOLD, seeds_dir: Path = ROOT / "seeds") -> Path:
    """The seed folder holding the articles ``gold_path`` labels.

    The repository's copy when it holds them as labelled. Otherwise another labelled story
    lies beside the repository (``seeds/`` with its manifest beside the gold's folder, the
    dossier ``claims.json`` beside the gold): it is written to ``folder`` in the layout the app
    loads, so any labelled story is scored exactly as the seed story is.
    """
    names = sorted(json.loads(gold_path.read_text(encoding="utf-8"))["articles"])
    beside = gold_path.parent.parent / "seeds"

    def as_labelled(name: str) -> bool:
        mine, theirs = seeds_dir / name, beside / name
        return mine.exists() and (not theirs.exists() or mine.read_bytes() == theirs.read_bytes())

    if all(as_labelled(name) for name in names):
        return seeds_dir
    needed = [beside / n for n in names]
    needed += [beside / "manifest.json", gold_path.parent / "claims.json"]
    missing = [str(path) for path in needed if not path.exists()]
    if missing:
        raise FileNotFoundError(
            f"the articles {gold_path} labels are not in {seeds_dir}, and {', '.join(missing)} "
            "is missing beside it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for path in needed:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def evaluate_seed_story(
    with_dossier: bool, gold_path: Path = GOLD, seeds_dir: Path = ROOT / "seeds"
) -> Evaluation:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'eval.db'}",
            seeds_dir=seeds_dir,
            seed_dossier=with_dossier,
        )
        engine, _ = prepare_database(settings)
        with Session(engine) as session:
            predicted = predictions(session)
            suggested = predictions(session, Suggestion)
            keys = set(session.exec(select(Claim.key)).all())
        engine.dispose()
    claim_ids = keys if with_dossier else None
    name = "seed story, dossier claims" if with_dossier else "seed story, induced claims"
    calls = close_call_scores(gold, predicted, suggested) if with_dossier else None
    return Evaluation(name, score(gold, predicted, claim_ids), calls)


@dataclass
class LanguageScores:
    """``linked_accuracy``/``exact_accuracy``: the rendering linked to the English dossier;
    ``induced``: pairs of a rendering sentence and a seed sentence when the story's claims are
    induced from the seed articles and the rendering together."""

    language: str
    sentences: int
    linked_accuracy: float
    exact_accuracy: float
    induced: Scores | None = None

    def summary(self) -> str:
        line = (
            f"{self.language}: linked-acc {self.linked_accuracy:.3f} "
            f"exact-acc {self.exact_accuracy:.3f} ({self.sentences} sentences)"
        )
        if self.induced is not None:
            s = self.induced
            line += (
                f"; induced claims, pairs with the seed articles: P {s.precision:.3f} "
                f"R {s.recall:.3f} F1 {s.f1:.3f}"
            )
        return line


def evaluate_languages(
    path: Path = RENDERINGS, seeds_dir: Path = ROOT / "seeds", gold_path: Path = GOLD
):
    """Upload the labelled renderings, one article per language, into a fresh copy of the seed
    story (dossier claims in English) and score the links each sentence gets; then the same
    into a copy of the seed story without dossier, whose claims are induced again with the
    rendering, and score the pairs of a rendering sentence and a seed sentence."""
    data = json.loads(path.read_text(encoding="utf-8"))["sentences"]
    languages = [k for k in data[0] if k != "claims"]
    with tempfile.TemporaryDirectory() as tmp:
        dossier = _upload_renderings(Path(tmp) / "dossier", data, languages, seeds_dir, True)
        induced = _upload_renderings(Path(tmp) / "induced", data, languages, seeds_dir, False)
    seed_gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else None
    results = []
    for language in languages:
        gold = rendering_gold(data, language)
        inherited = inherit_claims(gold, dossier[language][0])
        n = len(gold)
        linked = sum(bool(g["claims"]) == bool(p) for g, p in zip(gold, inherited, strict=True))
        exact = sum(set(g["claims"]) == set(p) for g, p in zip(gold, inherited, strict=True))
        pairs = None
        if seed_gold is not None:
            rendering, seeds = induced[language]
            both = {"articles": {**seed_gold["articles"], "rendering": gold}}
            pairs = score(both, {**seeds, "rendering": rendering}, touching={"rendering"})
        results.append(LanguageScores(language, n, linked / n, exact / n, pairs))
    return results


def _upload_renderings(folder: Path, data, languages, seeds_dir: Path, with_dossier: bool):
    """Per language: the uploaded rendering's predictions, and the seed articles' ones."""
    folder.mkdir()
    settings, linker = _seed_story_database(folder / "base.db", seeds_dir, with_dossier)
    out = {}
    for language in languages:
        (source,), predicted, _, _ = _upload_into_copy(
            settings, folder / f"{language}.db", linker,
            [(rendering_text(data, language), language, None)],
        )
        rendering = predicted.pop(source)
        out[language] = (rendering, predicted)
    return out


def _seed_story_database(path: Path, seeds_dir: Path, with_dossier: bool):
    """A SQLite file at ``path`` holding the seed story loaded as the app loads it; its
    settings and the linker that linked it."""
    from app.linker import Linker

    settings = Settings(
        database_url=f"sqlite:///{path}", seeds_dir=seeds_dir, seed_dossier=with_dossier
    )
    linker = Linker(params=link_params(settings))
    engine, _ = prepare_database(settings, linker)
    engine.dispose()
    return settings, linker


def _upload_into_copy(
    settings: Settings, copy: Path, linker, articles: Sequence[tuple[str, str, str | None]]
) -> tuple[list[str], dict[str, list], set[str], dict[str, list]]:
    """Upload ``articles`` ((text, language, file name or None for pasted text) each, one
    after the other) into the seed story of a copy of the database of ``settings`` (a SQLite
    file), as a journalist would; the uploaded articles' sources, every article's predictions,
    the story's claim keys and every article's close calls (as predictions)."""
    import shutil

    from app.db import make_engine
    from app.uploads import UploadRequest, upload

    shutil.copy(settings.database_url.removeprefix("sqlite:///"), copy)
    engine = make_engine(f"sqlite:///{copy}")
    try:
        ids = [
            upload(
                engine, linker,
                UploadRequest(text, filename=filename, language=language, story_id=1),
                settings.max_upload_bytes, settings.extract_timeout,
            ).article_id
            for text, language, filename in articles
        ]
        with Session(engine) as session:
            sources = [session.get(Article, i).source for i in ids]
            keys = set(session.exec(select(Claim.key)).all())
            return sources, predictions(session), keys, predictions(session, Suggestion)
    finally:
        engine.dispose()


def translated_languages(path: Path = TRANSLATIONS) -> list[str]:
    return sorted(json.loads(path.read_text(encoding="utf-8"))["languages"])


def evaluate_translated(language: str, with_dossier: bool, path: Path = TRANSLATIONS) -> Evaluation:
    """The seed story translated into ``language`` loaded and linked as the app does (claims of
    the English dossier, or induced from the translated articles), and scored against the gold
    carried over to the translations."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds, gold = write_translated_story(Path(tmp), language, path, ROOT / "seeds", GOLD)
        result = evaluate_seed_story(with_dossier, gold_path=gold, seeds_dir=seeds)
    kind = "dossier claims" if with_dossier else "induced claims"
    return Evaluation(f"seed story in {language}, {kind}", result.scores)


def evaluate_joining(
    languages: Sequence[str],
    path: Path = TRANSLATIONS,
    seeds_dir: Path = ROOT / "seeds",
    gold_path: Path = GOLD,
) -> dict[str, Scores]:
    """Per language, each seed article in that language ("en": as published) uploaded into the
    seed story without it (English dossier claims), as an outlet's article joins a story; its
    sentences and their pairs with the other articles are scored, pooled over the articles.

    Unlike the renderings, no version of the uploaded article is already in the story to lean
    on: what links it is the dossier and the other outlets' wordings alone."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    manifest = json.loads((seeds_dir / "manifest.json").read_text(encoding="utf-8"))["articles"]
    parts: dict[str, list[Scores]] = {language: [] for language in languages}
    with tempfile.TemporaryDirectory() as tmp:
        articles = {
            language: _articles_in(language, Path(tmp) / language, path, seeds_dir, gold_path)
            for language in languages
        }
        for entry in manifest:
            name = entry["file"]
            folder = Path(tmp) / name
            settings, linker = _seed_story_database(
                folder / "story.db", _story_without(folder / "seeds", seeds_dir, {name}), True
            )
            for language in languages:
                text, sentences = articles[language][name]
                (source,), predicted, keys, _ = _upload_into_copy(
                    settings, folder / f"{language}.db", linker, [(text, language, None)]
                )
                predicted[name] = predicted.pop(source)
                story_gold = {**gold, "articles": {**gold["articles"], name: sentences}}
                parts[language].append(score(story_gold, predicted, keys, touching={name}))
    return {language: Scores.pooled(p) for language, p in parts.items()}


@dataclass
class CoverageScores:
    """The held-out coverage set scored (see ``evaluate_coverage``): ``alone`` per language and
    ``"all"``, ``together`` the articles uploaded into one story, ``off_story`` how many
    sentences of the articles that do not draw on the origin got a claim, of how many;
    ``articles``: how many articles each of ``alone`` pools."""

    alone: dict[str, Scores]
    together: Scores
    off_story: tuple[int, int]
    articles: dict[str, int]
    close_calls: CloseCallScores | None = None


def evaluate_coverage(
    path: Path = COVERAGE, seeds_dir: Path = ROOT / "seeds", gold_path: Path = GOLD
) -> CoverageScores:
    """The held-out coverage set (articles the team wrote like real outlets' rewrites, in
    several languages, and reports on the same war that do not draw on the origin), uploaded
    into a copy of the seed story with its English dossier: each article alone (its sentences
    and their pairs with the seed sentences, pooled per language and over all), then every
    article one after the other into one story (pairs between them count too).

    The linking was never fitted on these articles, so their figures read like those of
    coverage the team has not seen."""
    articles = json.loads(path.read_text(encoding="utf-8"))["articles"]
    seed_gold = json.loads(gold_path.read_text(encoding="utf-8"))["articles"]
    texts = {a["name"]: coverage_article(a) for a in articles}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings, linker = _seed_story_database(folder / "story.db", seeds_dir, True)
        alone: dict[str, list[Scores]] = {}
        off_story = [0, 0]
        for i, a in enumerate(articles):
            name, (text, gold) = a["name"], texts[a["name"]]
            (source,), predicted, keys, _ = _upload_into_copy(
                settings, folder / f"{i}.db", linker, [(text, a["language"], name)]
            )
            predicted[name] = predicted.pop(source)
            scores = score(
                {"articles": {**seed_gold, name: gold}}, predicted, keys, touching={name}
            )
            alone.setdefault(a["language"], []).append(scores)
            if all(g["claims"] in ([], UNSCORED) for g in gold):
                linked = inherit_claims(gold, predicted[name])
                scored = [bool(p) for g, p in zip(gold, linked, strict=True) if g["claims"] == []]
                off_story[0] += sum(scored)
                off_story[1] += len(scored)
        sources, predicted, keys, suggested = _upload_into_copy(
            settings, folder / "together.db", linker,
            [(texts[a["name"]][0], a["language"], a["name"]) for a in articles],
        )
    for a, source in zip(articles, sources, strict=True):
        predicted[a["name"]] = predicted.pop(source)
        suggested[a["name"]] = suggested.pop(source, [])
    uploaded = {name: gold for name, (_, gold) in texts.items()}
    together = score({"articles": {**seed_gold, **uploaded}}, predicted, keys, touching=set(texts))
    counts = Counter(a["language"] for a in articles)
    alone["all"] = [part for parts in alone.values() for part in parts]
    return CoverageScores(
        {language: Scores.pooled(parts) for language, parts in alone.items()},
        together, tuple(off_story), {**counts, "all": len(articles)},
        close_call_scores({"articles": uploaded}, predicted, suggested),
    )


def evaluate_alone(seeds_dir: Path = ROOT / "seeds", gold_path: Path = GOLD) -> Scores:
    """Each seed article uploaded on its own into the seed story's dossier, with no other
    article beside it (the first outlet to cover a report), then the pairs across articles of
    the links each got that way, pooled: no outlet's wording helps link another's."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    predicted: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        articles = _articles_in("en", folder, TRANSLATIONS, seeds_dir, gold_path)
        dossier = _story_without(folder / "seeds", seeds_dir, set(articles))
        settings, linker = _seed_story_database(folder / "story.db", dossier, True)
        keys: set[str] = set()
        for i, (name, (text, _sentences)) in enumerate(sorted(articles.items())):
            (source,), linked, keys, _ = _upload_into_copy(
                settings, folder / f"{i}.db", linker, [(text, "en", None)]
            )
            predicted[name] = linked[source]
    return score(gold, predicted, keys)


def _story_without(folder: Path, seeds_dir: Path, names: set[str]) -> Path:
    """A copy of the seed story (articles, manifest, dossier) without the articles ``names``."""
    folder.mkdir(parents=True)
    manifest = json.loads((seeds_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["articles"] = [e for e in manifest["articles"] if e["file"] not in names]
    for entry in manifest["articles"]:
        (folder / entry["file"]).write_bytes((seeds_dir / entry["file"]).read_bytes())
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if (seeds_dir / "claims.json").exists():
        (folder / "claims.json").write_bytes((seeds_dir / "claims.json").read_bytes())
    return folder


def _articles_in(
    language: str, folder: Path, path: Path, seeds_dir: Path, gold_path: Path
) -> dict[str, tuple[str, list]]:
    """Per seed article, its text in ``language`` (its translation, or as published for "en")
    and its gold sentences spanned onto that text."""
    if language != "en":
        seeds_dir, gold_path = write_translated_story(
            folder, language, path, seeds_dir, gold_path
        )
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["articles"]
    return {
        name: ((seeds_dir / name).read_text(encoding="utf-8"), sentences)
        for name, sentences in gold.items()
    }
