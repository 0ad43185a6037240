"""Induce a story's claims from its coverage when neither the origin text nor a dossier exists.

A claim of the origin report shows up as sentences that several outlets share, or that one
outlet attributes to its source ("Le Monde reports", "selon le quotidien"). Whether two
sentences of different outlets carry a common claim is read in two steps: the linking's
same-claim model on their texts, then a *share* model that adds what the story around them
says (see ``share_features``). Sentences are grouped by average-linkage clustering on the share
probabilities; each group spanning several outlets (or attributed to the source) becomes one
claim, worded by its most central member, and every sentence whose mean share probability with
a claim's members reaches ``attach`` carries it (a sentence merging two claims carries both).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from app.linking.encoder import Encoder
from app.linking.language import detect_languages
from app.linking.lexical import credits_source
from app.linking.match import (
    BLOCK_ROWS,
    LinkContext,
    LinkParams,
    LinkResult,
    SentenceText,
    build_context,
    same_claim_logits,
)

SHARE_FEATURES = ("same", "margin", "sequence", "path", "lead")
#: Closest sentences of other articles through which a pair may be linked (see ``path``).
PATH_FANOUT = 8
#: Pairs of each kind (same language, two languages) needed to map one onto the other.
MIN_PAIRS_TO_MATCH = 50


@dataclass(frozen=True)
class InducedClaim:
    """``carriers``: every sentence carrying the claim with its confidence (members first)."""

    key: str
    text: str
    language: str | None
    member_ids: tuple = ()
    carriers: tuple = ()


@dataclass(frozen=True)
class InduceParams:
    """Defaults come from leave-one-article-out calibration on the seed gold
    (``python -m app.linking.calibrate``).

    ``link``: the linking parameters, whose same-claim model reads two sentences' texts;
    ``share_weights``/``share_bias``: the share model over ``SHARE_FEATURES``, with
    ``share_pairs`` the weights of their pairwise products (in ``match.products`` order): the
    story around a pair (neighbours, a third outlet, leads) counts differently in combination,
    which a sum of single features cannot say, while the share never falls as the two texts
    read more alike (``calibrate.fit_monotone_quadratic``); ``join``: least
    average share probability between two groups for them to merge; ``attach``: least average
    share probability with a claim's members for a sentence to carry it; ``min_articles``:
    outlets a group needs to count as a claim without attribution; ``cross_discount``: log-odds
    taken off a pair in two languages once read on the scale of pairs in one (see
    ``match_languages``), chosen leave-one-language-out on the team's renderings
    (``python -m app.linking.calibrate``)."""

    link: LinkParams = field(default_factory=LinkParams)
    share_weights: tuple[float, ...] = (0.77003, 0.42509, 7.11078, 12.11347, 10.04524)
    share_bias: float = -3.1755
    share_pairs: tuple[float, ...] = (
        0.04185, 0.0, 0.10925, 0.0, 0.27212, 0.0, 0.53517, -0.13278, -0.2923, -4.13368,
        -3.03892, -5.37317, -9.17687, 9.19385, -7.29551,
    )
    join: float = 0.4
    attach: float = 0.6
    min_articles: int = 2
    cross_discount: float = 2.0


def induce_claims(
    sentences: Sequence[SentenceText], encoder: Encoder, params: InduceParams | None = None
) -> list[InducedClaim]:
    """Claims shared across outlets (or attributed to the source), with stable keys C01, C02...

    ``sentences`` come in reading order, article by article. Keys follow the position of each
    claim's first member in ``sentences``; the output is deterministic.
    """
    params = params or InduceParams()
    sentences = list(sentences)
    if not sentences:
        return []
    arts, share = share_probabilities(sentences, encoder, params)
    return claims_from_share(sentences, arts, share, params)


def share_probabilities(
    sentences: Sequence[SentenceText], encoder: Encoder, params: InduceParams
) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's article index, and [n, n] probabilities that two sentences of different
    articles carry a common claim (NaN within an article).

    A story of 100 articles holds some 3,000 sentences, so every [n, n] matrix counts: the
    pairwise evidence is dropped once its log-odds are read, and the share features are
    weighed a block of rows at a time instead of being stacked whole.
    """
    ctx = build_context([], sentences, encoder)
    arts, same_language = ctx.row_articles, ctx.same_same_language
    same_z = same_claim_logits(ctx, params.link)
    del ctx
    apart = arts[:, None] != arts[None, :]
    same_z = match_languages(same_z, same_language, apart, params.cross_discount)
    z = _clipped(same_z, apart)
    del same_z
    maps, opens = _share_maps(z, arts, apart)
    share = np.empty(z.shape)
    for start in range(0, len(arts), BLOCK_ROWS):
        block = slice(start, start + BLOCK_ROWS)
        share[block] = share_logits(_stack_block(maps, opens, apart, block), params)
    del maps, z
    _sigmoid_in_place(share)
    share[~apart] = np.nan
    return arts, share


