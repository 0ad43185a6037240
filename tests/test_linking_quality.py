"""Figures of the official evaluation (``python -m app evaluate``) on the labelled seed story,
and of leave-one-article-out cross-validation (``python -m app.linking.calibrate``).

The bars asserted are NOT the product targets (pairwise F1 >= 0.90 and linked accuracy >= 0.95
with the dossier, F1 >= 0.75 with induced claims), which the engine does not reach yet: they are
the figures it reaches now minus a margin of about 0.03, so a regression fails the test.
Reached with the dossier: F1 0.853, linked accuracy 0.935, exact accuracy 0.880; with induced
claims: F1 0.738. Cross-validated with the dossier (each article linked by models fitted on the
other four): F1 0.812, linked accuracy 0.907, exact accuracy 0.824; with induced claims (the
pairs touching each article left out, claims induced with models fitted on the other four):
F1 0.742. Across languages (claims induced from the seed articles and one rendering of
``eval/multilingual.json``, the cross-language discount chosen on the other renderings): F1
0.667 fr, 0.667 it, 0.610 de, 0.667 es, 0.567 pl, 0.645 ru, 0.632 uk.
"""

from pathlib import Path

import pytest

from app.evaluate import GOLD, evaluate_seed_story
from app.linking import default_encoder
from app.linking.calibrate import (
    SHARED,
    cross_language_discount,
    cross_validate,
    cross_validate_induced,
    cross_validate_joining,
    cross_validate_languages,
    joining_stories,
    prepare,
    prepare_translated,
)
from app.linking.induce import InduceParams
from app.linking.match import LinkParams
from app.text.segment import segment

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(GOLD).exists(), reason="seed gold missing"),
]


def test_seed_story_with_dossier():
    scores = evaluate_seed_story(True).scores
    assert scores.f1 >= 0.82
    assert scores.linked_accuracy >= 0.90
    assert scores.exact_accuracy is not None and scores.exact_accuracy >= 0.85


def test_close_calls_hold_most_of_the_claims_the_links_miss():
    """Figures: 10 of the 13 missed gold claims are among 54 close calls."""
    calls = evaluate_seed_story(True).close_calls
    assert calls.missed > 0 and calls.found >= 0.6 * calls.missed
    assert calls.found >= 0.12 * calls.shown, "an editor must not wade through noise"


def test_seed_story_with_induced_claims():
    scores = evaluate_seed_story(False).scores
    assert scores.f1 >= 0.72


def test_cross_validated_figures_on_articles_left_out():
    cv, _, _, folds = cross_validate(
        GOLD, SHARED / "eval/claims.json", SHARED / "seeds", default_encoder(), segment
    )
    assert len(folds) == 5
    assert cv.f1 >= 0.78
    assert cv.linked_accuracy >= 0.88
    assert cv.exact_accuracy is not None and cv.exact_accuracy >= 0.79


def test_cross_validated_induced_claims_on_articles_left_out():
    story = prepare(GOLD, SHARED / "eval/claims.json", SHARED / "seeds", default_encoder(), segment)
    cv, _ = cross_validate_induced(story, default_encoder())
    assert cv.f1 >= 0.74


def test_cross_language_discount_chosen_on_other_languages_holds_on_the_one_left_out():
    story = prepare(GOLD, SHARED / "eval/claims.json", SHARED / "seeds", default_encoder(), segment)
    held, chosen = cross_language_discount(story, default_encoder(), segment, InduceParams())
    assert set(held) == {"fr", "it", "de", "es", "pl", "ru", "uk"}
    assert all(scores.f1 >= 0.54 for _, scores in held.values())
    assert chosen == InduceParams().cross_discount


def test_a_foreign_article_joining_the_story_links_with_models_fitted_on_other_languages():
    """The cross-language same-claim model fitted on the other languages' translated articles
    (figures: F1 de 0.68, es 0.64, fr 0.66, ru 0.62)."""
    joining = joining_stories(
        ["fr", "de", "es", "ru"], GOLD, SHARED / "eval/claims.json", SHARED / "seeds",
        default_encoder(), segment,
    )
    held = cross_validate_joining(joining, LinkParams())
    assert set(held) == {"fr", "de", "es", "ru"}
    assert all(scores.f1 >= 0.59 for scores in held.values())


def test_ukrainian_read_by_the_fallback_encoder_with_models_fitted_on_other_languages():
    """The fallback encoder's cross-language models fitted on the other four translations read
    by it (figure: F1 0.43; 0.23 when the main encoder reads Ukrainian)."""
    stories = {
        language: prepare_translated(
            language, GOLD, SHARED / "eval/claims.json", SHARED / "seeds", default_encoder(),
            segment, by_fallback=True,
        )
        for language in ("fr", "de", "es", "ru", "uk")
    }
    held = cross_validate_languages(stories, LinkParams(), kind="unseen")
    assert held["uk"].f1 >= 0.38
    assert held["uk"].linked_accuracy >= 0.7
