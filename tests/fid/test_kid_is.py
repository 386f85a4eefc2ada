"""KID against a brute-force double loop; Inception Score against closed forms and scipy's entropy."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import entropy

from models.fid.inception_score import inception_score
from models.fid.kid import KID, kernel_inception_distance, kid_warnings, mmd2_unbiased, subset_size_for


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
    same = kernel_inception_distance(x, y, subsets=50)
    assert same.subset_size == 200 and same.subsets == 50 and same.std > 0
    assert abs(same.mean) < same.std
    far = kernel_inception_distance(x, y + 0.5, subsets=50)
    assert far.mean > 10 * same.std


def test_subsets_are_half_the_smaller_set_so_their_spread_is_real():
    # with m = N for both sets every subset would be the whole set and the spread 0 (the old "± 0")
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(50, 4)), rng.normal(size=(50, 4)) + 0.2
    k = kernel_inception_distance(x, y, subsets=30)
    assert k.subset_size == 25 and k.std > 0
    assert subset_size_for(5000, 3000) == 1000 and subset_size_for(3, 3) == 2
    with pytest.raises(ValueError, match="at least 2"):
        subset_size_for(1, 10)


def test_kid_equals_torch_fidelity_on_the_same_subsets():
    tf_kid = pytest.importorskip("torch_fidelity.metric_kid")
    import torch

    rng = np.random.default_rng(4)
    x, y = rng.gamma(2.0, 0.3, size=(300, 64)), rng.gamma(2.2, 0.3, size=(260, 64))
    ours = kernel_inception_distance(x, y, subsets=40, seed=7)
    ref = tf_kid.kid_features_to_metric(torch.from_numpy(x), torch.from_numpy(y), kid_subsets=40,
                                        kid_subset_size=ours.subset_size, rng_seed=7, verbose=False)
    assert ours.mean == pytest.approx(ref[tf_kid.KEY_METRIC_KID_MEAN], rel=1e-9)
    assert ours.std == pytest.approx(ref[tf_kid.KEY_METRIC_KID_STD], rel=1e-9)


def test_kid_without_the_precomputed_kernel_gives_the_same_numbers(monkeypatch):
    import models.fid.kid as kid

    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(120, 6)), rng.normal(size=(90, 6)) * 1.1
    fast = kid.kernel_inception_distance(x, y, subsets=10, seed=2)
    monkeypatch.setattr(kid, "_FULL_KERNEL_MAX", 0)  # the per-subset path, used for large sets
    slow = kid.kernel_inception_distance(x, y, subsets=10, seed=2)
    assert fast.mean == pytest.approx(slow.mean, rel=1e-10) and fast.std == pytest.approx(slow.std, rel=1e-10)


def test_mmd2_closed_form_for_two_point_sets():
    # x = {a, a}, y = {b, b} in d = 1: MMD^2_u = k(a,a) + k(b,b) - 2 k(a,b), with k = (ab + 1)^3
    x, y = np.array([[0.5], [0.5]]), np.array([[-1.0], [-1.0]])
    k = lambda a, b: (a * b + 1.0) ** 3  # noqa: E731
    assert mmd2_unbiased(x, y) == pytest.approx(k(0.5, 0.5) + k(-1, -1) - 2 * k(0.5, -1), rel=1e-12)


def test_kid_warnings_say_what_n_is_needed():
    rng = np.random.default_rng(6)
    small = kernel_inception_distance(rng.normal(size=(100, 300)), rng.normal(size=(100, 300)), subsets=20)
    text = " ".join(kid_warnings(small))
    assert "m = 50" in text and "d = 300" in text and "N >= 600" in text
    assert "cannot tell" in " ".join(kid_warnings(KID(0.001, 0.01, 100, 1000, 5000, 5000, 64)))
    assert kid_warnings(KID(0.05, 0.01, 100, 1000, 5000, 5000, 64)) == []
    big = kernel_inception_distance(rng.normal(size=(400, 8)), rng.normal(size=(400, 8)) + 1.0, subsets=20)
    assert kid_warnings(big) == []


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