def share_logits(feats: np.ndarray, params: InduceParams) -> np.ndarray:
    """The share model's log-odds of [..., SHARE_FEATURES]; each product is added in turn, as
    a whole [..., products] stack would be three times the features' size."""
    z = feats @ np.asarray(params.share_weights, np.float64) + params.share_bias
    if params.share_pairs:
        i, j = np.triu_indices(feats.shape[-1])
        for a, b, weight in zip(i, j, params.share_pairs, strict=True):
            z += weight * feats[..., a] * feats[..., b]
    return z


def share_evidence(ctx: LinkContext, link: LinkParams, cross_discount: float = 0.0) -> np.ndarray:
    """[n, n, SHARE_FEATURES] of the sentences of ``ctx`` (built without claims)."""
    arts = ctx.row_articles
    apart = arts[:, None] != arts[None, :]
    same_z = match_languages(
        same_claim_logits(ctx, link), ctx.same_same_language, apart, cross_discount
    )
    return share_features(same_z, arts)


def match_languages(
    same_z: np.ndarray, same_language: np.ndarray, apart: np.ndarray, discount: float = 0.0
) -> np.ndarray:
    """Read the same-claim log-odds of pairs in two languages on the scale of pairs in one.

    Across languages only the encoder and names/numbers speak, so even a faithful translation
    scores far below a same-language paraphrase. The story's cross-language pairs are mapped
    onto its same-language pairs by rank (the k-th percentile of one onto the k-th of the
    other), which needs no labels; with too few pairs of either kind nothing changes. The
    mapping assumes both kinds hold as many pairs sharing a claim and tell them apart as well;
    neither holds across languages (a foreign article adds its own context, and two sentences
    on one topic look alike to the encoder), so ``discount`` log-odds come off every mapped pair.
    """
    cross = apart & ~same_language
    within = apart & same_language
    if cross.sum() < MIN_PAIRS_TO_MATCH or within.sum() < MIN_PAIRS_TO_MATCH:
        return same_z
    values = same_z[cross]
    ranks = (np.argsort(np.argsort(values, kind="stable"), kind="stable") + 0.5) / len(values)
    out = same_z.copy()
    out[cross] = np.quantile(same_z[within], ranks) - discount
    return out


def share_features(same_z: np.ndarray, arts: np.ndarray) -> np.ndarray:
    """[n, n, SHARE_FEATURES] evidence that two sentences of different articles share a claim.

    ``same``: the same-claim log-odds of their texts; ``margin``: how far they fall below the
    best match either sentence has in the other's article (a rewrite carries a claim once, so
    the best match is the likely one); ``sequence``: the same-claim probability of the
    sentences just before, or just after, both of them (rewrites keep runs of the origin's
    material together); ``path``: the strongest chain through a sentence of a third article
    (both carry a claim in common with it); ``lead``: both open their articles, where outlets
    put the report's main claim. Within an article every feature is 0.
    """
    apart = arts[:, None] != arts[None, :]
    maps, opens = _share_maps(_clipped(same_z, apart), arts, apart)
    return _stack_block(maps, opens, apart, slice(None))


