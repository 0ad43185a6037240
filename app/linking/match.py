"""Link the sentences of news articles to the origin claims they paraphrase.

A sentence is compared with every *wording* of a claim: its canonical text, the exemplars the
caller passes (wordings linked earlier), editor-confirmed sentences, and, transductively, the
sentences of other outlets in the same call once they are confidently linked. One canonical
wording is a narrow target; the outlets' own wordings of a claim cover the paraphrases that
other outlets will also use.

Evidence for a pair of texts depends on whether they share a language: within a language,
character n-grams, the encoder and anchors (numbers, names) are combined; across languages only
the multilingual encoder and anchors count. Each combination is a logistic model, so every score
reads as the probability that the two texts carry the same claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.linking.clauses import split_clauses
from app.linking.encoder import Encoder
from app.linking.language import detect_languages
from app.linking.lexical import anchor_similarity, anchors, char_tfidf_similarity

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
    """Weights and thresholds of linking; defaults come from leave-one-article-out calibration.

    Evidence for two texts is a linear score: ``w_encoder`` * encoder cosine + ``w_lexical`` *
    char n-gram cosine + ``w_anchor`` * anchor overlap when they share a language. Across
    languages the lexical term is unavailable, so ``cross_*`` estimate the same score from the
    encoder and anchors alone (fitted on same-language pairs, so both scales agree).
    ``threshold``: least score to link; ``margin``: further claims are linked when within this
    distance of the best one; ``seed_threshold``: least score for a linked sentence to become an
    exemplar of its claim; ``clause_weight`` scales clause-level evidence (a clause is short, so
    noisier); ``rounds``: self-training rounds; ``temperature`` maps scores to confidences
    (``threshold`` reads as 0.5).
    """

    w_encoder: float = 1.0
    w_lexical: float = 0.5
    w_anchor: float = 0.0
    cross_encoder: float = 1.086
    cross_anchor: float = 0.105
    cross_bias: float = 0.008
    threshold: float = 0.73
    margin: float = 0.05
    seed_threshold: float = 0.73
    clause_weight: float = 0.0
    rounds: int = 4
    temperature: float = 0.1


@dataclass
class LinkContext:
    """Pairwise evidence between the sentences (rows) and every wording (columns).

    Built once per call (or once per story when calibrating many parameter settings).
    Columns: claim texts, then exemplars, then the sentences themselves. Clause rows hold
    the same evidence for the clauses of multi-clause sentences.
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
    )


def pair_score(
    params: LinkParams, enc: np.ndarray, lex: np.ndarray, anc: np.ndarray, same: np.ndarray
) -> np.ndarray:
    """Evidence that two texts carry the same claim, on one scale for every language pair."""
    same_score = params.w_encoder * enc + params.w_lexical * lex + params.w_anchor * anc
    cross_score = params.cross_encoder * enc + params.cross_anchor * anc + params.cross_bias
    return np.where(same, same_score, cross_score).astype(np.float32)


