"""`provenance evaluate`: load the seed story into a fresh database exactly as the app does, link
it, and score the stored links against the labelled seed sentences."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from app.bootstrap import prepare_database
from app.evaluation import Scores, inherit_claims, score
from app.models import Article, Claim, Link, Sentence
from app.settings import ROOT, Settings

GOLD = ROOT.parent / "shared" / "eval" / "seed_gold.json"


@dataclass
class Evaluation:
    name: str
    scores: Scores


def predictions(session: Session) -> dict[str, list]:
    """Per article source: (start, end, text, linked claim keys) of every sentence."""
    keys: dict[int, set[str]] = {}
    for sentence_id, key in session.exec(
        select(Link.sentence_id, Claim.key).join(Claim, Claim.id == Link.claim_id)
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
            keys = set(session.exec(select(Claim.key)).all())
        engine.dispose()
    claim_ids = keys if with_dossier else None
    name = "seed story, dossier claims" if with_dossier else "seed story, induced claims"
    return Evaluation(name, score(gold, predicted, claim_ids))


MULTILINGUAL = ROOT / "eval" / "multilingual.json"


@dataclass
class LanguageScores:
    language: str
    sentences: int
    linked_accuracy: float
    exact_accuracy: float

    def summary(self) -> str:
        return (
            f"{self.language}: linked-acc {self.linked_accuracy:.3f} "
            f"exact-acc {self.exact_accuracy:.3f} ({self.sentences} sentences)"
        )


def evaluate_languages(path: Path = MULTILINGUAL, seeds_dir: Path = ROOT / "seeds"):
    """Upload the labelled renderings, one article per language, into a fresh copy of the seed
    story (dossier claims in English) and score the links each sentence gets."""
    import shutil

    from app.db import make_engine
    from app.linker import Linker
    from app.settings import link_params
    from app.uploads import UploadRequest, upload

    data = json.loads(path.read_text(encoding="utf-8"))["sentences"]
    languages = [k for k in data[0] if k != "claims"]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        settings = Settings(database_url=f"sqlite:///{base}", seeds_dir=seeds_dir)
        linker = Linker(params=link_params(settings))
        engine, _ = prepare_database(settings, linker)
        engine.dispose()
        for language in languages:
            copy = Path(tmp) / f"{language}.db"
            shutil.copy(base, copy)
            engine = make_engine(f"sqlite:///{copy}")
            text = "\n\n".join(item[language] for item in data)
            result = upload(
                engine, linker, UploadRequest(text, language=language, story_id=1),
                settings.max_upload_bytes, settings.extract_timeout,
            )
            with Session(engine) as session:
                article = session.get(Article, result.article_id)
                predicted = predictions(session)[article.source]
            engine.dispose()
            gold, offset = [], 0
            for item in data:
                sentence = item[language]
                gold.append({"start": offset, "end": offset + len(sentence), "text": sentence,
                             "claims": item["claims"]})
                offset += len(sentence) + 2
            inherited = inherit_claims(gold, predicted)
            n = len(gold)
            linked = sum(bool(g["claims"]) == bool(p) for g, p in zip(gold, inherited, strict=True))
            exact = sum(set(g["claims"]) == set(p) for g, p in zip(gold, inherited, strict=True))
            results.append(LanguageScores(language, n, linked / n, exact / n))
    return results
