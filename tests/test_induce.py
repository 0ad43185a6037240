"""Claims induced from coverage alone: shared or attributed sentences become claims."""


import numpy as np
import pytest
from sqlmodel import Session, select

from app.bootstrap import prepare_database
from app.linker import Linker
from app.linking import SentenceText, default_encoder, induce, lexical, match
from app.linking.induce import (
    PATH_FANOUT,
    SHARE_FEATURES,
    InduceParams,
    _average_linkage,
    claims_from_share,
    induce_claims,
    match_languages,
    share_features,
    share_logits,
    share_probabilities,
)
from app.linking.lexical import credits_source
from app.models import Claim, Decision, Link, Sentence, Story
from tests.conftest import ROOT, make_settings

SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def encoder():
    return default_encoder()


SENTENCES = [
    SentenceText(1, "a", "The French state owns 55% of the defence firm DCI."),
    SentenceText(2, "a", "Our correspondent enjoyed the sunny weather in Lyon."),
    SentenceText(3, "b", "DCI is 55% owned by the French state."),
    SentenceText(4, "b", "Markets closed higher in Tokyo on Friday."),
    SentenceText(5, "c", "According to the newspaper, Babcock approached DCI last month."),
]


def test_sentences_shared_by_outlets_form_one_claim(encoder):
    claims = induce_claims(SENTENCES, encoder)
    shared = [c for c in claims if set(c.member_ids) >= {1, 3}]
    assert len(shared) == 1
    assert shared[0].text in {SENTENCES[0].text, SENTENCES[2].text}


def test_unshared_unattributed_sentences_are_not_claims(encoder):
    members = {m for c in induce_claims(SENTENCES, encoder) for m in c.member_ids}
    assert 2 not in members and 4 not in members


def test_attributed_sentence_becomes_a_claim(encoder):
    members = {m for c in induce_claims(SENTENCES, encoder) for m in c.member_ids}
    assert 5 in members


def test_keys_are_stable_and_ordered_by_first_appearance(encoder):
    first = induce_claims(SENTENCES, encoder)
    assert first == induce_claims(SENTENCES, encoder)
    assert [c.key for c in first] == [f"C{i + 1:02d}" for i in range(len(first))]
    firsts = [
        min(SENTENCES.index(next(s for s in SENTENCES if s.id == m)) for m in c.member_ids)
        for c in first
    ]
    assert firsts == sorted(firsts)


def test_every_member_carries_its_claim_with_at_least_even_confidence(encoder):
    for claim in induce_claims(SENTENCES, encoder):
        carriers = dict(claim.carriers)
        assert set(claim.member_ids) <= set(carriers)
        assert all(carriers[m] >= 0.5 for m in claim.member_ids)


def test_a_sentence_close_to_two_claims_carries_both():
    sentences = [
        SentenceText(i, article, f"sentence {i}")
        for i, article in enumerate(["a", "a", "b", "b", "c"])
    ]
    arts = np.array([0, 0, 1, 1, 2])
    share = np.full((5, 5), 0.05)
    share[0, 2] = share[2, 0] = 0.9  # one claim shared by a and b
    share[1, 3] = share[3, 1] = 0.9  # another
    share[4, [0, 2]] = share[[0, 2], 4] = 0.45  # c merges both into one sentence
    share[4, [1, 3]] = share[[1, 3], 4] = 0.45
    share[arts[:, None] == arts[None, :]] = np.nan
    claims = claims_from_share(sentences, arts, share, InduceParams(join=0.5, attach=0.4))
    assert [set(c.member_ids) for c in claims] == [{0, 2}, {1, 3}]
    assert all(4 in dict(c.carriers) for c in claims)
    assert all(dict(c.carriers)[4] < 0.6 for c in claims)


