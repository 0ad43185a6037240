"""Link the sentences of news articles to the origin claims they paraphrase.

A sentence is compared with every *wording* of a claim: its canonical text and the exemplars the
caller passes (single-claim wordings linked earlier in other articles). A *pair* logistic model
reads the evidence of a sentence against one wording: encoder and character n-gram cosines of
the whole sentence and of its best clause, and asymmetric stem containment (how much of the
claim the sentence holds, so a sentence merging two claims can carry both; how much of the
sentence the claim covers, so a short sentence carrying part of a claim still links). Across
languages only the multilingual encoder and anchors count, mapped onto the same log-odds.
A *story* model then adds the article around the sentence: neighbouring sentences that carry
the same or an adjacent claim, and how far the sentence's place in its article is from the
claim's place in the claim list (rewrites keep the origin's order). Both models and the
thresholds are fitted by leave-one-article-out calibration (``app.linking.calibrate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.linking.clauses import split_clauses
from app.linking.encoder import Encoder
from app.linking.language import detect_languages
from app.linking.lexical import (
    anchor_similarity,
    anchors,
    char_tfidf_similarity,
    containment,
)

SentenceId = int | str


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
    """A wording already linked to a claim (earlier link or editor decision).

    ``article`` keeps an exemplar from vouching for sentences of its own article, whose
    repetitions (headline, lead, body) would otherwise confirm themselves.
    """

    claim_key: str
    text: str
    language: str | None = None
    article: int | str | None = None


@dataclass(frozen=True)
class LinkResult:
    sentence_id: SentenceId
    claim_key: str
    score: float


@dataclass(frozen=True)
class LinkParams:
    """Weights and thresholds of linking; defaults come from leave-one-article-out calibration
    on the seed gold (``python -m app.linking.calibrate``).

    Linking is two logistic models. The *pair* model reads a sentence against one wording of a
    claim: ``pair_weights`` apply to (encoder cosine, char n-gram cosine, best clause encoder
    cosine, best clause n-gram cosine, share of the wording's stems the sentence contains, share
    of the sentence's stems the wording covers), plus ``pair_bias``. Across languages the
    lexical features do not exist, so ``cross_weights`` (encoder, clause encoder, anchors) and
    ``cross_bias`` estimate the same log-odds from language-independent evidence (fitted on
    same-language pairs, so both scales agree). A claim's evidence is its best wording.
    The *story* model then adds what the article around the sentence says: ``w_pair`` scales
    the pair log-odds, ``w_context`` the strongest link of a neighbouring sentence to the same or
    an adjacent claim (rewrites keep the origin's order), ``w_position`` the distance between
    the sentence's place in its article and the claim's place in the claim list, ``bias``.
    ``threshold``: least probability to link; ``relative``: further claims must reach this share
    of the sentence's best probability. Scores are confidences in which ``threshold`` reads as
    0.5; ``seed_threshold``: least confidence for a stored link to serve as an exemplar;
    ``exemplar_penalty``: log-odds taken off evidence from an exemplar rather than a claim text.
    ``w_encoder``, ``w_lexical``, ``w_anchor``, ``cross_*`` and ``pair_threshold`` define the
    plain similarity of two sentences that claim induction clusters on.
    """

    pair_weights: tuple[float, ...] = (2.102, 2.92, 2.084, 3.033, 3.947, 3.058)
    pair_bias: float = -6.242
    cross_weights: tuple[float, ...] = (0.665, 5.904, 3.071)
    cross_bias: float = -6.232
    w_pair: float = 1.412
    w_context: float = 0.546
    w_position: float = -1.076
    bias: float = 1.166
    threshold: float = 0.25
    relative: float = 0.5
    seed_threshold: float = 0.7
    exemplar_penalty: float = 1.0
    w_encoder: float = 1.0
    w_lexical: float = 0.5
    w_anchor: float = 0.0
    cross_encoder: float = 1.086
    cross_anchor: float = 0.105
    cross_pair_bias: float = 0.008
    pair_threshold: float = 0.73


@dataclass
class LinkContext:
    """Pairwise evidence between the sentences (rows) and every wording (columns).

    Built once per call (or once per story when calibrating many parameter settings).
    Columns: claim texts, then exemplars, then the sentences themselves. Clause rows hold
    the same evidence for the clauses of multi-clause sentences. ``contains``/``covered``:
    stem containment of each fixed column in each row and of each row in each fixed column.
    """

    claim_keys: list[str]
    sentences: list[SentenceText]
    column_claim: np.ndarray  # claim index of each fixed column, -1 for sentence columns
    column_article: list[object]
    n_fixed: int
    encoder_sim: np.ndarray
    lexical_sim: np.ndarray
    anchor_sim: np.ndarray
    same_language: np.ndarray
    clause_owner: np.ndarray
    clause_encoder: np.ndarray
    clause_lexical: np.ndarray
    clause_anchor: np.ndarray
    clause_same_language: np.ndarray
    sentence_articles: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    contains: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    covered: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))


def build_context(
    claims: Sequence[ClaimText],
    sentences: Sequence[SentenceText],
    encoder: Encoder,
    exemplars: Iterable[Exemplar | tuple] = (),
) -> LinkContext:
    """Compute all pairwise evidence needed to link ``sentences`` (deterministic)."""
    claims = list(claims)
    sentences = list(sentences)
    keys = [c.key for c in claims]
    index = {k: i for i, k in enumerate(keys)}
    exemplar_list = [e if isinstance(e, Exemplar) else Exemplar(*e) for e in exemplars]
    exemplar_list = [e for e in exemplar_list if e.claim_key in index and e.text.strip()]
    # A wording linked to several claims would vouch for all of them in every sentence that
    # resembles it, so only single-claim wordings serve as exemplars.
    claims_of: dict[tuple, set[str]] = {}
    for e in exemplar_list:
        claims_of.setdefault((e.text, e.article), set()).add(e.claim_key)
    exemplar_list = [e for e in exemplar_list if len(claims_of[(e.text, e.article)]) == 1]

    sentence_langs = detect_languages(
        [s.text for s in sentences], [s.article for s in sentences], [s.language for s in sentences]
    )
    claim_langs = detect_languages(
        [c.text for c in claims], ["claims"] * len(claims), [c.language for c in claims]
    )
    exemplar_langs = detect_languages(
        [e.text for e in exemplar_list],
        [("exemplar", i if e.article is None else e.article) for i, e in enumerate(exemplar_list)],
        [e.language for e in exemplar_list],
    )

    clause_texts, clause_owner = [], []
    for i, s in enumerate(sentences):
        for clause in split_clauses(s.text):
            clause_texts.append(clause)
            clause_owner.append(i)

    column_texts = [c.text for c in claims] + [e.text for e in exemplar_list]
    column_texts += [s.text for s in sentences]
    column_langs = claim_langs + exemplar_langs + sentence_langs
    n_fixed = len(claims) + len(exemplar_list)
    all_texts = column_texts + clause_texts
    all_langs = column_langs + [sentence_langs[o] for o in clause_owner]

    vectors = encoder.encode(all_texts) if all_texts else np.zeros((0, 1), np.float32)
    enc = vectors @ vectors.T if len(all_texts) else np.zeros((0, 0), np.float32)
    lex = char_tfidf_similarity(all_texts)
    anc = anchor_similarity([anchors(t) for t in all_texts])
    langs = np.array(all_langs, dtype=object)
    same = langs[:, None] == langs[None, :]

    n_cols = len(column_texts)
    rows = slice(n_fixed, n_cols)
    crow = slice(n_cols, len(all_texts))
    contains, covered = containment(column_texts, range(n_fixed, n_cols), range(n_fixed))
    articles = {a: i for i, a in enumerate(dict.fromkeys(s.article for s in sentences))}
    column_claim = np.array(
        list(range(len(claims))) + [index[e.claim_key] for e in exemplar_list], dtype=np.int64
    )
    return LinkContext(
        claim_keys=keys,
        sentences=sentences,
        column_claim=column_claim,
        column_article=[None] * len(claims)
        + [e.article for e in exemplar_list]
        + [s.article for s in sentences],
        n_fixed=n_fixed,
        encoder_sim=enc[rows, :n_cols],
        lexical_sim=lex[rows, :n_cols],
        anchor_sim=anc[rows, :n_cols],
        same_language=same[rows, :n_cols],
        clause_owner=np.array(clause_owner, dtype=np.int64),
        clause_encoder=enc[crow, :n_cols],
        clause_lexical=lex[crow, :n_cols],
        clause_anchor=anc[crow, :n_cols],
        clause_same_language=same[crow, :n_cols],
        sentence_articles=np.array([articles[s.article] for s in sentences], dtype=np.int64),
        contains=contains,
        covered=covered,
    )


def pair_score(
    params: LinkParams, enc: np.ndarray, lex: np.ndarray, anc: np.ndarray, same: np.ndarray
) -> np.ndarray:
    """Plain similarity of two sentences, on one scale for every language pair (induction)."""
    same_score = params.w_encoder * enc + params.w_lexical * lex + params.w_anchor * anc
    cross_score = params.cross_encoder * enc + params.cross_anchor * anc + params.cross_pair_bias
    return np.where(same, same_score, cross_score).astype(np.float32)


def pair_features(ctx: LinkContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of every (sentence, fixed wording) pair, and which pairs share a language.

    Returns (same-language features [n, m, 6], cross-language features [n, m, 3], same [n, m]).
    """
    m = ctx.n_fixed
    enc, lex = ctx.encoder_sim[:, :m], ctx.lexical_sim[:, :m]
    clause_enc, clause_lex = enc.copy(), lex.copy()
    if len(ctx.clause_owner):
        np.maximum.at(clause_enc, ctx.clause_owner, ctx.clause_encoder[:, :m])
        np.maximum.at(clause_lex, ctx.clause_owner, ctx.clause_lexical[:, :m])
    same_f = np.stack([enc, lex, clause_enc, clause_lex, ctx.contains, ctx.covered], axis=-1)
    cross_f = np.stack([enc, clause_enc, ctx.anchor_sim[:, :m]], axis=-1)
    return same_f, cross_f, ctx.same_language[:, :m]


def pair_logits(ctx: LinkContext, params: LinkParams) -> np.ndarray:
    """Log-odds that each sentence carries each claim, from its best wording of the claim."""
    n, k = len(ctx.sentences), len(ctx.claim_keys)
    same_f, cross_f, same = pair_features(ctx)
    same_z = same_f @ np.asarray(params.pair_weights, np.float32) + params.pair_bias
    cross_z = cross_f @ np.asarray(params.cross_weights, np.float32) + params.cross_bias
    z = np.where(same, same_z, cross_z)
    # An exemplar is a sentence linked by the model, not a claim: its link may be wrong, and two
    # outlets' sentences share more words than a sentence and a claim do.
    # Across languages only the encoder and anchors count, which do not inflate this way.
    k = len(ctx.claim_keys)
    z[:, k:] -= params.exemplar_penalty * same[:, k:]
    z = np.where(_fixed_mask(ctx, ctx.sentence_articles), z, -np.inf)
    out = np.full((n, k), -np.inf, dtype=np.float64)
    for c in range(k):
        cols = ctx.column_claim == c
        if cols.any():
            out[:, c] = z[:, cols].max(axis=1)
    return out


def story_features(ctx: LinkContext, pair_z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Context and position evidence of every (sentence, claim) pair.

    Context: the strongest probability with which the previous or next sentence of the same
    article carries the claim or the claim before or after it. Position: how far the
    sentence's relative place in its article is from the claim's relative place in the list.
    """
    n, k = pair_z.shape
    prob = _sigmoid(pair_z)
    window = prob.copy()
    window[:, 1:] = np.maximum(window[:, 1:], prob[:, :-1])
    window[:, :-1] = np.maximum(window[:, :-1], prob[:, 1:])
    arts = ctx.sentence_articles
    context = np.zeros((n, k))
    same_prev = np.zeros(n, dtype=bool)
    same_prev[1:] = arts[1:] == arts[:-1]
    context[1:][same_prev[1:]] = window[:-1][same_prev[1:]]
    nxt = np.zeros(n, dtype=bool)
    nxt[:-1] = same_prev[1:]
    context[:-1][nxt[:-1]] = np.maximum(context[:-1][nxt[:-1]], window[1:][nxt[:-1]])
    place = np.zeros(n)
    for a in np.unique(arts):
        rows = np.flatnonzero(arts == a)
        place[rows] = np.arange(len(rows)) / max(len(rows) - 1, 1)
    claim_place = np.arange(k) / max(k - 1, 1)
    position = np.abs(place[:, None] - claim_place[None, :])
    return context, position


def probabilities(ctx: LinkContext, params: LinkParams) -> np.ndarray:
    """Probability that each sentence carries each claim."""
    pair_z = pair_logits(ctx, params)
    context, position = story_features(ctx, pair_z)
    z = (
        params.w_pair * np.clip(pair_z, -9.2, 9.2)
        + params.w_context * context
        + params.w_position * position
        + params.bias
    )
    return np.where(np.isfinite(pair_z), _sigmoid(z), 0.0)


def confidence(params: LinkParams, prob: np.ndarray) -> np.ndarray:
    """Read a probability as a confidence in [0, 1] in which the threshold reads as 0.5."""
    return _sigmoid(_logit(prob) - _logit(np.float64(params.threshold)))


def decide(
    ctx: LinkContext,
    params: LinkParams,
    confirmed: Mapping[SentenceId, Iterable[str]] | None = None,
    rejected: Mapping[SentenceId, Iterable[str]] | None = None,
) -> list[LinkResult]:
    """Turn the evidence of ``ctx`` into links.

    A sentence is linked to every claim whose probability reaches the threshold and a share
    (``relative``) of the sentence's best claim, so a sentence merging two claims keeps both
    while a weak echo of the best claim's neighbour does not.
    """
    n, k = len(ctx.sentences), len(ctx.claim_keys)
    if n == 0 or k == 0:
        return []
    key_index = {key: c for c, key in enumerate(ctx.claim_keys)}
    row_of = {s.id: i for i, s in enumerate(ctx.sentences)}
    confirmed_m = _as_matrix(confirmed, row_of, key_index, n, k)
    rejected_m = _as_matrix(rejected, row_of, key_index, n, k) & ~confirmed_m

    prob = probabilities(ctx, params)
    prob[rejected_m] = 0.0
    best = prob.max(axis=1, keepdims=True)
    linked = (prob >= params.threshold) & (prob >= params.relative * best)
    linked = (linked | confirmed_m) & ~rejected_m
    conf = confidence(params, prob)
    conf[confirmed_m] = 1.0
    results = []
    for i, s in enumerate(ctx.sentences):
        for c in np.flatnonzero(linked[i]):
            results.append(LinkResult(s.id, ctx.claim_keys[c], round(float(conf[i, c]), 4)))
    return results


def link_sentences(
    claims: Sequence[ClaimText],
    sentences: Sequence[SentenceText],
    encoder: Encoder,
    params: LinkParams | None = None,
    confirmed: Mapping[SentenceId, Iterable[str]] | None = None,
    rejected: Mapping[SentenceId, Iterable[str]] | None = None,
    exemplars: Iterable[Exemplar | tuple] = (),
) -> list[LinkResult]:
    """Link each sentence to the claims it carries (none, one or several).

    ``sentences`` should come in reading order, article by article: neighbouring sentences
    count as evidence. ``confirmed``/``rejected``: editor decisions per sentence id; confirmed
    links are always returned (score 1.0), rejected ones are never returned.
    ``exemplars``: wordings linked earlier, as ``Exemplar`` or ``(claim_key, text, language[,
    article])`` tuples; each is a further wording of its claim for sentences of other
    articles. To link one new article without re-running the story, pass only its sentences
    and, as exemplars, the story's already linked sentences.
    Deterministic: the same input gives the same output.
    """
    params = params or LinkParams()
    ctx = build_context(claims, sentences, encoder, exemplars)
    return decide(ctx, params, confirmed, rejected)


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


def _fixed_mask(ctx: LinkContext, arts: np.ndarray) -> np.ndarray:
    """Fixed columns a row may use: claims always, exemplars only from another article."""
    article_ids = {a: i for i, a in enumerate(dict.fromkeys(s.article for s in ctx.sentences))}
    col_art = np.array(
        [
            article_ids.get(a, -1) if a is not None else -1
            for a in ctx.column_article[: ctx.n_fixed]
        ],
        dtype=np.int64,
    )
    return (col_art[None, :] == -1) | (col_art[None, :] != arts[:, None])