def confidence(params: LinkParams, scores: np.ndarray) -> np.ndarray:
    """Read a score as a confidence in [0, 1]; the linking threshold reads as 0.5."""
    z = (scores - params.threshold) / max(params.temperature, 1e-6)
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def decide(
    ctx: LinkContext,
    params: LinkParams,
    confirmed: Mapping[SentenceId, Iterable[str]] | None = None,
    rejected: Mapping[SentenceId, Iterable[str]] | None = None,
) -> list[LinkResult]:
    """Turn the evidence of ``ctx`` into links, self-training on confident links.

    Each round, a sentence's score for a claim is its best evidence against any wording of
    the claim: canonical text, exemplars, and sentences of *other* articles that the previous
    round linked confidently to that claim alone (a sentence merging two claims would vouch
    for both). Rounds stop when the exemplars no longer change.
    """
    n, k = len(ctx.sentences), len(ctx.claim_keys)
    if n == 0 or k == 0:
        return []
    key_index = {key: c for c, key in enumerate(ctx.claim_keys)}
    row_of = {s.id: i for i, s in enumerate(ctx.sentences)}
    confirmed_m = _as_matrix(confirmed, row_of, key_index, n, k)
    rejected_m = _as_matrix(rejected, row_of, key_index, n, k) & ~confirmed_m

    s_sent = pair_score(params, ctx.encoder_sim, ctx.lexical_sim, ctx.anchor_sim, ctx.same_language)
    has_clauses = len(ctx.clause_owner) > 0 and params.clause_weight > 0
    arts = ctx.sentence_articles
    other = arts[:, None] != arts[None, :]
    fixed_ok = _fixed_mask(ctx, arts)
    base = _best_per_claim(np.where(fixed_ok, s_sent[:, : ctx.n_fixed], -np.inf), ctx, k)
    between = np.where(other, s_sent[:, ctx.n_fixed :], -np.inf)
    if has_clauses:
        s_clause = params.clause_weight * pair_score(
            params,
            ctx.clause_encoder,
            ctx.clause_lexical,
            ctx.clause_anchor,
            ctx.clause_same_language,
        )
        owner = ctx.clause_owner
        clause_base = _best_per_claim(
            np.where(fixed_ok[owner], s_clause[:, : ctx.n_fixed], -np.inf), ctx, k
        )
        clause_between = np.where(other[owner], s_clause[:, ctx.n_fixed :], -np.inf)

    support = confirmed_m.copy()  # which sentences serve as exemplars of which claim
    for _ in range(max(params.rounds, 0) + 1):
        scores = np.maximum(base, _via_exemplars(between, support))
        if has_clauses:
            clause_scores = np.maximum(clause_base, _via_exemplars(clause_between, support))
            np.maximum.at(scores, owner, clause_scores)
        scores[rejected_m] = -np.inf
        linked = _select(scores, params) | confirmed_m
        new_support = (
            linked & (scores >= params.seed_threshold) & (linked.sum(1, keepdims=True) == 1)
        ) | confirmed_m
        new_support &= ~rejected_m
        if np.array_equal(new_support, support):
            break
        support = new_support

    linked = (_select(scores, params) | confirmed_m) & ~rejected_m
    conf = confidence(params, np.where(np.isfinite(scores), scores, -1e6))
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

    ``confirmed``/``rejected``: editor decisions per sentence id; confirmed links are always
    returned (score 1.0) and serve as exemplars, rejected ones are never returned.
    ``exemplars``: wordings linked earlier, as ``Exemplar`` or ``(claim_key, text, language[,
    article])`` tuples. To link one new article without re-running the story, pass only its
    sentences and, as exemplars, the story's already linked sentences: the new article then
    profits from every wording seen so far at the cost of one encoder call (cached) and one
    similarity matrix. Re-linking the whole story instead lets all outlets vouch for each other.
    Deterministic: the same input gives the same output.
    """
    params = params or LinkParams()
    ctx = build_context(claims, sentences, encoder, exemplars)
    return decide(ctx, params, confirmed, rejected)


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


def _best_per_claim(scores: np.ndarray, ctx: LinkContext, k: int) -> np.ndarray:
    out = np.full((scores.shape[0], k), -np.inf, dtype=np.float32)
    for c in range(k):
        cols = ctx.column_claim == c
        if cols.any():
            out[:, c] = scores[:, cols].max(axis=1)
    return out


def _via_exemplars(between: np.ndarray, support: np.ndarray) -> np.ndarray:
    """Best score of each row against the exemplar sentences of each claim."""
    out = np.full((between.shape[0], support.shape[1]), -np.inf, dtype=np.float32)
    for c in np.flatnonzero(support.any(axis=0)):
        out[:, c] = between[:, support[:, c]].max(axis=1)
    return out


def _select(scores: np.ndarray, params: LinkParams) -> np.ndarray:
    best = scores.max(axis=1, keepdims=True)
    return (scores >= params.threshold) & (scores >= best - params.margin)