def test_share_evidence_is_zero_within_an_article_and_follows_runs_of_matches():
    arts = np.array([0, 0, 1, 1])
    same = np.full((4, 4), -5.0)
    same[0, 2] = same[2, 0] = 4.0  # the first sentences match
    feats = share_features(same, arts)
    assert feats.shape == (4, 4, len(SHARE_FEATURES))
    assert not feats[0, 1].any() and not feats[2, 3].any()
    sequence = SHARE_FEATURES.index("sequence")
    assert feats[1, 3, sequence] > 0.9  # their successors follow a matching pair
    assert feats[1, 2, sequence] < 0.1
    lead = SHARE_FEATURES.index("lead")
    assert feats[0, 2, lead] > feats[1, 3, lead]


def test_relinking_a_story_with_induced_claims_keeps_editor_decisions(tmp_path):
    engine, _ = prepare_database(make_settings(tmp_path, seed_dossier=False))
    linker = Linker()
    with Session(engine) as session:
        link = session.exec(select(Link, Claim).join(Claim, Claim.id == Link.claim_id)).first()
        assert link is not None
        rejected_sentence, rejected_key = link[0].sentence_id, link[1].key
        unlinked = session.exec(
            select(Sentence.id).where(
                Sentence.kind == "content", Sentence.id.not_in(select(Link.sentence_id))
            )
        ).first()
        session.add(
            Decision(sentence_id=rejected_sentence, claim_key=rejected_key, verdict="reject")
        )
        session.add(Decision(sentence_id=unlinked, claim_key=rejected_key, verdict="confirm"))
        session.commit()
        linker.relink_story(session, session.get(Story, link[1].story_id))
        session.commit()
        links = {
            (sid, key): (score, by)
            for sid, key, score, by in session.exec(
                select(Link.sentence_id, Claim.key, Link.score, Link.decided_by)
                .join(Claim, Claim.id == Link.claim_id)
            ).all()
        }
    engine.dispose()
    assert (rejected_sentence, rejected_key) not in links
    assert links[(unlinked, rejected_key)] == (1.0, "editor")