def _clipped(same_z: np.ndarray, apart: np.ndarray) -> np.ndarray:
    """Same-claim log-odds clipped to a probability in [1e-4, 1 - 1e-4]; -9.2 within an
    article."""
    z = np.clip(same_z, -9.2, 9.2)
    z[~apart] = -9.2
    return z


def _sigmoid_in_place(z: np.ndarray) -> np.ndarray:
    """The logistic function of ``z``, written over it: no [n, n] temporary is made."""
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1.0
    np.divide(1.0, z, out=z)
    return z


def _share_maps(
    z: np.ndarray, arts: np.ndarray, apart: np.ndarray
) -> tuple[list[np.ndarray], np.ndarray]:
    """The [n, n] maps of ``same``, ``margin``, ``sequence`` and ``path`` (see
    ``share_features``; ``z`` from ``_clipped``), and each sentence's weight as an opener
    (``lead`` is its product over a pair). Built in place, row blocks at a time where a whole
    temporary [n, n] matrix would otherwise be made."""
    n = len(arts)
    p = _sigmoid_in_place(z.copy())
    p[~apart] = 0.0

    best = np.full((n, int(arts.max()) + 1), -9.2)
    for a in np.unique(arts):
        best[:, a] = z[:, arts == a].max(axis=1)
    below = best[:, arts]
    np.subtract(z, below, out=below)
    margin = np.maximum(below, below.T)
    del below

    sequence = np.zeros((n, n))
    for step in (-1, 1):
        idx = np.arange(n) + step
        ok = (idx >= 0) & (idx < n)
        ok[ok] &= arts[idx[ok]] == arts[ok]
        rows = np.flatnonzero(ok)
        for start in range(0, len(rows), BLOCK_ROWS):
            block = rows[start : start + BLOCK_ROWS]
            where = np.ix_(block, rows)
            sequence[where] = np.maximum(sequence[where], p[np.ix_(idx[block], idx[rows])])

    path = np.zeros((n, n))
    fanout = min(PATH_FANOUT, n)
    for start in range(0, n, BLOCK_ROWS):
        block = slice(start, start + BLOCK_ROWS)
        near = np.argsort(-p[block], axis=1, kind="stable")[:, :fanout]
        for i, nearest in enumerate(near, start=start):
            via = nearest[p[i, nearest] > 0]
            if len(via):
                chain = np.minimum(p[i, via][:, None], p[via])
                chain[arts[via][:, None] == arts[None, :]] = 0.0
                path[i] = chain.max(axis=0)
    del p
    path = np.maximum(path, path.T)

    order = np.zeros(n)
    for a in np.unique(arts):
        rows = np.flatnonzero(arts == a)
        order[rows] = np.arange(len(rows))
    return [z, margin, sequence, path], np.exp(-order / 2.0)


def _stack_block(
    maps: list[np.ndarray], opens: np.ndarray, apart: np.ndarray, block: slice
) -> np.ndarray:
    """[rows, n, SHARE_FEATURES] of the rows ``block``, 0 within an article."""
    feats = np.stack(
        [m[block] for m in maps] + [opens[block, None] * opens[None, :]], axis=-1
    )
    feats[~apart[block]] = 0.0
    return feats


