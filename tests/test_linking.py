"""Linking engine: encoder caching, behaviour of link_sentences, the seed bars, other languages."""

from dataclasses import replace

import numpy as np
import pytest

from app.linking import (
    CachingEncoder,
    ClaimText,
    Exemplar,
    MemoryStore,
    SentenceText,
    default_encoder,
    link_sentences,
)
from app.linking.clauses import asides, split_clauses
from app.linking.match import (
    STORY_FEATURES,
    LinkParams,
    build_context,
    clause_logits,
    pair_logits,
    probabilities,
    read_links,
    same_claim_logits,
    story_features,
)
from app.settings import ROOT

SHARED = ROOT.parent / "shared"
needs_seeds = pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="seed data missing")

CLAIMS = [
    ClaimText("LM15", "The French state owns 55% of DCI."),
    ClaimText("LM16", "About 80% of DCI's staff are former military personnel."),
    ClaimText(
        "LM19", "British firm Babcock already repairs and maintains military equipment in Ukraine."
    ),
    ClaimText(
        "LM10",
        "In a BBC interview on 23 November, Barrot urged Western allies not to set or state "
        "red lines on their support for Ukraine.",
    ),
]


@pytest.fixture(scope="session")
def encoder():
    return default_encoder()


def linked(results):
    out = {}
    for r in results:
        out.setdefault(r.sentence_id, set()).add(r.claim_key)
    return out


