"""Scoring of sentence-to-claim linking against a gold file (see the eval README).

Gold sentences inherit the claims linked to the system sentence(s) overlapping them most, so
scores do not depend on the system segmenting exactly like the annotators. The headline figure,
pairwise F1 across articles, needs no agreement on claim ids and so also scores induced claims.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.linking.match import ClaimText, LinkParams, SentenceText, link_sentences
from app.settings import ROOT

#: Renderings of single seed sentences in other languages, sentence-by-sentence translations
#: of every seed article, and two held-out sets of articles written like real outlets'
#: coverage (the second written without the linking ever being run on it).
RENDERINGS = ROOT / "eval" / "multilingual.json"
TRANSLATIONS = ROOT / "eval" / "translated_seeds.json"
COVERAGE = ROOT / "eval" / "coverage.json"
BLIND_COVERAGE = ROOT / "eval" / "coverage_blind.json"

Prediction = tuple[int, int, str, "set[str] | frozenset[str]"]
UNSCORED = "?"


@dataclass(frozen=True)
class Scores:
    """Figures of one evaluation; ``exact_accuracy`` is None when keys are not the gold's ids."""

    precision: float
    recall: float
    f1: float
    linked_accuracy: float
    exact_accuracy: float | None
    scored_sentences: int
    gold_pairs: int
    predicted_pairs: int
    true_pairs: int

    def summary(self) -> str:
        exact = "n/a" if self.exact_accuracy is None else f"{self.exact_accuracy:.3f}"
        return (
            f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f} "
            f"linked-acc {self.linked_accuracy:.3f} exact-acc {exact} "
            f"(sentences {self.scored_sentences}, gold pairs {self.gold_pairs}, "
            f"predicted pairs {self.predicted_pairs})"
        )

    @classmethod
    def pooled(cls, parts: Sequence[Scores]) -> Scores:
        """Figures of several disjoint scorings taken together (pairs and sentences summed)."""
        gold = sum(p.gold_pairs for p in parts)
        predicted = sum(p.predicted_pairs for p in parts)
        true = sum(p.true_pairs for p in parts)
        n = sum(p.scored_sentences for p in parts)
        precision = true / predicted if predicted else 0.0
        recall = true / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        linked = sum(p.linked_accuracy * p.scored_sentences for p in parts) / n if n else 0.0
        exact = None
        if all(p.exact_accuracy is not None for p in parts):
            exact = sum(p.exact_accuracy * p.scored_sentences for p in parts) / n if n else 0.0
        return cls(precision, recall, f1, linked, exact, n, gold, predicted, true)


def inherit_claims(
    gold_sentences: Sequence[Mapping], predictions: Sequence[Prediction]
) -> list[frozenset[str]]:
    """Claims each gold sentence inherits from the system sentence(s) overlapping it most."""
    out = []
    for g in gold_sentences:
        best, owners = 0, []
        for p in predictions:
            overlap = _span_overlap(g, p)
            if overlap > best:
                best, owners = overlap, [p]
            elif overlap == best and overlap > 0:
                owners.append(p)
        if best == 0:
            for p in predictions:
                overlap = _text_overlap(g["text"], p[2])
                if overlap > best:
                    best, owners = overlap, [p]
                elif overlap == best and overlap > 0:
                    owners.append(p)
        out.append(frozenset().union(*(frozenset(p[3]) for p in owners)))
    return out


def _span_overlap(gold: Mapping, pred: Prediction) -> int:
    """Characters shared by the two spans, counted only where both texts agree on them."""
    start, end = max(gold["start"], pred[0]), min(gold["end"], pred[1])
    if end <= start:
        return 0
    g_text, p_text = gold["text"], pred[2]
    g_part = g_text[start - gold["start"] : end - gold["start"]]
    p_part = p_text[start - pred[0] : end - pred[0]]
    return end - start if g_part == p_part else 0


def _text_overlap(a: str, b: str, min_block: int = 4) -> int:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(m.size for m in matcher.get_matching_blocks() if m.size >= min_block)