def _two_languages(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Which of n sentences (half in each of two languages) share a language, and which differ."""
    same_language = np.zeros((n, n), dtype=bool)
    same_language[: n // 2, : n // 2] = same_language[n // 2 :, n // 2 :] = True
    return same_language, ~np.eye(n, dtype=bool)


def test_pairs_across_languages_are_read_on_the_scale_of_pairs_in_one_language():
    rng = np.random.default_rng(0)
    n = 40
    same_language, apart = _two_languages(n)
    z = np.where(same_language, rng.normal(0.0, 3.0, (n, n)), rng.normal(-4.0, 0.5, (n, n)))
    mapped = match_languages(z, same_language, apart)
    cross = apart & ~same_language
    assert np.array_equal(mapped[~cross], z[~cross])
    assert abs(np.median(mapped[cross]) - np.median(z[apart & same_language])) < 0.5
    order = np.argsort(z[cross])
    assert np.all(np.diff(mapped[cross][order]) >= 0)  # ranks are kept
    assert np.array_equal(match_languages(z[:5, :5], same_language[:5, :5], apart[:5, :5]),
                          z[:5, :5])  # too few pairs: unchanged


def test_a_discount_lowers_only_pairs_across_languages_and_keeps_their_order():
    rng = np.random.default_rng(1)
    same_language, apart = _two_languages()
    z = rng.normal(-2.0, 2.0, apart.shape)
    cross = apart & ~same_language
    plain = match_languages(z, same_language, apart)
    discounted = match_languages(z, same_language, apart, discount=1.5)
    assert np.array_equal(discounted[~cross], z[~cross])
    assert np.allclose(discounted[cross], plain[cross] - 1.5)


def test_by_default_a_sentence_in_another_language_shares_a_claim_less_readily(encoder):
    texts = [
        "The French state owns 55% of the defence firm DCI.",
        "Britain will build a new artillery factory for Ukraine.",
        "Talks on sending troops to Ukraine have resumed.",
    ]
    english = [  # enough pairs in each language to read one on the scale of the other
        SentenceText(len(texts) * a + i, f"en{a}", text, "en")
        for a in range(6)
        for i, text in enumerate(texts)
    ]
    french = [
        SentenceText(100, "fr", "L'État français détient 55 % du capital de DCI.", "fr"),
        SentenceText(101, "fr", "Le Royaume-Uni va construire une usine d'artillerie.", "fr"),
        SentenceText(102, "fr", "Les discussions sur l'envoi de troupes ont repris.", "fr"),
    ]
    sentences = [*english, *french]
    _, plain = share_probabilities(sentences, encoder, InduceParams(cross_discount=0.0))
    _, default = share_probabilities(sentences, encoder, InduceParams())
    n = len(english)
    assert np.all(default[n:, :n] <= plain[n:, :n] + 1e-12)
    assert np.mean(default[n:, :n] < plain[n:, :n]) > 0.5
    # pairs in one language move only through chains via the French sentences, never up
    assert np.all(np.nan_to_num(default[:n, :n] - plain[:n, :n]) <= 1e-9)


@pytest.mark.parametrize(
    ("text", "credits"),
    [
        ("The renewed dialogue is reportedly between France and the United Kingdom.", True),
        ("According to the newspaper, Babcock approached DCI.", True),
        ("Selon le quotidien, les discussions ont repris.", True),
        ("Die Gespräche wurden angeblich wieder aufgenommen.", True),
        ("Markets closed higher in Tokyo on Friday.", False),
    ],
)
def test_a_sentence_credits_its_source_by_attribution_or_hedge(text, credits):
    assert credits_source(text) is credits


def _plain_average_linkage(sim: np.ndarray, join: float) -> list[list[int]]:
    """The textbook loop: rescan every mean after each merge."""
    n = sim.shape[0]
    known = ~np.isnan(sim)
    total, count = np.where(known, sim, 0.0), known.astype(float)
    np.fill_diagonal(count, 0.0)
    groups = {i: [i] for i in range(n)}
    alive = np.ones(n, dtype=bool)
    while True:
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, total / np.maximum(count, 1), -np.inf)
        mean[~alive, :] = mean[:, ~alive] = -np.inf
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


@pytest.mark.parametrize("seed", range(12))
def test_clustering_finds_the_groups_of_the_plain_algorithm_ties_included(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 90))
    articles = rng.integers(0, int(rng.integers(2, 9)), n)
    sim = rng.random((n, n))
    if seed % 2:
        sim = (sim + sim.T) / 2
    if seed % 3 == 0:
        sim = np.round(sim, 1)  # many equal means: the order of merges must not change
    sim[articles[:, None] == articles[None, :]] = np.nan
    for join in (0.3, 0.5, 0.7):
        assert _average_linkage(sim, join) == _plain_average_linkage(sim, join)


def _plain_share_features(same_z: np.ndarray, arts: np.ndarray) -> np.ndarray:
    """The share features computed whole, every [n, n] matrix at once."""
    n = len(arts)
    apart = arts[:, None] != arts[None, :]
    z = np.where(apart, np.clip(same_z, -9.2, 9.2), -9.2)
    p = np.where(apart, 1.0 / (1.0 + np.exp(-z)), 0.0)
    best = np.full((n, int(arts.max()) + 1), -9.2)
    for a in np.unique(arts):
        best[:, a] = z[:, arts == a].max(axis=1)
    below = z - best[:, arts]
    margin = np.maximum(below, below.T)
    sequence = np.zeros((n, n))
    for step in (-1, 1):
        idx = np.arange(n) + step
        ok = (idx >= 0) & (idx < n)
        ok[ok] &= arts[idx[ok]] == arts[ok]
        rows = np.flatnonzero(ok)
        shifted = p[np.ix_(idx[rows], idx[rows])]
        sequence[np.ix_(rows, rows)] = np.maximum(sequence[np.ix_(rows, rows)], shifted)
    path = np.zeros((n, n))
    near = np.argsort(-p, axis=1, kind="stable")[:, : min(PATH_FANOUT, n)]
    for i in range(n):
        via = near[i][p[i, near[i]] > 0]
        if len(via):
            chain = np.minimum(p[i, via][:, None], p[via])
            chain[arts[via][:, None] == arts[None, :]] = 0.0
            path[i] = chain.max(axis=0)
    path = np.maximum(path, path.T)
    order = np.zeros(n)
    for a in np.unique(arts):
        order[arts == a] = np.arange(np.sum(arts == a))
    opens = np.exp(-order / 2.0)
    feats = np.stack([z, margin, sequence, path, opens[:, None] * opens[None, :]], axis=-1)
    return np.where(apart[..., None], feats, 0.0)


@pytest.fixture
def tiny_blocks(monkeypatch):
    """Pairwise matrices computed two or three rows at a time, so small inputs cross blocks."""
    monkeypatch.setattr(lexical, "BLOCK_ROWS", 2)
    monkeypatch.setattr(match, "BLOCK_ROWS", 3)
    monkeypatch.setattr(induce, "BLOCK_ROWS", 3)


@pytest.mark.parametrize("seed", range(6))
def test_share_features_in_blocks_are_those_computed_whole(seed, tiny_blocks):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    arts = np.sort(rng.integers(0, int(rng.integers(2, 6)), n))
    same_z = rng.normal(-2.0, 4.0, (n, n))
    if seed % 2:
        same_z = np.round(same_z)  # ties among the closest sentences of a path
    assert np.array_equal(share_features(same_z, arts), _plain_share_features(same_z, arts))


def test_share_probabilities_in_blocks_are_those_computed_whole(encoder, tiny_blocks):
    sentences = [*SENTENCES, *[SentenceText(10 + i, "d", s.text) for i, s in enumerate(SENTENCES)]]
    params = InduceParams()
    arts, share = share_probabilities(sentences, encoder, params)

    ctx = match.build_context([], sentences, encoder)
    apart = arts[:, None] != arts[None, :]
    same_z = match_languages(
        match.same_claim_logits(ctx, params.link), ctx.same_same_language, apart,
        params.cross_discount,
    )
    z = share_logits(_plain_share_features(same_z, arts), params)
    expected = np.where(apart, 1.0 / (1.0 + np.exp(-z)), np.nan)
    assert np.array_equal(share, expected, equal_nan=True)


def test_link_evidence_in_blocks_is_that_computed_whole(encoder, monkeypatch):
    claims = [match.ClaimText("A", "DCI is owned by the French state.")]
    merged = "Babcock, which builds warships in Britain, met DCI; the talks went on for hours."
    sentences = [*SENTENCES, SentenceText(6, "c", merged)]
    whole = match.build_context(claims, sentences, encoder)
    assert len(whole.clause_owner) >= 2  # its clauses and asides are compared too
    monkeypatch.setattr(lexical, "BLOCK_ROWS", 2)
    monkeypatch.setattr(match, "BLOCK_ROWS", 2)
    blocks = match.build_context(claims, sentences, encoder)
    for name in ("pair_same", "pair_cross", "same_same", "same_cross", "clause_same"):
        assert np.array_equal(getattr(whole, name), getattr(blocks, name)), name
    assert np.array_equal(
        match.same_claim_logits(whole, match.LinkParams()),
        match.same_claim_logits(blocks, match.LinkParams()),
    )


def test_the_bench_times_inducing_a_synthetic_story_and_its_peak_memory():
    from app.bench import induce_figures

    figures = induce_figures(ROOT / "seeds", articles=3)
    assert set(figures) == {"induce_3_articles_s", "induce_3_articles_peak_mb"}
    assert 0 < figures["induce_3_articles_s"] < 30
    assert 0.1 < figures["induce_3_articles_peak_mb"] < 200
