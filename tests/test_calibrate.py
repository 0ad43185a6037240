"""The story and share models' fit: a logistic model over features and their products."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from app.linking.calibrate import fit_monotone_quadratic, fit_quadratic, raw_quadratic
from app.linking.induce import InduceParams, share_logits
from app.linking.match import products


def _interaction_data(n: int = 600):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(n, 3)) * [1.0, 5.0, 0.2] + [0.0, 3.0, -1.0]
    y = (x[:, 0] * (x[:, 1] - 3.0) > 0).astype(int)
    return x, y


def test_the_quadratic_story_model_reads_the_same_over_raw_features_as_fitted():
    x, y = _interaction_data()
    model = fit_quadratic(x, y)
    weights, bias, pairs = raw_quadratic(model)
    z = x @ weights + bias + products(x) @ pairs
    assert np.allclose(z, model.decision_function(x), atol=1e-8)


def test_the_quadratic_story_model_learns_what_two_features_say_together():
    x, y = _interaction_data()
    weights, bias, pairs = raw_quadratic(fit_quadratic(x, y))
    with_products = ((x @ weights + bias + products(x) @ pairs) > 0) == y
    assert with_products.mean() > 0.9
    assert LogisticRegression().fit(x, y).score(x, y) < 0.75, "a sum of features cannot"


def test_products_pair_every_feature_with_itself_and_each_later_one():
    feats = np.array([[2.0, 3.0, 5.0]])
    assert products(feats).tolist() == [[4.0, 6.0, 10.0, 9.0, 15.0, 25.0]]


def test_the_share_model_adds_each_product_as_the_story_model_does():
    rng = np.random.default_rng(3)
    feats = rng.normal(size=(4, 6, 5))
    weights, bias, pairs = rng.normal(size=5), -1.5, rng.normal(size=15)
    params = InduceParams(
        share_weights=tuple(weights), share_bias=bias, share_pairs=tuple(pairs)
    )
    expected = feats @ weights + bias + products(feats) @ pairs
    assert np.allclose(share_logits(feats, params), expected)
    linear = InduceParams(share_weights=tuple(weights), share_bias=bias, share_pairs=())
    assert np.allclose(share_logits(feats, linear), feats @ weights + bias), (
        "without products the share model stays linear"
    )


def _slopes(weights, pairs, x, k, step=1e-4):
    """The model's log-odds slope along feature ``k`` at each row of ``x``."""
    def z(v):
        return v @ weights + products(v) @ pairs
    moved = x.copy()
    moved[:, k] += step
    return (z(moved) - z(x)) / step


def test_the_monotone_share_model_never_falls_along_its_increasing_features():
    rng = np.random.default_rng(5)
    x = rng.uniform([-3.0, 0.0, 0.0], [3.0, 1.0, 1.0], size=(800, 3))
    y = ((x[:, 0] ** 2 > 2.0) ^ (x[:, 1] * x[:, 2] > 0.25)).astype(int)
    box = rng.uniform([-3.0, 0.0, 0.0], [3.0, 1.0, 1.0], size=(500, 3))
    free_w, _, free_pairs = raw_quadratic(fit_quadratic(x, y, 3.0))
    assert (_slopes(free_w, free_pairs, box, 0) < -0.1).any(), "unconstrained, it falls"
    weights, bias, pairs = fit_monotone_quadratic(
        x, y, 3.0, (-3.0, 0.0, 0.0), (3.0, 1.0, 1.0), increasing=(0,)
    )
    assert (_slopes(weights, pairs, box, 0) >= -1e-6).all()


def test_the_monotone_share_model_still_learns_what_free_features_say_together():
    x, y = _interaction_data()
    low, high = x.min(axis=0), x.max(axis=0)
    weights, bias, pairs = fit_monotone_quadratic(x, y, 1.0, low, high, increasing=(2,))
    assert (((x @ weights + bias + products(x) @ pairs) > 0) == y).mean() > 0.9