def claims_from_share(
    sentences: Sequence[SentenceText], arts: np.ndarray, share: np.ndarray, params: InduceParams
) -> list[InducedClaim]:
    """Cluster on the share probabilities, keep the groups that make claims, attach carriers."""
    groups = _average_linkage(share, params.join)
    credits = np.array([credits_source(s.text) for s in sentences])
    kept = []
    for members in sorted(groups, key=min):
        n_articles = len({int(arts[m]) for m in members})
        if n_articles < params.min_articles and not (credits[members].any() and len(members) == 1):
            continue
        kept.append(members)
    langs = detect_languages(
        [s.text for s in sentences],
        [s.article for s in sentences],
        [s.language for s in sentences],
    )
    claims = []
    for i, members in enumerate(kept):
        centre = _medoid(share, members)
        known = ~np.isnan(share[:, members])
        total = np.where(known, share[:, members], 0.0).sum(axis=1)
        mean = total / np.maximum(known.sum(axis=1), 1)
        mean[members] = np.maximum(mean[members], params.attach)
        inside = set(members)
        others = [r for r in np.flatnonzero(mean >= params.attach) if r not in inside]
        carriers = tuple(
            (sentences[r].id, round(_confidence(float(mean[r]), params.attach), 4))
            for r in [*members, *others]
        )
        claims.append(
            InducedClaim(
                key=f"C{i + 1:02d}",
                text=sentences[centre].text,
                language=langs[centre],
                member_ids=tuple(sentences[m].id for m in members),
                carriers=carriers,
            )
        )
    return claims


def induced_links(claims: Sequence[InducedClaim]) -> list[LinkResult]:
    """The links induction gives: every carrier of every induced claim."""
    return [LinkResult(sid, c.key, score) for c in claims for sid, score in c.carriers]


def _confidence(p: float, attach: float) -> float:
    """A share probability as a confidence in which ``attach`` reads as 0.5."""
    p, attach = min(max(p, 1e-6), 1 - 1e-6), min(max(attach, 1e-6), 1 - 1e-6)
    z = np.log(p / (1 - p)) - np.log(attach / (1 - attach))
    return float(1.0 / (1.0 + np.exp(-z)))


def _average_linkage(sim: np.ndarray, join: float) -> list[list[int]]:
    """Merge the closest groups while their mean cross-article score reaches ``join``.

    Pairs within one article carry no evidence (NaN) and are left out of the means. Each row's
    best partner is kept and only the rows a merge touches are searched again, so a merge costs
    O(n) rather than a scan of the whole matrix (a story of 100 articles has some 3,000
    sentences); the groups are those of the plain algorithm, ties broken the same way.
    """
    n = sim.shape[0]
    known = ~np.isnan(sim)
    total = np.where(known, sim, 0.0).astype(np.float64, copy=False)
    count = known.astype(np.float64)
    np.fill_diagonal(count, 0.0)
    alive = np.ones(n, dtype=bool)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    if n == 0:
        return []
    mean = _means(total, count)
    np.fill_diagonal(mean, -np.inf)
    partner = np.argmax(mean, axis=1)
    best = mean[np.arange(n), partner]
    while True:
        a = int(np.argmax(best))
        b = int(partner[a])
        if best[a] < join:
            return [sorted(g) for g in groups.values()]
        a, b = min(a, b), max(a, b)
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        count[a, :] += count[b, :]
        count[:, a] += count[:, b]
        count[a, a] = 0.0
        alive[b] = False
        groups[a] += groups.pop(b)
        row, column = _means(total[a, :], count[a, :]), _means(total[:, a], count[:, a])
        row[~alive] = column[~alive] = -np.inf
        row[a] = column[a] = -np.inf
        mean[a, :], mean[:, a] = row, column
        mean[b, :] = mean[:, b] = -np.inf
        best[b] = -np.inf
        stale = (partner == a) | (partner == b)
        stale[a], stale[b] = True, False
        for i in np.flatnonzero(stale):
            partner[i] = int(np.argmax(mean[i]))
            best[i] = mean[i, partner[i]]
        # elsewhere only the column of ``a`` changed: it may be a row's new best partner
        closer = ~stale & alive & ((column > best) | ((column == best) & (a < partner)))
        partner[closer] = a
        best[closer] = column[closer]


def _means(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), -np.inf)


def _medoid(sim: np.ndarray, members: list[int]) -> int:
    """The member closest on average to the others: the most faithful shared wording."""
    if len(members) == 1:
        return members[0]
    block = sim[np.ix_(members, members)]
    with np.errstate(invalid="ignore"):
        means = np.nan_to_num(np.nanmean(block, axis=1), nan=-np.inf)
    return members[int(np.argmax(means))]
