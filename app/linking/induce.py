"""Induce a story's claims from its coverage when neither the origin text nor a dossier exists.

A claim of the origin report shows up as sentences that several outlets share, or that one
outlet attributes to its source ("Le Monde reports", "selon le quotidien"). Sentences are grouped
by average-linkage clustering across articles on the linking's same-claim probability; each
group becomes one claim whose canonical wording is its most central member.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from app.linking.encoder import Encoder
from app.linking.language import detect_languages
from app.linking.match import LinkParams, SentenceText, build_context, same_claim_logits

# Attribution to a source, in the languages the desk reads (generic verbs and nouns only).
ATTRIBUTION = re.compile(
    r"""\b(
        according\ to | reports? | reported | writes | wrote | said | says | quoted | cites?
        | citing | the\ (newspaper|daily|paper|publication|report|article)
        | selon | d['’]après | rapporte | écrit | indique | affirme | le\ quotidien | le\ journal
        | secondo | scrive | riporta | riferisce | il\ quotidiano | il\ giornale
        | laut | berichtet | schreibt | zufolge | die\ zeitung
        | según | informa | escribe | el\ diario
        | за\ даними | пише | повідомляє | як\ зазначає | видання | газета
        | σύμφωνα\ με | γράφει | αναφέρει | η\ εφημερίδα
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class InducedClaim:
    key: str
    text: str
    language: str | None
    member_ids: tuple = ()


@dataclass(frozen=True)
class InduceParams:
    """``link``: the linking parameters, whose same-claim model scores two sentences; ``join``:
    least average probability, between two groups, that their sentences carry a common claim
    for the groups to merge; ``min_articles``: outlets a group needs to count as a claim
    without attribution."""

    link: LinkParams = field(default_factory=LinkParams)
    join: float = 0.5
    min_articles: int = 2


def induce_claims(
    sentences: Sequence[SentenceText], encoder: Encoder, params: InduceParams | None = None
) -> list[InducedClaim]:
    """Claims shared across outlets (or attributed to the source), with stable keys C01, C02...

    Keys follow the position of each claim's first member in ``sentences``; the output is
    deterministic.
    """
    params = params or InduceParams()
    sentences = list(sentences)
    if not sentences:
        return []
    ctx = build_context([], sentences, encoder)
    sim = 1.0 / (1.0 + np.exp(-same_claim_logits(ctx, params.link)))
    arts = ctx.row_articles
    sim = np.where(arts[:, None] != arts[None, :], sim, np.nan)
    groups = _average_linkage(sim, params.join)
    claims = []
    for members in sorted(groups, key=min):
        n_articles = len({int(arts[m]) for m in members})
        attributed = any(ATTRIBUTION.search(sentences[m].text) for m in members)
        if n_articles < params.min_articles and not (attributed and len(members) == 1):
            continue
        centre = _medoid(sim, members)
        claims.append((members, centre))
    langs = detect_languages(
        [s.text for s in sentences],
        [s.article for s in sentences],
        [s.language for s in sentences],
    )
    return [
        InducedClaim(
            key=f"C{i + 1:02d}",
            text=sentences[centre].text,
            language=langs[centre],
            member_ids=tuple(sentences[m].id for m in members),
        )
        for i, (members, centre) in enumerate(claims)
    ]


def _average_linkage(sim: np.ndarray, join: float) -> list[list[int]]:
    """Merge the closest groups while their mean cross-article score reaches ``join``.

    Pairs within one article carry no evidence (NaN) and are left out of the means.
    """
    n = sim.shape[0]
    known = ~np.isnan(sim)
    total = np.where(known, sim, 0.0).astype(np.float64)
    count = known.astype(np.float64)
    np.fill_diagonal(count, 0.0)
    alive = np.ones(n, dtype=bool)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    while True:
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, total / np.maximum(count, 1), -np.inf)
        mean[~alive, :] = -np.inf
        mean[:, ~alive] = -np.inf
        np.fill_diagonal(mean, -np.inf)
        a, b = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[a, b] < join:
            return [sorted(g) for g in groups.values()]
        a, b = min(a, b), max(a, b)
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        count[a, :] += count[b, :]
        count[:, a] += count[:, b]
        count[a, a] = 0.0
        alive[b] = False
        groups[a] += groups.pop(b)


def _medoid(sim: np.ndarray, members: list[int]) -> int:
    """The member closest on average to the others: the most faithful shared wording."""
    if len(members) == 1:
        return members[0]
    block = sim[np.ix_(members, members)]
    with np.errstate(invalid="ignore"):
        means = np.nan_to_num(np.nanmean(block, axis=1), nan=-np.inf)
    return members[int(np.argmax(means))]
