"""Figures of the official evaluation (``python -m app evaluate``) on the labelled seed story.

The bars asserted are NOT the product targets (pairwise F1 >= 0.90 and linked accuracy >= 0.95
with the dossier, F1 >= 0.75 with induced claims), which the engine does not reach yet: they are
the figures it reaches now minus a margin of about 0.03, so a regression fails the test.
Reached with the dossier: F1 0.710, linked accuracy 0.880, exact accuracy 0.778; with induced
claims: F1 0.610. The leave-one-article-out figures (``python -m app.linking.calibrate``) are
lower (F1 0.626 with the dossier): the seed figures are fitted on the seed gold.
"""

from pathlib import Path

import pytest

from app.evaluate import GOLD, evaluate_seed_story

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(GOLD).exists(), reason="seed gold missing"),
]


def test_seed_story_with_dossier():
    scores = evaluate_seed_story(True).scores
    assert scores.f1 >= 0.68
    assert scores.linked_accuracy >= 0.85
    assert scores.exact_accuracy is not None and scores.exact_accuracy >= 0.75


def test_seed_story_with_induced_claims():
    scores = evaluate_seed_story(False).scores
    assert scores.f1 >= 0.58
