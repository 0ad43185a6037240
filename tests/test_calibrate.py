"""The story model's fit: a logistic model over features and their products."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from app.linking.calibrate import fit_quadratic, raw_quadratic
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
