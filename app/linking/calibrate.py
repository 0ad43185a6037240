"""Leave-one-article-out calibration of LinkParams on a gold file.

The three logistic models of linking (see ``app.linking.match``) and the decision thresholds
are fitted on the gold of all articles but one, then the held-out article is linked with them;
the cross-validated figures score those held-out links together, so no sentence is linked with
parameters fitted on its own gold. The story model is fitted on pair log-odds that are
themselves held out (each training article's from a pair model fitted without it), as it sees
them on new articles. Linking stays transductive over the whole story (it uses every
sentence's text, never its gold).

Run: ``python -m app.linking.calibrate [--gold PATH] [--claims PATH] [--seeds DIR]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from app.evaluation import (
    RENDERINGS,
    TRANSLATIONS,
    Scores,
    load_claims,
    predictions_from_links,
    rendering_gold,
    rendering_sentences,
    rendering_text,
    score,
    seed_sentences,
    write_translated_story,
)
from app.linking.encoder import Encoder, default_encoder
from app.linking.induce import (
    InduceParams,
    claims_from_share,
    induce_claims,
    induced_links,
    share_evidence,
    share_logits,
)
from app.linking.match import (
    LinkContext,
    LinkParams,
    LinkResult,
    build_context,
    clause_logits,
    pair_logits,
    same_claim_logits,
    select,
    story_features,
    story_probabilities,
)
from app.settings import ROOT

SHARED = ROOT.parent / "shared"
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
RELATIVE = (0.0, 0.3, 0.5, 0.7)
C = 1.0
STORY_C = 0.1
SHARE_C = 3.0
#: The box the share features live in (see ``induce.share_features``: clipped log-odds, their
#: margin, probabilities), and those along which the share must never fall: two texts that
#: read more alike, or a pair that stands out more in the other's article, never share a claim
#: less. The story around a pair (neighbours, a third outlet, leads) may interact freely.
SHARE_LOW = (-9.2, -18.4, 0.0, 0.0, 0.0)
SHARE_HIGH = (9.2, 0.0, 1.0, 1.0, 1.0)
SHARE_INCREASING = (0, 1)


def gold_labels(gold: dict, ctx: LinkContext) -> list[list[bool] | None]:
    """Gold claims of the context's sentences as booleans per claim (None when unscored)."""
    out = []
    for s in ctx.sentences:
        name, start, end = str(s.id).rsplit(":", 2)
        best, label = 0, "?"
        for g in gold["articles"][name]:
            overlap = min(int(end), g["end"]) - max(int(start), g["start"])
            if overlap > best:
                best, label = overlap, g["claims"]
        out.append(None if label == "?" else [k in label for k in ctx.claim_keys])
    return out


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, ...], float, np.ndarray]:
    model = LogisticRegression(C=C, max_iter=5000).fit(x, y)
    weights = tuple(round(float(v), 3) for v in model.coef_[0])
    return weights, round(float(model.intercept_[0]), 3), model.decision_function(x)


def fit_pair_model(ctx: LinkContext, labels, rows, params: LinkParams) -> LinkParams:
    """The pair model within a language on the scored ``rows`` (the cross-language one is
    fitted on translations, see ``fit_cross_models``)."""
    use = [i for i in rows if labels[i] is not None]
    x = ctx.pair_same[use].reshape(-1, ctx.pair_same.shape[-1])
    weights, bias, _ = _fit(x, np.array([labels[i] for i in use]).ravel())
    return replace(params, pair_weights=weights, pair_bias=bias)


def fit_same_model(ctx: LinkContext, labels, rows, params: LinkParams) -> LinkParams:
    """The same-claim model within a language on pairs of scored ``rows`` from different
    articles (the cross-language one: ``fit_same_cross``)."""
    use = np.array([i for i in rows if labels[i] is not None])
    claims = np.array([labels[i] for i in use], dtype=bool)
    i, j = np.meshgrid(use, use, indexing="ij")
    apart = ctx.row_articles[i] != ctx.row_articles[j]
    y = ((claims[:, None, :] & claims[None, :, :]).any(axis=-1))[apart]
    weights, bias, _ = _fit(ctx.same_same[i[apart], j[apart]], y)
    return replace(params, same_weights=weights, same_bias=bias)


