"""Link the sentences of news articles to the origin claims they paraphrase.

Three logistic models, all fitted by leave-one-article-out calibration (``app.linking.calibrate``):

- the *pair* model reads a sentence against a claim's text: encoder and character n-gram
  cosines of the whole sentence and of its best clause, and asymmetric stem containment (how
  much of the claim the sentence holds, so a sentence merging two claims can carry both; how
  much of the sentence the claim covers, so a short sentence carrying part of a claim links);
- the *same-claim* model reads two sentences of different articles with the same evidence and
  estimates whether they carry a common claim: other outlets' wordings of a claim are closer
  to each other than to the claim's own wording;
- the *story* model decides each (sentence, claim) from the pair evidence, how the claim
  compares with the sentence's other claims and with its scores across the story, the article
  around the sentence, what other articles' sentences resembling it carry (weighted by how
  surely they carry the claim: the story links itself transductively), and the clauses of a
  sentence read on their own, so a sentence merging two claims can carry the second.

Across languages only the multilingual encoder and anchors (names, numbers) count: the pair and
same-claim models across languages are fitted on the team's translations of the seed story
(whole, and one article at a time among the English coverage), so their log-odds read like
those within a language. A sentence in a language the encoder was not trained on is read
against the claims by its fallback encoder instead, with pair and story models of their own.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from app.linking.clauses import asides, split_clauses
from app.linking.encoder import Encoder, fallback_of, languages_of
from app.linking.language import detect_languages
from app.linking.lexical import (
    BLOCK_ROWS,
    anchor_similarity,
    anchors,
    char_tfidf_vectors,
    containment,
    stems,
)

SentenceId = int | str

PAIR_FEATURES = ("encoder", "ngrams", "clause_encoder", "clause_ngrams", "contains", "covered")
CROSS_FEATURES = ("encoder", "clause_encoder", "anchors")
STORY_FEATURES = (
    "pair", "margin", "adjacent", "neighbours", "exemplars", "standard", "content", "clause"
)


@dataclass(frozen=True)
class ClaimText:
    key: str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class SentenceText:
    id: SentenceId
    article: int | str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class Exemplar:
    """A wording known to carry a claim (an editor's decision, a claim's induced member).

    ``article`` keeps an exemplar from vouching for sentences of its own article, whose
    repetitions (headline, lead, body) would otherwise confirm themselves; ``weight`` is the
    probability that it carries the claim.
    """

    claim_key: str
    text: str
    language: str | None = None
    article: int | str | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class LinkResult:
    sentence_id: SentenceId
    claim_key: str
    score: float


@dataclass(frozen=True)
class Reading:
    """What linking read: the ``links``, and the ``close_calls``, closest claims that fell
    short (each sentence's best few above ``LinkParams.close_call_floor``), for an editor to
    confirm or dismiss."""

    links: list[LinkResult]
    close_calls: list[LinkResult]


@dataclass(frozen=True)
class LinkParams:
    """Weights and thresholds of linking; defaults come from leave-one-article-out calibration
    on the seed gold (``python -m app.linking.calibrate``).

    ``pair_weights``/``pair_bias``: the pair model over ``PAIR_FEATURES`` of a sentence against
    a claim; ``cross_weights``/``cross_bias`` estimate the same log-odds from
    ``CROSS_FEATURES`` when the two are in different languages (fitted on the team's
    translations of the seed story, so they read as log-odds too). ``same_*``: the same-claim
    model over the same features of two sentences (``same_cross_*`` across languages, fitted on
    translated articles against the English coverage). ``story_weights``/``story_bias``: the story
    model over ``STORY_FEATURES`` (see ``story_features``), with ``story_pairs`` the weights of
    the features' pairwise products (see ``products``): the evidence interacts (a claim far below
    the sentence's best one needs more from the story than one close to it), which a sum of
    single features cannot say; ``cross_story_*``: the story model
    of a sentence and a claim in different languages, whose evidence is thinner (encoder and
    anchors only) and so weighs differently, with its own threshold folded into the bias so
    that ``threshold`` reads both. ``threshold``: least probability to
    link; ``relative``: further claims must reach this share of the sentence's best
    probability. Scores are confidences in which ``threshold`` reads as 0.5.
    ``seed_threshold``: least confidence at which a stored link counts as a linked wording.
    ``unseen_*``: the cross-language pair and story models when the sentence or the claim is
    in a language the encoder was not trained on, whose encoder evidence then comes from the
    encoder's fallback (fitted on the translations read by the fallback alone).
    ``close_calls``/``close_call_floor``: claims left unlinked that an editor is shown to
    confirm or dismiss: at most ``close_calls`` per sentence, each with at least
    this confidence (below the threshold's 0.5, or above it but short of ``relative``).
    """

    pair_weights: tuple[float, ...] = (1.911, 2.872, 2.425, 3.134, 3.808, 3.065)
    pair_bias: float = -6.331
    cross_weights: tuple[float, ...] = (4.155, 4.877, 4.312)
    cross_bias: float = -6.165
    same_weights: tuple[float, ...] = (2.519, 3.027, 2.339, 3.158, 4.731, 4.992)
    same_bias: float = -6.816
    same_cross_weights: tuple[float, ...] = (4.898, 4.736, 2.58)
    same_cross_bias: float = -6.298
    story_weights: tuple[float, ...] = (
        1.20596, 0.52466, -12.42186, 16.4356, 18.23661, 0.08889, -2.29682, -2.47694,
    )
    story_bias: float = 0.4966
    story_pairs: tuple[float, ...] = (
        0.00739, 0.05613, -0.19875, 0.127, 0.00527, 0.00629, -0.23522, 0.07684, 0.02274,
        -0.21841, 0.31213, 0.27543, 0.06123, 0.01991, 0.02857, 0.34025, 0.0249, 4.2876, 0.541,
        3.73397, 0.98201, -1.34, 0.64444, 0.03749, -4.81812, 0.09467, 0.82674, -0.10209,
        -5.65357, 1.18923, 0.00638, 0.17733, 0.10377, 0.35645, 1.33557, -0.03084,
    )
    cross_story_weights: tuple[float, ...] = (-0.661, 0.831, 1.542, 2.118, 3.744, 1.488, 0.039, 2.3)
    cross_story_bias: float = -7.615
    unseen_weights: tuple[float, ...] = (11.297, 12.144, 5.268)
    unseen_bias: float = -22.726
    unseen_story_weights: tuple[float, ...] = (
        0.133, 1.246, 1.405, 1.873, 3.051, 0.936, -0.023, 4.705
    )
    unseen_story_bias: float = -2.312
    threshold: float = 0.25
    relative: float = 0.7
    seed_threshold: float = 0.7
    close_call_floor: float = 0.1
    close_calls: int = 2


@dataclass
class LinkContext:
    """All evidence needed to link the sentences, built once per call (or once per story when
    calibrating many parameter settings).

    ``rows``: the sentences to link (the first ``n_batch``), then further sentences of the
    story that only serve as evidence (other articles' sentences, exemplars). ``known``: the
    probability with which a row is known to carry a claim (NaN where the model decides).
    ``pair_*``: features of every row against every claim (``pair_unseen``: pairs read by the
    fallback encoder, see ``build_context``); ``same_*``: features of every sentence to link
    against every row; ``clause_*``: the pair features of each clause of a sentence to link
    (``clause_owner``: its sentence) against every claim.
    """

    claim_keys: list[str]
    rows: list[SentenceText]
    n_batch: int
    row_articles: np.ndarray
    known: np.ndarray
    pair_same: np.ndarray
    pair_cross: np.ndarray
    pair_same_language: np.ndarray
    pair_unseen: np.ndarray
    same_same: np.ndarray
    same_cross: np.ndarray
    same_same_language: np.ndarray
    content: np.ndarray
    clause_owner: np.ndarray
    clause_same: np.ndarray
    clause_cross: np.ndarray
    clause_same_language: np.ndarray
    clause_unseen: np.ndarray

    @property
    def sentences(self) -> list[SentenceText]:
        return self.rows[: self.n_batch]


def build_context(
    claims: Sequence[ClaimText],
    sentences: Sequence[SentenceText],
    encoder: Encoder,
    exemplars: Iterable[Exemplar | tuple] = (),
    context: Sequence[SentenceText] = (),
    with_asides: bool = True,
    fallback_languages: Collection[str] | None = None,
) -> LinkContext:
    """Compute all pairwise evidence needed to link ``sentences`` (deterministic).

    ``context``: further sentences of the story (other articles), evidence only.
    ``exemplars``: wordings known to carry a claim, evidence only.
    ``with_asides``: read each sentence's asides too (see ``asides``); only a sentence's
    second claim depends on them, so a caller that only asks which sentences link leaves
    them out and saves encoding them. ``fallback_languages``: languages whose sentences (or
    claims) are read against claims in another language by the encoder's fallback; by
    default those the encoder was not trained on.
    """
    claims, keys = list(claims), [c.key for c in claims]
    index = {k: i for i, k in enumerate(keys)}
    batch = list(sentences)
    rows = batch + list(context)
    n_context_rows = len(rows)
    known_of: dict[tuple, dict[int, float]] = {}
    for e in exemplars:
        e = e if isinstance(e, Exemplar) else Exemplar(*e)
        if e.claim_key in index and e.text.strip():
            group = (e.text, e.article if e.article is not None else ("exemplar", e.text))
            if group not in known_of:
                rows.append(SentenceText(("exemplar", len(known_of)), group[1], e.text, e.language))
                known_of[group] = {}
            known_of[group][index[e.claim_key]] = max(e.weight, known_of[group].get(index[
                e.claim_key], 0.0))
    n_b, n_r, k = len(batch), len(rows), len(claims)
    known = np.full((n_r, k), np.nan)
    for r, probs in enumerate(known_of.values(), start=n_context_rows):
        known[r] = 0.0
        for c, p in probs.items():
            known[r, c] = p

    row_langs = detect_languages(
        [s.text for s in rows], [s.article for s in rows], [s.language for s in rows]
    )
    claim_langs = detect_languages(
        [c.text for c in claims], ["claims"] * k, [c.language for c in claims]
    )
    # Clauses only of the sentences to link: a context sentence's own probabilities are known
    # or matter only through the median of its claim scores, which its whole text gives.
    # Asides (overlapping readings) count only as clauses read against a claim on their own,
    # not in the best clause of the pair evidence, where a short aside would outscore the
    # sentence's main claim; without claims (induction) they serve nothing.
    clause_texts, owner, aside = [], [], []
    for i, s in enumerate(batch):
        clauses = split_clauses(s.text)
        extra = [a for a in asides(s.text) if a not in clauses] if claims and with_asides else []
        clause_texts += clauses + extra
        owner += [i] * (len(clauses) + len(extra))
        aside += [False] * len(clauses) + [True] * len(extra)
    owner, aside = np.array(owner, dtype=np.int64), np.array(aside, dtype=bool)

    texts = [c.text for c in claims] + [s.text for s in rows] + clause_texts
    c_idx, r_idx = np.arange(k), np.arange(k, k + n_r)
    l_idx = np.arange(k + n_r, len(texts))
    vectors = encoder.encode(texts) if texts else np.zeros((0, 1), np.float32)
    tfidf = char_tfidf_vectors(texts) if texts else None

    def enc(a, b):
        return (vectors[a] @ vectors[b].T).astype(np.float32, copy=False)

    def lex(a, b):
        """A block of rows at a time: the product of n-gram vectors is nearly dense, and whole
        it would be held as a sparse float64 matrix, then dense, then copied to float32."""
        out = np.empty((len(a), len(b)), np.float32)
        right = tfidf[b].T.tocsr()
        for start in range(0, len(a), BLOCK_ROWS):
            block = a[start : start + BLOCK_ROWS]
            out[start : start + len(block)] = (tfidf[block] @ right).toarray()
        return out

    def with_clauses(whole, clause_rows, cols, sim, n_rows):
        """Best of the whole sentence and each of its clauses (rows limited to ``n_rows``)."""
        best = whole.copy()
        use = (owner < n_rows) & ~aside
        if use.any():
            np.maximum.at(best, owner[use], sim(clause_rows[use], cols))
        return best

    # clauses are read against claims only, so their containment of other rows is not needed
    contains, covered = containment(texts, r_idx, np.concatenate([c_idx, r_idx]))
    clause_contains, clause_covered = containment(texts, l_idx, c_idx)
    anchor_sets = [anchors(t) for t in texts]
    langs = np.array(claim_langs + row_langs, dtype=object)

    e_rc, x_rc = enc(r_idx, c_idx), lex(r_idx, c_idx)
    e_rc_best = with_clauses(e_rc, l_idx, c_idx, enc, n_b)
    x_rc_best = with_clauses(x_rc, l_idx, c_idx, lex, n_b)
    a_rc = anchor_similarity(anchor_sets, rows=r_idx, cols=c_idx)
    e_lc, x_lc = enc(l_idx, c_idx), lex(l_idx, c_idx)
    a_lc = anchor_similarity(anchor_sets, rows=l_idx, cols=c_idx)
    pair_same_language = langs[k:, None] == langs[None, :k]
    unseen = _unseen_pairs(encoder, langs[k:], langs[:k], pair_same_language, fallback_languages)
    cross_rc, cross_rc_best, cross_lc = _read_by_fallback(
        fallback_of(encoder), unseen, texts, k, owner, aside, e_rc, e_rc_best, e_lc
    )

    # Every sentence against every row is the bulk (a story inducing its claims holds
    # thousands of sentences): each feature is written into its place in the stacks and
    # dropped at once, rather than all kept alive next to the stacks.
    same_same = np.empty((n_b, n_r, len(PAIR_FEATURES)), np.float32)
    same_cross = np.empty((n_b, n_r, len(CROSS_FEATURES)), np.float32)
    same_same[..., 4], same_same[..., 5] = contains[:n_b, k:], covered[:n_b, k:]
    pair_contains, pair_covered = contains[:, :k].copy(), covered[:, :k].copy()
    del contains, covered
    e_br = enc(r_idx[:n_b], r_idx)
    same_same[..., 0] = same_cross[..., 0] = e_br
    same_same[..., 2] = same_cross[..., 1] = with_clauses(e_br, l_idx, r_idx, enc, n_b)
    del e_br
    x_br = lex(r_idx[:n_b], r_idx)
    same_same[..., 1] = x_br
    same_same[..., 3] = with_clauses(x_br, l_idx, r_idx, lex, n_b)
    del x_br
    same_cross[..., 2] = anchor_similarity(anchor_sets, rows=r_idx[:n_b], cols=r_idx)

    articles: dict[object, int] = {}
    row_articles = np.array([articles.setdefault(s.article, len(articles)) for s in rows])
    return LinkContext(
        claim_keys=keys,
        rows=rows,
        n_batch=n_b,
        row_articles=row_articles.astype(np.int64),
        known=known,
        pair_same=np.stack(
            [e_rc, x_rc, e_rc_best, x_rc_best, pair_contains, pair_covered], axis=-1
        ),
        pair_cross=np.stack([cross_rc, cross_rc_best, a_rc], axis=-1),
        pair_same_language=pair_same_language,
        pair_unseen=unseen,
        same_same=same_same,
        same_cross=same_cross,
        same_same_language=langs[k : k + n_b, None] == langs[None, k:],
        content=np.log1p([len(stems(s.text)) for s in batch]).astype(np.float32),
        clause_owner=owner,
        clause_same=np.stack(
            [e_lc, x_lc, e_lc, x_lc, clause_contains, clause_covered], axis=-1
        ),
        clause_cross=np.stack([cross_lc, cross_lc, a_lc], axis=-1),
        clause_same_language=langs[k + owner][:, None] == langs[None, :k],
        clause_unseen=unseen[owner],
    )


def _unseen_pairs(encoder, row_langs, claim_langs, same_language, languages) -> np.ndarray:
    """[rows, claims]: pairs in two languages of which one is read by the fallback encoder."""
    if fallback_of(encoder) is None:
        return np.zeros(same_language.shape, dtype=bool)
    if languages is None:
        known = languages_of(encoder)
        if known is None:
            return np.zeros(same_language.shape, dtype=bool)
        outside = np.array([lang not in known for lang in [*row_langs, *claim_langs]], bool)
    else:
        outside = np.array([lang in languages for lang in [*row_langs, *claim_langs]], bool)
    n = len(row_langs)
    return ~same_language & (outside[:n, None] | outside[None, n:])


def _read_by_fallback(fallback, unseen, texts, k, owner, aside, e_rc, e_rc_best, e_lc):
    """The encoder evidence of the cross-language pairs, with the ``unseen`` ones (and the
    clauses of their sentences) read by the fallback encoder; only their texts and the
    claims are encoded by it."""
    rows = np.flatnonzero(unseen.any(axis=1))
    if not len(rows):
        return e_rc, e_rc_best, e_lc
    clauses = np.flatnonzero(np.isin(owner, rows))
    vectors = fallback.encode(
        [*texts[:k], *(texts[k + r] for r in rows), *(texts[k + len(e_rc) + c] for c in clauses)]
    )
    claims, row_v, clause_v = np.split(vectors, [k, k + len(rows)])
    f_rc = row_v @ claims.T
    f_lc = clause_v @ claims.T
    f_best = f_rc.copy()
    position = {r: i for i, r in enumerate(rows)}
    whole = ~aside[clauses]
    if whole.any():
        np.maximum.at(f_best, [position[o] for o in owner[clauses][whole]], f_lc[whole])
    cross_rc, cross_best, cross_lc = e_rc.copy(), e_rc_best.copy(), e_lc.copy()
    cross_rc[rows] = np.where(unseen[rows], f_rc, e_rc[rows])
    cross_best[rows] = np.where(unseen[rows], f_best, e_rc_best[rows])
    cross_lc[clauses] = np.where(unseen[owner[clauses]], f_lc, e_lc[clauses])
    return cross_rc, cross_best, cross_lc


def _logits(same_f, cross_f, same, weights, bias, cross_weights, cross_bias,
            unseen=None, unseen_weights=(), unseen_bias=0.0) -> np.ndarray:
    same_z = same_f @ np.asarray(weights, np.float64) + bias
    cross_z = cross_f @ np.asarray(cross_weights, np.float64) + cross_bias
    if unseen is not None and unseen.any():
        unseen_z = cross_f @ np.asarray(unseen_weights, np.float64) + unseen_bias
        cross_z = np.where(unseen, unseen_z, cross_z)
    return np.where(same, same_z, cross_z)


def pair_logits(ctx: LinkContext, params: LinkParams) -> np.ndarray:
    """[rows, claims] log-odds that each row carries each claim, from the claim's text."""
    return _logits(
        ctx.pair_same, ctx.pair_cross, ctx.pair_same_language,
        params.pair_weights, params.pair_bias, params.cross_weights, params.cross_bias,
        ctx.pair_unseen, params.unseen_weights, params.unseen_bias,
    )


def clause_logits(ctx: LinkContext, params: LinkParams) -> np.ndarray:
    """[clauses, claims] log-odds that each clause of a sentence to link carries each claim,
    read as if the clause were a sentence of its own."""
    return _logits(
        ctx.clause_same, ctx.clause_cross, ctx.clause_same_language,
        params.pair_weights, params.pair_bias, params.cross_weights, params.cross_bias,
        ctx.clause_unseen, params.unseen_weights, params.unseen_bias,
    )


def same_claim_logits(ctx: LinkContext, params: LinkParams) -> np.ndarray:
    """[sentences, rows] log-odds that two sentences carry a common claim; -inf within an
    article, whose repetitions (headline, lead, body) would otherwise confirm themselves."""
    n = ctx.n_batch
    z = np.empty((n, len(ctx.rows)))
    for start in range(0, n, BLOCK_ROWS):  # in blocks: read as float64 the stacks would double
        block = slice(start, start + BLOCK_ROWS)
        z[block] = _logits(
            ctx.same_same[block], ctx.same_cross[block], ctx.same_same_language[block],
            params.same_weights, params.same_bias,
            params.same_cross_weights, params.same_cross_bias,
        )
    z[ctx.row_articles[:n, None] == ctx.row_articles[None, :]] = -np.inf
    return z


def story_features(
    ctx: LinkContext,
    pair_z: np.ndarray,
    same_z: np.ndarray,
    known: np.ndarray | None = None,
    clause_z: np.ndarray | None = None,
) -> np.ndarray:
    """[sentences, claims, STORY_FEATURES] evidence of the story model.

    ``pair``: the pair log-odds; ``margin``: how far they are below the sentence's best claim;
    ``adjacent``: the claim is next to the sentence's best claim in the claim list (a rewrite
    merging two claims into one sentence merges consecutive ones); ``neighbours``: the strongest
    pair probability with which the previous or next sentence of the article carries the claim
    or the claim next to it; ``exemplars``: the strongest product of "a sentence of another
    article carries a claim in common with this one" and "that sentence carries this claim";
    ``standard``: the pair log-odds above their median over every row of the story for this
    claim (claims whose words are everywhere score high everywhere); ``content``: how many content
    words the sentence has (short lines carry little evidence); ``clause``: for a claim next to
    the best one, how far the pair log-odds of another clause of the sentence, read on its own
    (``clause_z``, see ``clause_logits``), exceed those of the whole sentence.
    ``known``: probabilities fixed by editors or exemplars (NaN elsewhere).
    """
    n, k = ctx.n_batch, len(ctx.claim_keys)
    z_rows = np.clip(pair_z, -9.2, 9.2)
    z = z_rows[:n]
    prob_rows = _sigmoid(z_rows)
    known = ctx.known if known is None else known
    prob_rows = np.where(np.isnan(known), prob_rows, known)
    prob = prob_rows[:n]

    margin = z - z.max(axis=1, keepdims=True)
    best = np.argmax(z, axis=1)
    adjacent = np.zeros((n, k))
    rows = np.arange(n)
    adjacent[rows[best > 0], best[best > 0] - 1] = 1.0
    adjacent[rows[best < k - 1], best[best < k - 1] + 1] = 1.0

    window = prob.copy()
    window[:, 1:] = np.maximum(window[:, 1:], prob[:, :-1])
    window[:, :-1] = np.maximum(window[:, :-1], prob[:, 1:])
    arts = ctx.row_articles[:n]
    neighbours = np.zeros((n, k))
    follows = np.zeros(n, dtype=bool)
    follows[1:] = arts[1:] == arts[:-1]
    neighbours[follows] = window[np.flatnonzero(follows) - 1]
    precedes = np.zeros(n, dtype=bool)
    precedes[:-1] = follows[1:]
    neighbours[precedes] = np.maximum(neighbours[precedes], window[np.flatnonzero(precedes) + 1])

    same = _sigmoid(same_z)
    exemplars = np.zeros((n, k))
    for c in range(k):
        exemplars[:, c] = (same * prob_rows[None, :, c]).max(axis=1, initial=0.0)

    standard = z - _median_by_reading(z_rows, _readings(ctx))[:n]
    content = np.repeat(ctx.content[:, None], k, axis=1)
    clause = np.zeros((n, k))
    if clause_z is not None and len(ctx.clause_owner):
        # A clause other than the one carrying the sentence's best claim, read on its own,
        # may carry the claim next to it more clearly than the whole sentence does.
        owner = ctx.clause_owner
        cz = np.clip(clause_z, -9.2, 9.2)
        on_best = cz[np.arange(len(owner)), best[owner]]
        lead = np.full(n, -np.inf)
        np.maximum.at(lead, owner, on_best)
        other = on_best < lead[owner]
        own = np.full((n, k), -9.2)
        np.maximum.at(own, owner[other], cz[other])
        clause = np.maximum(own - z, 0.0) * adjacent
    return np.stack(
        [z, margin, adjacent, neighbours, exemplars, standard, content, clause], axis=-1
    )


def _readings(ctx: LinkContext) -> np.ndarray:
    """[rows, claims] which pair model reads each pair: 0 within a language, 1 across, 2 across
    by the fallback encoder."""
    return np.where(ctx.pair_same_language, 0, np.where(ctx.pair_unseen, 2, 1))


def _median_by_reading(z: np.ndarray, reading: np.ndarray) -> np.ndarray:
    """Per row and claim, the claim's median log-odds over the rows read by the same pair model
    (within a language, across, across by the fallback encoder): the models' log-odds of
    unrelated text sit at different levels, so a sentence in another language than most of
    the story is compared with its own kind."""
    kinds = np.unique(reading)
    if len(kinds) <= 1:
        return np.broadcast_to(np.median(z, axis=0), z.shape)
    out = np.empty_like(z)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a claim no row reads one way
        for kind in kinds:
            mask = reading == kind
            median = np.nanmedian(np.where(mask, z, np.nan), axis=0)
            out = np.where(mask, median[None, :], out)
    return out


def probabilities(
    ctx: LinkContext, params: LinkParams, known: np.ndarray | None = None
) -> np.ndarray:
    """[sentences, claims] probability that each sentence carries each claim."""
    return story_probabilities(ctx, params, pair_logits(ctx, params), known)


def story_probabilities(
    ctx: LinkContext, params: LinkParams, pair_z: np.ndarray, known: np.ndarray | None = None
) -> np.ndarray:
    """The story model's probabilities from given pair log-odds of every row."""
    feats = story_features(
        ctx, pair_z, same_claim_logits(ctx, params), known, clause_logits(ctx, params)
    )
    n = ctx.n_batch
    same = feats @ np.asarray(params.story_weights, np.float64) + params.story_bias
    if params.story_pairs:
        same = same + products(feats) @ np.asarray(params.story_pairs, np.float64)
    cross = feats @ np.asarray(params.cross_story_weights, np.float64) + params.cross_story_bias
    if ctx.pair_unseen[:n].any():
        unseen = (
            feats @ np.asarray(params.unseen_story_weights, np.float64)
            + params.unseen_story_bias
        )
        cross = np.where(ctx.pair_unseen[:n], unseen, cross)
    return _sigmoid(np.where(ctx.pair_same_language[:n], same, cross))


def products(feats: np.ndarray) -> np.ndarray:
    """[..., f(f+1)/2] every product of two features (each with itself too), in the order of
    ``itertools.combinations_with_replacement`` over the last axis."""
    i, j = np.triu_indices(feats.shape[-1])
    return feats[..., i] * feats[..., j]


def select(prob: np.ndarray, threshold: float, relative: float) -> np.ndarray:
    """Which claims each sentence carries: those reaching the threshold and ``relative`` times
    the sentence's best probability."""
    best = prob.max(axis=1, keepdims=True) if prob.size else prob
    return (prob >= threshold) & (prob >= relative * best)


def confidence(params: LinkParams, prob: np.ndarray) -> np.ndarray:
    """Read a probability as a confidence in [0, 1] in which the threshold reads as 0.5."""
    return _sigmoid(_logit(prob) - _logit(np.float64(params.threshold)))


def probability(params: LinkParams, confidence: np.ndarray) -> np.ndarray:
    """The probability a stored confidence stands for (the inverse of ``confidence``)."""
    return _sigmoid(_logit(confidence) + _logit(np.float64(params.threshold)))


def read_links(
    ctx: LinkContext,
    params: LinkParams,
    confirmed: Mapping[SentenceId, Iterable[str]] | None = None,
    rejected: Mapping[SentenceId, Iterable[str]] | None = None,
    known: Mapping[SentenceId, Mapping[str, float]] | None = None,
) -> Reading:
    """Turn the evidence of ``ctx`` into links, and into close calls for what fell short.

    A sentence is linked to every claim whose probability reaches the threshold and a share
    (``relative``) of the sentence's best claim, so a sentence merging two claims keeps both
    while a weak echo of the best claim's neighbour does not. Editor decisions hold for the
    sentences they concern and count as known evidence for the others, as do the ``known``
    probabilities of context sentences (claims missing from a sentence's mapping count as 0).
    """
    n, k = ctx.n_batch, len(ctx.claim_keys)
    if n == 0 or k == 0:
        return Reading([], [])
    key_index = {key: c for c, key in enumerate(ctx.claim_keys)}
    row_of = {s.id: i for i, s in enumerate(ctx.rows)}
    confirmed_m = _as_matrix(confirmed, row_of, key_index, len(ctx.rows), k)
    rejected_m = _as_matrix(rejected, row_of, key_index, len(ctx.rows), k) & ~confirmed_m
    fixed = ctx.known.copy()
    for sid, probs in (known or {}).items():
        if sid in row_of:
            fixed[row_of[sid]] = 0.0
            for key, p in probs.items():
                if key in key_index:
                    fixed[row_of[sid], key_index[key]] = p
    known = fixed
    known[confirmed_m] = 1.0
    known[rejected_m] = 0.0
    confirmed_m, rejected_m = confirmed_m[:n], rejected_m[:n]

    prob = probabilities(ctx, params, known)
    prob[rejected_m] = 0.0
    linked = select(prob, params.threshold, params.relative)
    linked = (linked | confirmed_m) & ~rejected_m
    conf = confidence(params, prob)
    conf[confirmed_m] = 1.0
    results = []
    for i, s in enumerate(ctx.sentences):
        for c in np.flatnonzero(linked[i]):
            results.append(LinkResult(s.id, ctx.claim_keys[c], round(float(conf[i, c]), 4)))
    below = np.where(linked | rejected_m, -1.0, conf)
    return Reading(results, close_calls(ctx, below, params))


def close_calls(ctx: LinkContext, below: np.ndarray, params: LinkParams) -> list[LinkResult]:
    """Each sentence's closest claims left unlinked (``below``: their confidences, negative
    where linked or rejected), best first: the close calls an editor can settle with a click."""
    out = []
    if params.close_calls <= 0:
        return out
    for i, s in enumerate(ctx.sentences):
        order = np.argsort(-below[i], kind="stable")[: params.close_calls]
        out += [
            LinkResult(s.id, ctx.claim_keys[c], round(float(below[i, c]), 4))
            for c in order
            if below[i, c] >= params.close_call_floor
        ]
    return out


def link_sentences(
    claims: Sequence[ClaimText],
    sentences: Sequence[SentenceText],
    encoder: Encoder,
    params: LinkParams | None = None,
    confirmed: Mapping[SentenceId, Iterable[str]] | None = None,
    rejected: Mapping[SentenceId, Iterable[str]] | None = None,
    exemplars: Iterable[Exemplar | tuple] = (),
    context: Sequence[SentenceText] = (),
    known: Mapping[SentenceId, Mapping[str, float]] | None = None,
    with_asides: bool = True,
) -> list[LinkResult]:
    """Link each sentence to the claims it carries (none, one or several).

    ``sentences`` should come in reading order, article by article: neighbouring sentences
    count as evidence. ``confirmed``/``rejected``: editor decisions per sentence id (of
    ``sentences`` or ``context``); confirmed links are always returned (score 1.0), rejected
    ones never. ``context``: the story's other sentences, which are not linked but whose
    resemblance counts, so one new article is linked as it would be with the whole story;
    ``known``: what the context sentences are already linked to, as probabilities per claim.
    ``exemplars``: wordings known to carry a claim, as ``Exemplar`` or ``(claim_key, text,
    language[, article[, weight]])`` tuples.
    Deterministic: the same input gives the same output.
    """
    params = params or LinkParams()
    ctx = build_context(claims, sentences, encoder, exemplars, context, with_asides)
    return read_links(ctx, params, confirmed, rejected, known).links


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def _logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _as_matrix(decisions, row_of, key_index, n, k) -> np.ndarray:
    out = np.zeros((n, k), dtype=bool)
    for sid, keys in (decisions or {}).items():
        if sid in row_of:
            for key in keys:
                if key in key_index:
                    out[row_of[sid], key_index[key]] = True
    return out
