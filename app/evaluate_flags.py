"""Score the discrepancy flags and the attribution labels against their labelled sets.

A flag is scored by kind per pair: the pair's predicted kinds against its expected kinds, so a
pair expected to carry a date change and flagged for a date is one true positive whatever the
reason's wording.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.evaluation import RENDERINGS, TRANSLATIONS
from app.settings import ROOT
from app.text.attribution import attribution, origin_names
from app.text.discrepancies import KINDS, Context, discrepancies

FLAGS = ROOT / "eval" / "discrepancies.json"
ATTRIBUTIONS = ROOT / "eval" / "attributions.json"


@dataclass
class PR:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def summary(self) -> str:
        return (f"P {self.precision:.3f} R {self.recall:.3f} "
                f"(tp {self.tp}, fp {self.fp}, fn {self.fn})")


@dataclass
class FlagScores:
    pairs: int
    overall: PR
    by_kind: dict[str, PR]
    misses: list[str] = field(default_factory=list)


def predicted_kinds(pair: dict) -> set[str]:
    context = Context(
        also_origin=tuple(pair.get("also_origin", ())),
        also_outlet=tuple(pair.get("also_outlet", ())),
        peer_quotes=tuple((q, lang) for q, lang in pair.get("peer_quotes", ())),
        ignore_names=origin_names("Le Monde"),
        known_dates=((2024, 11, 25),),
    )
    flags = discrepancies(pair["origin"], pair["outlet"], pair["origin_language"],
                          pair["language"], context)
    return {f.kind for f in flags}


def evaluate_flags(path: Path = FLAGS, split: str | None = None) -> FlagScores:
    """Precision and recall of flag kinds over the labelled pairs (one split, or all)."""
    pairs = json.loads(path.read_text(encoding="utf-8"))["pairs"]
    if split:
        pairs = [p for p in pairs if p["split"] == split]
    overall, by_kind, misses = PR(), {k: PR() for k in KINDS}, []
    for pair in pairs:
        expected, got = set(pair["expected"]), predicted_kinds(pair)
        for kind in KINDS:
            score = by_kind[kind]
            if kind in got and kind in expected:
                score.tp += 1
            elif kind in got:
                score.fp += 1
            elif kind in expected:
                score.fn += 1
        if expected != got:
            misses.append(f"{pair['source']}: {pair['note']}: expected {sorted(expected)}, "
                          f"got {sorted(got)}")
    for score in by_kind.values():
        overall.tp += score.tp
        overall.fp += score.fp
        overall.fn += score.fn
    return FlagScores(len(pairs), overall, by_kind, misses)


@dataclass
class AttributionScores:
    sentences: int
    accuracy: float
    by_kind: dict[str, PR]
    confusion: Counter


def evaluate_attributions(path: Path = ATTRIBUTIONS) -> AttributionScores:
    """Accuracy of origin / secondary / none, with precision and recall of each label."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names = origin_names(data["origin_outlet"])
    by_kind = {k: PR() for k in ("origin", "secondary", "none")}
    confusion: Counter = Counter()
    right = 0
    for item in data["sentences"]:
        got = attribution(item["text"], item["language"], names).kind
        expected = item["expected"]
        confusion[(expected, got)] += 1
        right += got == expected
        if got == expected:
            by_kind[got].tp += 1
        else:
            by_kind[got].fp += 1
            by_kind[expected].fn += 1
    n = len(data["sentences"])
    return AttributionScores(n, right / n if n else 0.0, by_kind, confusion)


@dataclass
class Agreement:
    """How often a translation is read as crediting what its English original credits."""

    language: str
    sentences: int
    agreeing: int
    confusion: Counter

    @property
    def rate(self) -> float:
        return self.agreeing / self.sentences if self.sentences else 1.0

    def summary(self) -> str:
        differ = ", ".join(
            f"{english}→{translated} {n}"
            for (english, translated), n in sorted(self.confusion.items())
            if english != translated
        )
        return (f"{self.language}: {self.rate:.3f} of {self.sentences}"
                + (f" (differ: {differ})" if differ else ""))


def attribution_pairs(
    gold_path: Path, translations: Path = TRANSLATIONS, renderings: Path = RENDERINGS
) -> dict[str, list[tuple[str, str]]]:
    """Per language, (English sentence, its translation): every seed sentence with its
    sentence-by-sentence translation, and the renderings of single sentences."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["articles"]
    pairs: dict[str, list[tuple[str, str]]] = {}
    for language, articles in json.loads(
        translations.read_text(encoding="utf-8")
    )["languages"].items():
        for name, items in articles.items():
            english = [s["text"] for s in gold[name]]
            pairs.setdefault(language, []).extend(zip(english, items, strict=True))
    for item in json.loads(renderings.read_text(encoding="utf-8"))["sentences"]:
        for language, text in item.items():
            if language not in {"en", "claims"}:
                pairs.setdefault(language, []).append((item["en"], text))
    return pairs


def evaluate_attribution_transfer(
    gold_path: Path, outlet: str = "Le Monde", translations: Path = TRANSLATIONS,
    renderings: Path = RENDERINGS,
) -> list[Agreement]:
    """Per language, the share of translated sentences whose attribution (origin, secondary,
    none) is the one read in the English original. Translation keeps who a sentence credits,
    so a difference is a phrasing the recogniser does not know in one of the two languages."""
    names = origin_names(outlet)
    out = []
    for language, pairs in sorted(attribution_pairs(gold_path, translations, renderings).items()):
        confusion: Counter = Counter(
            (attribution(english, "en", names).kind, attribution(text, language, names).kind)
            for english, text in pairs
        )
        agreeing = sum(n for (a, b), n in confusion.items() if a == b)
        out.append(Agreement(language, len(pairs), agreeing, confusion))
    return out
