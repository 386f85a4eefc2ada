"""KID against a brute-force double loop; Inception Score against closed forms and scipy's entropy."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import entropy

from models.fid.inception_score import inception_score
from models.fid.kid import kernel_inception_distance, mmd2_unbiased


def _mmd2_loops(x, y):
    d = x.shape[1]
    k = lambda a, b: (float(np.dot(a, b)) / d + 1.0) ** 3  # noqa: E731
    m, n = len(x), len(y)
    sxx = sum(k(x[i], x[j]) for i, j in itertools.permutations(range(m), 2)) / (m * (m - 1))
    syy = sum(k(y[i], y[j]) for i, j in itertools.permutations(range(n), 2)) / (n * (n - 1))
    sxy = sum(k(a, b) for a in x for b in y) / (m * n)
    return sxx + syy - 2 * sxy


def test_mmd2_matches_the_double_loop():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(17, 5)), rng.normal(size=(23, 5)) + 0.3
    assert mmd2_unbiased(x, y) == pytest.approx(_mmd2_loops(x, y), rel=1e-10)


def test_kid_is_unbiased_near_zero_for_one_distribution_and_positive_otherwise():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(400, 8)), rng.normal(size=(400, 8))
    same = kernel_inception_distance(x, y, subsets=20, subset_size=200)
    assert abs(same.mean) < 3 * same.std + 1e-3
    far = kernel_inception_distance(x, y + 0.5, subsets=20, subset_size=200)
    assert far.mean > 10 * max(same.std, 1e-4)
    whole = kernel_inception_distance(x[:50], y[:50], subset_size=1000)
    assert whole.subsets == 1 and whole.mean == pytest.approx(mmd2_unbiased(x[:50], y[:50]))


def test_inception_score_closed_forms():
    c = 10
    assert inception_score(np.full((100, c), 1 / c)).mean == pytest.approx(1.0)
    onehot = np.eye(c)[np.arange(200) % c]
    assert inception_score(onehot, splits=2).mean == pytest.approx(c)
    assert inception_score(np.eye(c)[np.zeros(50, int)], splits=1).mean == pytest.approx(1.0)


def test_inception_score_equals_entropy_difference():
    # exp(E KL(p(y|x) || p(y))) = exp(H(p(y)) - E H(p(y|x))).
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(300, 7)) * 2
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    expected = np.exp(entropy(p.mean(0)) - np.mean([entropy(r) for r in p]))
    assert inception_score(p, splits=1).mean == pytest.approx(expected, rel=1e-10)
    with pytest.raises(ValueError, match="probability"):
        inception_score(logits)