def score(
    gold: Mapping,
    predictions: Mapping[str, Sequence[Prediction]],
    claim_ids: set[str] | None = None,
    touching: Collection[str] | None = None,
) -> Scores:
    """Score predictions (per gold file name) against ``gold`` (the seed_gold.json structure).

    ``claim_ids``: the gold claim ids; exact accuracy is computed only when every predicted
    key is one of them (the system used the dossier and kept its ids). ``touching``: score only
    the sentences of these articles, and the pairs with a sentence in one of them (how a
    held-out article is scored when the claims themselves differ from fold to fold).
    """
    rows: list[tuple[int, frozenset[str], frozenset[str]]] = []
    focus: set[int] = set()
    for index, (name, sentences) in enumerate(sorted(gold["articles"].items())):
        if touching is None or name in touching:
            focus.add(index)
        predicted = inherit_claims(sentences, predictions.get(name, []))
        for g, p in zip(sentences, predicted, strict=True):
            if g["claims"] == UNSCORED:
                continue
            rows.append((index, frozenset(g["claims"]), p))

    gold_pairs = predicted_pairs = true_pairs = 0
    for i, (art_i, gold_i, pred_i) in enumerate(rows):
        for art_j, gold_j, pred_j in rows[i + 1 :]:
            if art_i == art_j or (art_i not in focus and art_j not in focus):
                continue
            is_gold = bool(gold_i & gold_j)
            is_pred = bool(pred_i & pred_j)
            gold_pairs += is_gold
            predicted_pairs += is_pred
            true_pairs += is_gold and is_pred
    precision = true_pairs / predicted_pairs if predicted_pairs else 0.0
    recall = true_pairs / gold_pairs if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rows = [r for r in rows if r[0] in focus]
    n = len(rows)
    linked = sum(bool(g) == bool(p) for _, g, p in rows) / n if n else 0.0
    exact = None
    if claim_ids is not None:
        used = set().union(*(p for _, _, p in rows)) if rows else set()
        if used <= set(claim_ids):
            exact = sum(g == p for _, g, p in rows) / n if n else 0.0
    return Scores(precision, recall, f1, linked, exact, n, gold_pairs, predicted_pairs, true_pairs)


Segmenter = Callable[[str], Sequence]


def load_claims(claims_path: str | Path) -> list[ClaimText]:
    """The claims of a dossier file (``{"claims": [{"id", "text"}...]}``)."""
    data = json.loads(Path(claims_path).read_text(encoding="utf-8"))
    return [ClaimText(c["id"], c["text"], c.get("language")) for c in data["claims"]]


def seed_sentences(
    seeds_dir: str | Path, names: Sequence[str], segmenter: Segmenter
) -> tuple[list[SentenceText], dict[str, str], list[SentenceText]]:
    """Segment each seed file into linkable sentences (content and headings) and boilerplate.

    Sentence ids are ``"<file>:<start>:<end>"`` so predictions map back to spans. Boilerplate
    is returned apart: never linked, but scored as unlinked like the app scores it.
    """
    sentences, sources, boilerplate = [], {}, []
    for name in names:
        source = (Path(seeds_dir) / name).read_text(encoding="utf-8")
        sources[name] = source
        for seg in segmenter(source):
            text = source[seg.start : seg.end]
            if not text.strip():
                continue
            item = SentenceText(f"{name}:{seg.start}:{seg.end}", name, text)
            if getattr(seg, "kind", "content") == "boilerplate":
                boilerplate.append(item)
            else:
                sentences.append(item)
    return sentences, sources, boilerplate


def rendering_gold(items: Sequence[Mapping], language: str) -> list[dict]:
    """Gold sentences of a rendering (``eval/multilingual.json``) in ``language``, with the spans
    they have in its text: the sentences joined by blank lines (see ``rendering_text``)."""
    gold, offset = [], 0
    for item in items:
        sentence = item[language]
        gold.append({"start": offset, "end": offset + len(sentence), "text": sentence,
                     "claims": item["claims"]})
        offset += len(sentence) + 2
    return gold


def coverage_article(article: Mapping) -> tuple[str, list[dict]]:
    """The text of an article of the coverage set (the sentences of a paragraph joined by a
    space, paragraphs by a blank line) and its gold sentences spanned onto that text."""
    text, gold = "", []
    for p, paragraph in enumerate(article["paragraphs"]):
        if p:
            text += "\n\n"
        for i, sentence in enumerate(paragraph):
            if i:
                text += " "
            gold.append({"start": len(text), "end": len(text) + len(sentence["text"]),
                         "text": sentence["text"], "claims": sentence["claims"]})
            text += sentence["text"]
    return text + "\n", gold


def rendering_text(items: Sequence[Mapping], language: str) -> str:
    return "\n\n".join(item[language] for item in items)


def translated_article(
    original: str, gold: Sequence[Mapping], items: Sequence[str]
) -> tuple[str, list[dict]]:
    """``original`` with each gold sentence replaced by its translation (``items``, same order)
    and the whitespace between them kept, and the gold sentences re-spanned onto the result;
    labels carry over, as a translation keeps what each sentence says."""
    if len(items) != len(gold):
        raise ValueError(f"{len(items)} translated sentences for {len(gold)} gold sentences")
    parts, spans, cursor, position = [], [], 0, 0
    for sentence, item in zip(gold, items, strict=True):
        if not item.strip():
            raise ValueError(f"empty translation of {sentence['text'][:40]!r}")
        gap = original[cursor : sentence["start"]]
        parts += [gap, item]
        position += len(gap)
        spans.append({**sentence, "start": position, "end": position + len(item), "text": item})
        position += len(item)
        cursor = sentence["end"]
    parts.append(original[cursor:])
    return "".join(parts), spans