def test_encoder_returns_normalised_float32(encoder):
    vectors = encoder.encode(["one sentence", "une phrase"])
    assert vectors.shape == (2, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_caching_encoder_encodes_each_text_once(encoder):
    calls = []

    class Counting:
        name = encoder.name

        def encode(self, texts):
            calls.append(list(texts))
            return encoder.encode(texts)

    cached = CachingEncoder(Counting(), MemoryStore())
    first = cached.encode(["a text", "another text", "a text"])
    second = cached.encode(["another text", "a text"])
    assert calls == [["a text", "another text"]]
    assert np.allclose(first[1], second[0]) and np.allclose(first[0], first[2])


def test_paraphrases_link_and_commentary_does_not(encoder):
    """A loose paraphrase ("holds a 55% stake") links when another outlet words the claim too,
    as in any story of more than one outlet."""
    sentences = [
        SentenceText(1, "a", "France's government holds a 55% stake in DCI."),
        SentenceText(2, "a", "The weather in Paris was mild on Tuesday, with light rain."),
        SentenceText(3, "b", "Barrot told the BBC that allies should not declare any red lines."),
        SentenceText(4, "b", "DCI is 55% owned by the French state."),
    ]
    got = linked(link_sentences(CLAIMS, sentences, encoder))
    assert got.get(1) == {"LM15"}
    assert 2 not in got
    assert got.get(3) == {"LM10"}
    assert got.get(4) == {"LM15"}


def test_scores_read_as_confidences(encoder):
    sentences = [SentenceText(1, "a", "France's government holds a 55% stake in DCI.")]
    results = link_sentences(CLAIMS, sentences, encoder)
    assert all(0.5 <= r.score <= 1.0 for r in results)


def test_editor_decisions_are_kept_and_respected(encoder):
    sentences = [
        SentenceText(1, "a", "France's government holds a 55% stake in DCI."),
        SentenceText(2, "a", "The weather in Paris was mild on Tuesday, with light rain."),
    ]
    results = link_sentences(
        CLAIMS, sentences, encoder, confirmed={2: {"LM19"}}, rejected={1: {"LM15"}}
    )
    got = linked(results)
    assert "LM15" not in got.get(1, set())
    assert got[2] == {"LM19"}
    assert next(r.score for r in results if r.sentence_id == 2) == 1.0


def test_linking_is_deterministic(encoder):
    sentences = [SentenceText(i, i % 2, c.text.upper()) for i, c in enumerate(CLAIMS)]
    assert link_sentences(CLAIMS, sentences, encoder) == link_sentences(CLAIMS, sentences, encoder)


def test_exemplars_extend_what_a_claim_matches(encoder):
    sentence = SentenceText(1, "new", "Ex-soldiers make up four fifths of the company's workforce.")
    exemplar = Exemplar("LM16", "Four in five of the firm's employees are ex-soldiers.", None, "b")
    lm16 = [c.key for c in CLAIMS].index("LM16")
    without = probabilities(build_context(CLAIMS, [sentence], encoder), LinkParams())[0]
    with_ex = probabilities(build_context(CLAIMS, [sentence], encoder, [exemplar]), LinkParams())[0]
    assert with_ex[lm16] > 2 * without[lm16]
    assert int(np.argmax(with_ex)) == lm16


def test_context_sentences_vouch_only_for_what_they_carry(encoder):
    """A new sentence close to a story sentence takes that sentence's claim, not another."""
    sentence = SentenceText(1, "new", "Ex-soldiers make up four fifths of the company's workforce.")
    story = [SentenceText(10, "b", "Four in five of the firm's employees are ex-soldiers.")]
    lm16 = [c.key for c in CLAIMS].index("LM16")
    ctx = build_context(CLAIMS, [sentence], encoder, context=story)
    carries = read_links(ctx, LinkParams(threshold=0.15), known={10: {"LM16": 1.0}}).links
    carries_not = read_links(ctx, LinkParams(threshold=0.15), known={10: {}}).links
    assert {(r.sentence_id, r.claim_key) for r in carries} == {(1, "LM16")}
    assert carries_not == []
    assert probabilities(ctx, LinkParams())[0, lm16] > 0.0


def test_linking_within_an_article_ignores_the_article_itself(encoder):
    """Repetitions inside one article (headline, lead) do not confirm each other."""
    sentences = [
        SentenceText(1, "a", "Ex-soldiers make up four fifths of the company's workforce."),
        SentenceText(2, "a", "Four in five of the firm's employees are ex-soldiers."),
    ]
    ctx = build_context(CLAIMS, sentences, encoder)
    assert np.isneginf(same_claim_logits(ctx, LinkParams())).all()


def test_french_and_italian_renderings_link_to_english_claims(encoder):
    sentences = [
        SentenceText("fr1", "fr", "L'État français détient 55 % du capital de DCI.", "fr"),
        SentenceText(
            "fr2",
            "fr",
            "La société britannique Babcock répare déjà du matériel militaire en Ukraine.",
            "fr",
        ),
        SentenceText("fr3", "fr", "Le festival de cinéma s'ouvre demain à Cannes.", "fr"),
        SentenceText(
            "it1", "it", "Circa l'80% del personale di DCI è composto da ex militari.", "it"
        ),
        SentenceText("it2", "it", "Il ristorante propone una cucina tradizionale toscana.", "it"),
    ]
    got = linked(link_sentences(CLAIMS, sentences, encoder))
    assert got.get("fr1") == {"LM15"}
    assert got.get("fr2") == {"LM19"}
    assert got.get("it1") == {"LM16"}
    assert "fr3" not in got and "it2" not in got


def test_clauses_split_after_a_leading_subordinate_clause_and_before_yet():
    assert split_clauses(
        "While the ministry has given no official approval to deploying troops, proposals "
        "have been circulating for months."
    ) == [
        "While the ministry has given no official approval to deploying troops",
        "proposals have been circulating for months.",
    ]
    assert split_clauses(
        "The talks are mostly classified, yet they have resumed ahead of the inauguration."
    ) == ["The talks are mostly classified", "yet they have resumed ahead of the inauguration."]
    assert split_clauses("While in Paris, he spoke.") == []


def test_an_aside_between_two_commas_is_read_alone_and_without_the_sentence_around_it():
    assert asides(
        "These discussions, most of which remain classified, have been revived, Le Monde says."
    ) == [
        "most of which remain classified",
        "These discussions have been revived, Le Monde says.",
        "have been revived",
        "These discussions, most of which remain classified Le Monde says.",
    ]
    assert asides("Ces discussions, en grande partie confidentielles, ont repris.") == [
        "en grande partie confidentielles",
        "Ces discussions ont repris.",
    ]
    assert asides("One comma, not two.") == []
    assert asides("Paris, Berlin, Rome and Madrid agreed.") == []


def test_a_run_on_text_far_longer_than_a_sentence_is_not_read_for_asides():
    sentence = "These talks, largely classified, have resurfaced"
    assert asides(sentence + ".")
    assert asides(sentence + " and went on" * 30 + ".") == []


def _clause_feature(ctx):
    """The story model's ``clause`` evidence of every sentence against every claim."""
    params = LinkParams()
    features = story_features(
        ctx, pair_logits(ctx, params), same_claim_logits(ctx, params),
        clause_z=clause_logits(ctx, params),
    )
    return features[:, :, STORY_FEATURES.index("clause")]


def test_an_aside_carries_the_claim_next_to_the_best_as_a_clause_of_its_own(encoder):
    claims = [
        ClaimText("A1", "These discussions are sensitive and mostly classified."),
        ClaimText(
            "A2",
            "They were revived because the United States may withdraw its support for Kyiv once "
            "Donald Trump takes office.",
        ),
        ClaimText("A3", "The French state owns 55% of DCI."),
    ]
    merged = SentenceText(
        1, "a", "These talks, which are sensitive and largely classified, have resurfaced as the "
        "United States may withdraw its support for Kyiv under Donald Trump.",
    )
    ctx = build_context(claims, [merged], encoder)
    whole = pair_logits(ctx, LinkParams())[0]
    assert whole.argmax() == 1
    assert clause_logits(ctx, LinkParams())[:, 0].max() > whole[0] + 2
    clause = _clause_feature(ctx)
    assert clause[0, 0] > 0.5
    assert clause[0, 2] == 0.0


def test_a_clause_of_its_own_is_evidence_for_the_claim_next_to_the_best(encoder):
    claims = [
        ClaimText(
            "A1",
            "The armed forces ministry has not officially approved sending regular troops or "
            "private contractors.",
        ),
        ClaimText("A2", "Proposals to do so have been on the table for several months."),
        ClaimText("A3", "The French state owns 55% of DCI."),
    ]
    merged = SentenceText(
        1, "a", "While the ministry has given no official approval to deploying troops or "
        "contractors, proposals have been circulating for months.",
    )
    single = SentenceText(2, "b", "Proposals have been circulating for months.")
    clause = _clause_feature(build_context(claims, [merged, single], encoder))
    assert clause[0, 1] > 0.5
    assert clause[0, 2] == 0.0
    assert not clause[1].any()


class _Recording:
    """An encoder that remembers every text it was asked for."""

    def __init__(self, inner):
        self.inner, self.name, self.texts = inner, inner.name, []

    def encode(self, texts):
        self.texts += list(texts)
        return self.inner.encode(texts)


def test_linking_without_asides_never_encodes_them(encoder):
    """Choosing an upload's story only counts linked sentences, so it skips the asides."""
    claims = [ClaimText("A1", "These discussions are sensitive and mostly classified.")]
    text = "These talks, which are sensitive and largely classified, have resurfaced in Paris."
    with_them, without = _Recording(encoder), _Recording(encoder)
    link_sentences(claims, [SentenceText(1, "a", text)], with_them)
    link_sentences(claims, [SentenceText(1, "a", text)], without, with_asides=False)
    readings = set(asides(text))
    assert readings and readings <= set(with_them.texts)
    assert not readings & set(without.texts)
    assert text in without.texts


def test_a_sentence_in_another_language_than_the_claims_is_read_by_the_cross_language_model(
    encoder,
):
    sentences = [
        SentenceText("en", "a", "The French state holds 55% of DCI.", "en"),
        SentenceText("fr", "b", "L'État français détient 55 % du capital de DCI.", "fr"),
    ]
    ctx = build_context(CLAIMS, sentences, encoder)
    base = LinkParams()
    shifted = replace(base, cross_story_bias=base.cross_story_bias - 5.0)
    before, after = probabilities(ctx, base), probabilities(ctx, shifted)
    assert after[0, 0] == before[0, 0]
    assert after[1, 0] < before[1, 0]


def test_a_sentence_is_measured_against_the_story_median_of_its_own_reading(encoder):
    """Unrelated text scores higher across languages than within one, so a French sentence in
    an English story is compared with the story's other cross-language readings only."""
    sentences = [
        SentenceText(f"en{i}", f"e{i}", text, "en")
        for i, text in enumerate(
            ["The festival opens tomorrow in Cannes.", "Rain is expected all week.",
             "The museum reopens after two years of work."]
        )
    ] + [
        SentenceText("fr0", "f0", "Le festival s'ouvre demain à Cannes.", "fr"),
        SentenceText("fr1", "f1", "De la pluie est attendue toute la semaine.", "fr"),
    ]
    ctx = build_context(CLAIMS, sentences, encoder)
    params = LinkParams()
    z = pair_logits(ctx, params)
    standard = story_features(ctx, z, same_claim_logits(ctx, params))[..., 5]
    assert not ctx.pair_same_language[3:].any() and ctx.pair_same_language[:3].all()
    np.testing.assert_allclose(standard[3:], z[3:] - np.median(z[3:], axis=0), rtol=1e-6)
    np.testing.assert_allclose(standard[:3], z[:3] - np.median(z[:3], axis=0), rtol=1e-6)


class _KnowsOnly:
    """An encoder trained on ``languages`` only, with a fallback for the others."""

    def __init__(self, inner, languages, fallback):
        self.inner, self.name = inner, inner.name
        self.languages, self.fallback = frozenset(languages), fallback

    def encode(self, texts):
        return self.inner.encode(texts)


def test_a_sentence_in_a_language_the_encoder_never_learned_is_read_by_its_fallback(encoder):
    fallback = _Recording(default_encoder().fallback)
    sentences = [
        SentenceText("en", "a", "The French state holds 55% of DCI.", "en"),
        SentenceText("uk", "b", "Французька держава володіє 55% акцій DCI.", "uk"),
    ]
    ctx = build_context(CLAIMS, sentences, _KnowsOnly(encoder, {"en"}, fallback))

    assert ctx.pair_unseen[1].all() and not ctx.pair_unseen[0].any()
    assert sentences[1].text in fallback.texts
    assert sentences[0].text not in fallback.texts
    assert {c.text for c in CLAIMS} <= set(fallback.texts)
    base = LinkParams()
    shifted = replace(base, unseen_story_bias=base.unseen_story_bias - 5.0)
    before, after = probabilities(ctx, base), probabilities(ctx, shifted)
    assert after[0, 0] == before[0, 0]
    assert after[1, 0] < before[1, 0]
    assert np.argmax(before[1]) == 0


def test_an_encoder_without_a_fallback_reads_every_language_itself(encoder):
    plain = _Recording(encoder)
    sentences = [SentenceText("uk", "b", "Французька держава володіє 55% акцій DCI.", "uk")]
    ctx = build_context(CLAIMS, sentences, plain)
    assert not ctx.pair_unseen.any()


def test_the_default_encoder_hands_the_languages_it_never_learned_to_its_fallback():
    main = default_encoder()
    assert {"en", "fr", "de", "es", "ru", "pl", "it"} <= main.languages
    assert "uk" not in main.languages
    assert main.fallback.name != main.name
    cached = CachingEncoder(main, MemoryStore())
    assert cached.languages == main.languages
    assert cached.fallback.name == main.fallback.name
    vectors = cached.fallback.encode(["Французька держава володіє 55% акцій DCI."])
    assert vectors.shape == (1, main.fallback.dim)
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)


def test_an_article_tagged_with_a_regional_language_code_is_read_in_its_language(encoder):
    """An upload tagged en-GB is English: read against English claims with the lexical
    evidence, not as a translation."""
    sentences = [SentenceText("gb", "a", "The French state holds 55% of DCI.", "en-GB")]
    ctx = build_context([ClaimText("LM15", "The French state owns 55% of DCI.", "en")],
                        sentences, encoder)
    assert ctx.pair_same_language.all()
    assert not ctx.pair_unseen.any()