def fit_quadratic(x: np.ndarray, y: np.ndarray, c: float = STORY_C):
    """A logistic model over the features and their pairwise products, fitted on standardised
    terms so that one penalty (``c``) suits features of every scale."""
    return make_pipeline(
        StandardScaler(), PolynomialFeatures(2, include_bias=False), StandardScaler(),
        LogisticRegression(C=c, max_iter=5000),
    ).fit(x, y)


def _rounded(values) -> tuple[float, ...]:
    """Weights as the parameters store them (``+ 0.0``: a zero is written 0.0, not -0.0)."""
    return tuple(round(float(v), 5) + 0.0 for v in values)


def raw_quadratic(model) -> tuple[np.ndarray, float, np.ndarray]:
    """``model`` (see ``fit_quadratic``) written over the raw features, as linking reads it:
    linear weights, bias, and the weights of the products in ``match.products`` order."""
    first, _, second, logistic = (step for _, step in model.steps)
    f = len(first.mean_)
    a = logistic.coef_[0] / second.scale_
    beta = float(logistic.intercept_[0] - a @ second.mean_)
    return _unstandardised(beta, a[:f], a[f:], first.mean_, first.scale_)


def _unstandardised(beta, a, pairs, mean, scale) -> tuple[np.ndarray, float, np.ndarray]:
    """``beta + a . u + pairs . products(u)`` over ``u = (x - mean) / scale`` written over
    ``x``: linear weights, bias, and the weights of the products in ``match.products`` order."""
    i, j = np.triu_indices(len(mean))
    quad = np.zeros((len(mean), len(mean)))  # the products as the form u' quad u
    quad[i, j] += pairs / 2
    quad[j, i] += pairs / 2
    d, c = 1.0 / scale, mean
    m = quad * d[:, None] * d[None, :]
    weights = a * d - 2 * m @ c
    bias = beta - (a * d) @ c + c @ m @ c
    return weights, float(bias), np.where(i == j, m[i, j], 2 * m[i, j])


def fit_monotone_quadratic(
    x: np.ndarray, y: np.ndarray, c: float, low, high, increasing: Sequence[int]
) -> tuple[np.ndarray, float, np.ndarray]:
    """A logistic model over the features and their pairwise products (penalised like
    ``fit_quadratic``'s, on standardised features) whose log-odds never fall as a feature of
    ``increasing`` rises, anywhere in the box ``low``-``high`` the features live in; written
    over the raw features as ``raw_quadratic`` writes it.

    The slope along feature k is linear in the features, so it is least at a corner of the
    box: requiring it at every corner keeps it everywhere, as linear constraints on the
    weights."""
    f = x.shape[1]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    u = (x - mean) / scale
    lo, hi = (np.asarray(low) - mean) / scale, (np.asarray(high) - mean) / scale
    i, j = np.triu_indices(f)
    terms = np.hstack([np.ones((len(u), 1)), u, u[:, i] * u[:, j]])
    y = np.asarray(y, np.float64)

    def loss(theta):
        z = terms @ theta
        grad = c * terms.T @ (expit(z) - y)
        grad[1:] += theta[1:]
        return c * np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * theta[1:] @ theta[1:], grad

    rows = []
    for k in increasing:
        for corner in itertools.product(*zip(lo, hi, strict=True)):
            row = np.zeros(1 + f + len(i))
            row[1 + k] = 1.0
            for t, (a, b) in enumerate(zip(i, j, strict=True)):
                if a == b == k:
                    row[1 + f + t] = 2 * corner[k]
                elif k in (a, b):
                    row[1 + f + t] = corner[b if a == k else a]
            rows.append(row)
    slopes = np.array(rows)
    fit = minimize(
        loss, np.zeros(terms.shape[1]), jac=True, method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda t: slopes @ t, "jac": lambda t: slopes}],
        options={"maxiter": 1000},
    )
    if not fit.success:
        raise RuntimeError(f"the monotone quadratic model did not converge: {fit.message}")
    theta = fit.x
    return _unstandardised(theta[0], theta[1 : 1 + f], theta[1 + f :], mean, scale)


