"""`provenance evaluate`: load the seed story into a fresh database exactly as the app does, link
it, and score the stored links against the labelled seed sentences."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from app.bootstrap import prepare_database
from app.evaluation import Scores, score
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