def write_translated_story(
    folder: Path,
    language: str,
    translations: Path,
    seeds_dir: Path,
    gold_path: Path,
    only: Collection[str] | None = None,
) -> tuple[Path, Path]:
    """Write the seed story in ``language`` (articles, manifest, and the dossier if
    ``seeds_dir`` has one) to ``folder/seeds`` and its gold to ``folder/gold.json``; returns
    both paths. ``translations``: a file of sentence-by-sentence translations of the seeds;
    ``only``: the files to translate (every file when None), the others are kept as they are,
    so one foreign article can be read among the original coverage."""
    items = json.loads(translations.read_text(encoding="utf-8"))["languages"][language]
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    manifest = json.loads((seeds_dir / "manifest.json").read_text(encoding="utf-8"))["articles"]
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    entries = []
    for entry in manifest:
        name = entry["file"]
        if only is not None and name not in only:
            (seeds / name).write_bytes((seeds_dir / name).read_bytes())
            entries.append(entry)
            continue
        original = (seeds_dir / name).read_text(encoding="utf-8")
        sentences = gold["articles"][name]
        text, spans = translated_article(original, sentences, items[name])
        (seeds / name).write_text(text, encoding="utf-8")
        gold["articles"][name] = spans
        titles = {s["text"]: t["text"] for s, t in zip(sentences, spans, strict=True)}
        entries.append({**entry, "language": language, "title": titles.get(entry.get("title"))})
    (seeds / "manifest.json").write_text(
        json.dumps({"articles": entries}, ensure_ascii=False), encoding="utf-8"
    )
    if (seeds_dir / "claims.json").exists():
        (seeds / "claims.json").write_bytes((seeds_dir / "claims.json").read_bytes())
    gold_file = folder / "gold.json"
    gold_file.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return seeds, gold_file


def rendering_sentences(
    items: Sequence[Mapping], language: str, segmenter: Segmenter, name: str = "rendering"
) -> list[SentenceText]:
    """The rendering's linkable sentences as an article ``name`` in ``language``, with ids
    ``"<name>:<start>:<end>"`` like ``seed_sentences``."""
    text = rendering_text(items, language)
    return [
        SentenceText(f"{name}:{seg.start}:{seg.end}", name, text[seg.start : seg.end], language)
        for seg in segmenter(text, language)
        if text[seg.start : seg.end].strip() and getattr(seg, "kind", "content") != "boilerplate"
    ]


def predictions_from_links(
    sentences: Sequence[SentenceText],
    links: Sequence,
    sources: Mapping[str, str],
    unlinked: Sequence[SentenceText] = (),
) -> dict[str, list[Prediction]]:
    """Group link results into per-file predictions of (start, end, text, claim keys).

    ``unlinked``: further spans (boilerplate) that are predictions without claims, so a gold
    sentence there does not inherit claims from whichever sentence resembles it.
    """
    claims: dict[object, set[str]] = {s.id: set() for s in [*sentences, *unlinked]}
    for link in links:
        claims[link.sentence_id].add(link.claim_key)
    out: dict[str, list[Prediction]] = {name: [] for name in sources}
    for s in sorted([*sentences, *unlinked], key=lambda s: _span(s)):
        start, end = _span(s)[1:]
        out.setdefault(str(s.article), []).append((start, end, s.text, frozenset(claims[s.id])))
    return out


def _span(s: SentenceText) -> tuple[str, int, int]:
    name, start, end = str(s.id).rsplit(":", 2)
    return name, int(start), int(end)


def evaluate_in_memory(
    seeds_dir: str | Path,
    gold_path: str | Path,
    claims_path: str | Path | None,
    encoder,
    params: LinkParams | None = None,
    segmenter: Segmenter | None = None,
) -> Scores:
    """Segment every seed, link it (to the dossier, or to claims induced from coverage, as the
    app does), score."""
    from app.linking.induce import InduceParams, induce_claims, induced_links

    if segmenter is None:
        from app.text.segment import segment as segmenter
    params = params or LinkParams()
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    sentences, sources, boilerplate = seed_sentences(
        seeds_dir, sorted(gold["articles"]), segmenter
    )
    if claims_path is not None:
        claims = load_claims(claims_path)
        claim_ids = {c.key for c in claims}
        links = link_sentences(claims, sentences, encoder, params)
    else:
        induced = induce_claims(sentences, encoder, InduceParams(link=params))
        claim_ids = None
        links = induced_links(induced)
    predicted = predictions_from_links(sentences, links, sources, boilerplate)
    return score(gold, predicted, claim_ids)