def fit_story_model(ctx, labels, rows, pair_z, params: LinkParams) -> LinkParams:
    """The story model within a language, over the story features and their products."""
    feats = story_features(
        ctx, pair_z, same_claim_logits(ctx, params), clause_z=clause_logits(ctx, params)
    )
    use = [i for i in rows if labels[i] is not None]
    x = feats[use].reshape(-1, feats.shape[-1])
    weights, bias, pairs = raw_quadratic(
        fit_quadratic(x, np.array([labels[i] for i in use]).ravel())
    )
    return replace(
        params, story_weights=_rounded(weights), story_bias=round(bias, 5),
        story_pairs=_rounded(pairs),
    )


@dataclass
class Story:
    """The gold story prepared once: context, labels, articles, and what scoring needs."""

    gold: dict
    names: list[str]
    ctx: LinkContext
    labels: list
    arts: np.ndarray
    sentences: list
    sources: dict
    boilerplate: list
    claim_ids: set[str]

    def rows(self, articles: Sequence[int]) -> np.ndarray:
        return np.flatnonzero(np.isin(self.arts, list(articles)))

    def score(
        self, prob: np.ndarray, params: LinkParams, articles: Sequence[int],
        touching: Collection[str] | None = None,
    ) -> Scores:
        """The links of ``articles`` scored (``touching``: see ``score``)."""
        linked = select(prob, params.threshold, params.relative)
        links = [
            LinkResult(s.id, self.ctx.claim_keys[c], 1.0)
            for i, s in enumerate(self.sentences)
            if self.arts[i] in articles
            for c in np.flatnonzero(linked[i])
        ]
        names = [self.names[a] for a in articles]
        gold = {**self.gold, "articles": {n: self.gold["articles"][n] for n in names}}
        predicted = predictions_from_links(
            self.sentences, links, {n: self.sources[n] for n in names}, self.boilerplate
        )
        return score(gold, predicted, self.claim_ids, touching)


def held_out_pair_logits(story: Story, train: Sequence[int], base: LinkParams) -> np.ndarray:
    """Pair log-odds of every row: each training article's from a pair model fitted on the
    other training articles, the rest from the model fitted on all of them."""
    z = pair_logits(story.ctx, fit_pair_model(story.ctx, story.labels, story.rows(train), base))
    for a in train:
        rest = [b for b in train if b != a]
        p = fit_pair_model(story.ctx, story.labels, story.rows(rest), base)
        z[story.arts == a] = pair_logits(story.ctx, p)[story.arts == a]
    return z


def fit_models(story: Story, train: Sequence[int]) -> tuple[LinkParams, np.ndarray]:
    """All three models fitted on ``train``; returns them and the pair log-odds they use."""
    rows = story.rows(train)
    params = fit_pair_model(story.ctx, story.labels, rows, LinkParams())
    params = fit_same_model(story.ctx, story.labels, rows, params)
    pair_z = held_out_pair_logits(story, train, params)
    return fit_story_model(story.ctx, story.labels, rows, pair_z, params), pair_z


def choose_thresholds(story: Story, prob, params: LinkParams, articles) -> LinkParams:
    best, best_key = params, None
    for t in THRESHOLDS:
        for r in RELATIVE:
            q = replace(params, threshold=t, relative=r)
            s = story.score(prob, q, articles)
            key = (round(s.f1, 4), s.linked_accuracy)
            if best_key is None or key > best_key:
                best, best_key = q, key
    return best


def prepare(
    gold_path: Path, claims_path: Path, seeds_dir: Path, encoder, segmenter,
    fallback_languages: Collection[str] | None = None,
) -> Story:
    """The gold story's context (``fallback_languages``: see ``build_context``), labels and
    what scoring needs."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    names = sorted(gold["articles"])
    sentences, sources, boilerplate = seed_sentences(seeds_dir, names, segmenter)
    claims = load_claims(claims_path)
    ctx = build_context(claims, sentences, encoder, fallback_languages=fallback_languages)
    arts = np.array([names.index(str(s.article)) for s in sentences])
    return Story(
        gold, names, ctx, gold_labels(gold, ctx), arts, sentences, sources, boilerplate,
        {c.key for c in claims},
    )


def cross_validate(
    gold_path: Path, claims_path: Path, seeds_dir: Path, encoder: Encoder, segmenter
) -> tuple[Scores, Scores, LinkParams, list[LinkParams]]:
    """Cross-validated scores, pooled held-out scores with the final thresholds, the final
    params (fitted on every article), and each fold's params."""
    story = prepare(gold_path, claims_path, seeds_dir, encoder, segmenter)
    everything = range(len(story.names))
    held = np.zeros((len(story.sentences), len(story.ctx.claim_keys)))
    chosen = []
    predicted: dict[str, list] = {}
    for a in everything:
        train = [b for b in everything if b != a]
        params, pair_z = fit_models(story, train)
        prob = story_probabilities(story.ctx, params, pair_z)
        params = choose_thresholds(story, prob, params, train)
        chosen.append(params)
        held[story.arts == a] = prob[story.arts == a]
        linked = select(prob, params.threshold, params.relative)
        links = [
            LinkResult(s.id, story.ctx.claim_keys[c], 1.0)
            for i, s in enumerate(story.sentences)
            if story.arts[i] == a
            for c in np.flatnonzero(linked[i])
        ]
        name = story.names[a]
        predicted[name] = predictions_from_links(
            story.sentences, links, story.sources, story.boilerplate
        )[name]
    cv = score(story.gold, predicted, story.claim_ids)
    final, _ = fit_models(story, list(everything))
    final = choose_thresholds(story, held, final, list(everything))
    pooled = story.score(held, final, list(everything))
    return cv, pooled, final, chosen


def prepare_translated(
    language: str, gold_path: Path, claims_path: Path, seeds_dir: Path, encoder, segmenter,
    translations: Path = TRANSLATIONS, by_fallback: bool = False,
) -> Story:
    """The seed story translated into ``language``, read against the (English) claims by the
    encoder, or (``by_fallback``) by its fallback encoder."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds, gold = write_translated_story(
            Path(tmp), language, translations, seeds_dir, gold_path
        )
        return prepare(
            gold, claims_path, seeds, encoder, segmenter,
            fallback_languages={language} if by_fallback else (),
        )


def fit_cross_models(
    stories: Sequence[Story], params: LinkParams, within: tuple[Story, np.ndarray] | None = None,
    kind: str = "cross",
) -> LinkParams:
    """The cross-language pair model, story model and threshold, fitted on ``stories`` whose
    sentences are in another language than their claims; ``kind`` "unseen" fits those of
    pairs read by the fallback encoder instead (``stories`` read by it).

    The pair model is a logistic fit of the cross-language features on the gold; the story
    model reads those log-odds with the same story evidence as within a language. The
    threshold best on the stories' mean F1 is folded into the story model's bias, so the one
    ``threshold`` of ``params`` reads both models.
    """
    pair, story_model = (f"{kind}_weights", f"{kind}_bias"), (
        f"{kind}_story_weights", f"{kind}_story_bias"
    )
    rows = [[i for i, lab in enumerate(s.labels) if lab is not None] for s in stories]
    x = np.vstack([s.ctx.pair_cross[r].reshape(-1, s.ctx.pair_cross.shape[-1])
                   for s, r in zip(stories, rows, strict=True)])
    y = np.concatenate([np.array([s.labels[i] for i in r]).ravel()
                        for s, r in zip(stories, rows, strict=True)])
    weights, bias, _ = _fit(x, y)
    params = replace(params, **dict(zip(pair, (weights, bias), strict=True)))
    feats = [
        story_features(
            s.ctx, pair_logits(s.ctx, params), same_claim_logits(s.ctx, params),
            clause_z=clause_logits(s.ctx, params),
        )
        for s in stories
    ]
    x = np.vstack([f[r].reshape(-1, f.shape[-1]) for f, r in zip(feats, rows, strict=True)])
    if within is not None:
        story, pair_z = within
        f = story_features(story.ctx, pair_z, same_claim_logits(story.ctx, params),
                           clause_z=clause_logits(story.ctx, params))
        use = [i for i, lab in enumerate(story.labels) if lab is not None]
        x = np.vstack([x, f[use].reshape(-1, f.shape[-1])])
        y = np.concatenate([y, np.array([story.labels[i] for i in use]).ravel()])
    weights, bias, _ = _fit(x, y)
    params = replace(params, **dict(zip(story_model, (weights, bias), strict=True)))
    everything = [list(range(len(s.names))) for s in stories]
    probs = [story_probabilities(s.ctx, params, pair_logits(s.ctx, params)) for s in stories]

    def mean_f1(t: float) -> float:
        q = replace(params, threshold=t)
        return float(np.mean([
            s.score(p, q, a).f1 for s, p, a in zip(stories, probs, everything, strict=True)
        ]))

    best = max(THRESHOLDS, key=mean_f1)
    shift = float(logit(params.threshold) - logit(best))
    return replace(params, **{story_model[1]: round(bias + shift, 3)})


def cross_validate_languages(
    stories: dict[str, Story], params: LinkParams,
    within: tuple[Story, np.ndarray] | None = None, kind: str = "cross",
) -> dict[str, Scores]:
    """Each translated story linked with cross-language models (``kind``) fitted on the other
    languages only, so every figure is of a language the models never saw."""
    held = {}
    for language, story in stories.items():
        fitted = fit_cross_models(
            [s for k, s in stories.items() if k != language], params, within, kind
        )
        prob = story_probabilities(story.ctx, fitted, pair_logits(story.ctx, fitted))
        held[language] = story.score(prob, fitted, list(range(len(story.names))))
    return held


def prepare_joining(
    language: str, name: str, gold_path: Path, claims_path: Path, seeds_dir: Path, encoder,
    segmenter, translations: Path = TRANSLATIONS,
) -> Story:
    """The seed story with the article ``name`` translated into ``language``: one foreign
    article among English coverage, as when an outlet abroad joins the story."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds, gold = write_translated_story(
            Path(tmp), language, translations, seeds_dir, gold_path, only={name}
        )
        return prepare(gold, claims_path, seeds, encoder, segmenter)


def joining_stories(
    languages: Sequence[str], gold_path: Path, claims_path: Path, seeds_dir: Path, encoder,
    segmenter,
) -> dict[str, list[tuple[Story, str]]]:
    """Per language, each seed article translated on its own among the others (see
    ``prepare_joining``), with the name of the translated article."""
    names = sorted(json.loads(gold_path.read_text(encoding="utf-8"))["articles"])
    return {
        language: [
            (prepare_joining(language, name, gold_path, claims_path, seeds_dir, encoder,
                             segmenter), name)
            for name in names
        ]
        for language in languages
    }


def fit_same_cross(joining: Sequence[tuple[Story, str]], params: LinkParams) -> LinkParams:
    """The same-claim model across languages, fitted on the pairs of each translated article's
    sentences (``name`` of each ``(story, name)``) with the other articles' sentences."""
    xs, ys = [], []
    for story, name in joining:
        scored = np.array([lab is not None for lab in story.labels])
        labels = np.array([lab or [False] * len(story.ctx.claim_keys) for lab in story.labels])
        inside = scored & (story.arts == story.names.index(name))
        outside = scored & (story.arts != story.names.index(name))
        pairs = np.ix_(np.flatnonzero(inside), np.flatnonzero(outside))
        xs.append(story.ctx.same_cross[pairs].reshape(-1, story.ctx.same_cross.shape[-1]))
        ys.append((labels[inside].astype(int) @ labels[outside].T.astype(int) > 0).ravel())
    weights, bias, _ = _fit(np.vstack(xs), np.concatenate(ys))
    return replace(params, same_cross_weights=weights, same_cross_bias=bias)


def joining_scores(joining: Sequence[tuple[Story, str]], params: LinkParams) -> Scores:
    """Each translated article's sentences and their pairs with the others, pooled."""
    return Scores.pooled([
        story.score(
            story_probabilities(story.ctx, params, pair_logits(story.ctx, params)), params,
            range(len(story.names)), touching={name},
        )
        for story, name in joining
    ])


def cross_validate_joining(
    joining: dict[str, list[tuple[Story, str]]], params: LinkParams
) -> dict[str, Scores]:
    """Each language's joining articles scored with the cross-language same-claim model
    fitted on the other languages only."""
    return {
        language: joining_scores(
            stories,
            fit_same_cross([j for k, v in joining.items() if k != language for j in v], params),
        )
        for language, stories in joining.items()
    }


JOINS = (0.2, 0.25, 0.3, 0.4, 0.5)
ATTACHES = (0.3, 0.4, 0.5, 0.6)


@dataclass
class InducedStory:
    """The gold story read without claims, as induction reads it: the same-claim context of
    its sentences and the gold pairs of sentences of different articles."""

    story: Story
    ctx: LinkContext
    shared: np.ndarray
    scored: np.ndarray


def prepare_induced(story: Story, encoder: Encoder) -> InducedStory:
    ctx = build_context([], story.sentences, encoder)
    labels = np.array([lab if lab is not None else [False] * len(story.ctx.claim_keys)
                       for lab in story.labels], dtype=bool)
    shared = (labels.astype(np.int64) @ labels.T.astype(np.int64)) > 0
    scored = np.array([lab is not None for lab in story.labels])
    return InducedStory(story, ctx, shared, scored)


def fit_share_model(induced: InducedStory, train: Sequence[int], link: LinkParams):
    """The share model, over the share features and their products, on pairs of scored
    sentences of different training articles."""
    story, ctx = induced.story, induced.ctx
    feats = share_evidence(ctx, link)
    inside = np.isin(story.arts, list(train)) & induced.scored
    use = np.triu(inside[:, None] & inside[None, :], 1) & (story.arts[:, None] != story.arts)
    weights, bias, pairs = fit_monotone_quadratic(
        feats[use], induced.shared[use], SHARE_C, SHARE_LOW, SHARE_HIGH, SHARE_INCREASING
    )
    params = InduceParams(
        link=link, share_weights=_rounded(weights), share_bias=round(bias, 5),
        share_pairs=_rounded(pairs),
    )
    z = share_logits(feats, params)
    arts = ctx.row_articles
    share = np.where(arts[:, None] != arts[None, :], 1.0 / (1.0 + np.exp(-z)), np.nan)
    return params, share


def score_induced(induced: InducedStory, share, params: InduceParams, articles) -> Scores:
    """Induce claims with ``params`` and score the pairs touching ``articles``."""
    story = induced.story
    claims = claims_from_share(story.sentences, induced.ctx.row_articles, share, params)
    predicted = predictions_from_links(
        story.sentences, induced_links(claims), story.sources, story.boilerplate
    )
    return score(story.gold, predicted, touching={story.names[a] for a in articles})


def cross_validate_induced(story: Story, encoder: Encoder) -> tuple[Scores, InduceParams]:
    """Leave-one-article-out figures of induced claims, and the parameters fitted on all.

    Each fold fits the models on four articles, induces claims over the whole story (texts
    only) and scores the pairs that touch the fifth article; the cut (``join``, ``attach``)
    is chosen on the training articles' pairs. The final cut is the one whose held-out
    figures, pooled over the folds, are best.
    """
    induced = prepare_induced(story, encoder)
    everything = list(range(len(story.names)))
    held, grid = [], {}
    for a in everything:
        train = [b for b in everything if b != a]
        link, _ = fit_models(story, train)
        params, share = fit_share_model(induced, train, link)
        best, best_f1 = None, -1.0
        for join in JOINS:
            for attach in ATTACHES:
                q = replace(params, join=join, attach=attach)
                grid.setdefault((join, attach), []).append(score_induced(induced, share, q, [a]))
                f1 = score_induced(induced, share, q, train).f1
                if f1 > best_f1:
                    best, best_f1 = q, f1
        held.append(score_induced(induced, share, best, [a]))
    link, _ = fit_models(story, everything)
    final, _ = fit_share_model(induced, everything, link)
    join, attach = max(grid, key=lambda cut: Scores.pooled(grid[cut]).f1)
    return Scores.pooled(held), replace(final, join=join, attach=attach)


DISCOUNTS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)


def rendering_scores(
    story: Story, items: Sequence, language: str, encoder: Encoder, segmenter,
    params: InduceParams,
) -> Scores:
    """Claims induced from the seed articles and the rendering in ``language`` together; the
    pairs of a rendering sentence and a seed sentence scored (as ``make eval`` does)."""
    rendering = rendering_sentences(items, language, segmenter)
    sentences = [*story.sentences, *rendering]
    claims = induce_claims(sentences, encoder, params)
    sources = {**story.sources, "rendering": rendering_text(items, language)}
    predicted = predictions_from_links(
        sentences, induced_links(claims), sources, story.boilerplate
    )
    gold = {**story.gold, "articles": {**story.gold["articles"],
                                        "rendering": rendering_gold(items, language)}}
    return score(gold, predicted, touching={"rendering"})


def cross_language_discount(
    story: Story, encoder: Encoder, segmenter, params: InduceParams, path: Path = RENDERINGS
) -> tuple[dict[str, tuple[float, Scores]], float]:
    """``cross_discount`` chosen leave-one-language-out on the team's renderings: per held-out
    language, the discount best on the others' mean F1 and the figures it reaches there; and
    the discount best on all of them. Only pairs across languages change with it, so the seed
    story's own figures do not."""
    items = json.loads(path.read_text(encoding="utf-8"))["sentences"]
    languages = [k for k in items[0] if k not in ("claims", "en")]
    table = {
        (d, lang): rendering_scores(
            story, items, lang, encoder, segmenter, replace(params, cross_discount=d)
        )
        for d in DISCOUNTS
        for lang in languages
    }

    def mean_f1(d: float, langs) -> float:
        return float(np.mean([table[d, lang].f1 for lang in langs]))

    held = {}
    for lang in languages:
        rest = [other for other in languages if other != lang]
        d = max(DISCOUNTS, key=lambda d: mean_f1(d, rest))
        held[lang] = (d, table[d, lang])
    return held, max(DISCOUNTS, key=lambda d: mean_f1(d, languages))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "eval/seed_gold.json")
    parser.add_argument("--claims", type=Path, default=SHARED / "eval/claims.json")
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    args = parser.parse_args(argv)
    from app.text.segment import segment

    cv, pooled, best, chosen = cross_validate(
        args.gold, args.claims, args.seeds, default_encoder(), segment
    )
    print("leave-one-article-out:", cv.summary())  # noqa: T201
    for p in chosen:
        print(  # noqa: T201
            "  fold:", p.story_weights, p.story_bias, "threshold", p.threshold, "relative",
            p.relative,
        )
    print("held-out probabilities, final thresholds:", pooled.summary())  # noqa: T201
    languages = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))["languages"]
    translated, by_fallback = (
        {
            language: prepare_translated(
                language, args.gold, args.claims, args.seeds, default_encoder(), segment,
                by_fallback=fallback,
            )
            for language in languages
        }
        for fallback in (False, True)
    )
    story = prepare(args.gold, args.claims, args.seeds, default_encoder(), segment)
    within = (story, fit_models(story, list(range(len(story.names))))[1])
    for language, scores in cross_validate_languages(translated, best, within).items():
        print(f"  seed story in {language}, language left out:", scores.summary())  # noqa: T201
    best = fit_cross_models(list(translated.values()), best, within)
    for language, scores in cross_validate_languages(by_fallback, best, within, "unseen").items():
        print(  # noqa: T201
            f"  seed story in {language} read by the fallback encoder, language left out:",
            scores.summary(),
        )
    best = fit_cross_models(list(by_fallback.values()), best, within, "unseen")
    joining = joining_stories(
        list(translated), args.gold, args.claims, args.seeds, default_encoder(), segment
    )
    for language, scores in cross_validate_joining(joining, best).items():
        print(  # noqa: T201
            f"  one article in {language} joining the story, language left out:",
            scores.summary(),
        )
    best = fit_same_cross([j for v in joining.values() for j in v], best)
    print("params:", best)  # noqa: T201
    induced_cv, induce_params = cross_validate_induced(story, default_encoder())
    print("induced claims, leave-one-article-out:", induced_cv.summary())  # noqa: T201
    print(  # noqa: T201
        "induce params:", induce_params.share_weights, induce_params.share_bias,
        induce_params.share_pairs,
        "join", induce_params.join, "attach", induce_params.attach,
    )
    held, discount = cross_language_discount(story, default_encoder(), segment, induce_params)
    for language, (d, scores) in held.items():
        print(  # noqa: T201
            f"  {language} left out: discount {d} chosen on the other languages,",
            scores.summary(),
        )
    print("cross-language discount:", discount)  # noqa: T201


if __name__ == "__main__":
    main()
