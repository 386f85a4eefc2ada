"""The Fréchet distance against closed forms, pytorch-fid, rank-deficient and offset data."""

from __future__ import annotations

import numpy as np
import pytest
from pytorch_fid.fid_score import calculate_frechet_distance
from scipy.stats import ortho_group

from models.fid.frechet import frechet_distance, frechet_terms, trace_sqrt_product
from models.fid.stats import feature_stats

RTOL = 1e-9


def _spd(rng, d, cond=100.0):
    q = ortho_group.rvs(d, random_state=rng)
    return (q * np.geomspace(1.0, 1.0 / cond, d)) @ q.T


@pytest.mark.parametrize("method", ["auto", "cholesky", "eigh"])
def test_diagonal_covariances(method):
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.1, 3, 50), rng.uniform(0.1, 3, 50)
    mu1, mu2 = rng.normal(size=50), rng.normal(size=50)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum(a + b - 2 * np.sqrt(a * b))  # = ||mu||^2 + ||sqrt a - sqrt b||^2
    tr, _, _ = trace_sqrt_product(np.diag(a), np.diag(b), method)
    assert tr == pytest.approx(np.sum(np.sqrt(a * b)), rel=RTOL)
    assert frechet_distance(mu1, np.diag(a), mu2, np.diag(b)) == pytest.approx(expected, rel=RTOL)


@pytest.mark.parametrize("method", ["auto", "eigh"])
def test_commuting_covariances(method):
    rng = np.random.default_rng(1)
    d = 40
    q = ortho_group.rvs(d, random_state=2)
    a, b = rng.uniform(0.01, 5, d), rng.uniform(0.01, 5, d)
    s1, s2 = (q * a) @ q.T, (q * b) @ q.T
    tr, _, _ = trace_sqrt_product(s1, s2, method)
    assert tr == pytest.approx(np.sum(np.sqrt(a * b)), rel=RTOL)
    t = frechet_terms(np.zeros(d), s1, np.ones(d), s2)
    assert t.fid == pytest.approx(d + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2), rel=RTOL)


def test_any_2x2_pair():
    # For 2x2 M = S1 S2 with eigenvalues l1, l2 >= 0: Tr sqrt(M) = sqrt(l1) + sqrt(l2) = sqrt(Tr M + 2 sqrt(det M)).
    rng = np.random.default_rng(3)
    for _ in range(200):
        a, b = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
        s1, s2 = a @ a.T + 1e-3 * np.eye(2), b @ b.T + 1e-3 * np.eye(2)
        m = s1 @ s2
        closed = np.sqrt(np.trace(m) + 2 * np.sqrt(np.linalg.det(m)))
        assert trace_sqrt_product(s1, s2)[0] == pytest.approx(closed, rel=RTOL)


def test_equal_covariances_leave_only_the_mean_term():
    rng = np.random.default_rng(4)
    s = _spd(rng, 64)
    mu1, mu2 = rng.normal(size=64), rng.normal(size=64)
    t = frechet_terms(mu1, s, mu2, s)
    assert t.fid == pytest.approx(np.sum((mu1 - mu2) ** 2), rel=RTOL)
    assert abs(t.trace_term) < 1e-12 * np.trace(s)


def test_one_set_collapsed_to_a_point():
    rng = np.random.default_rng(5)
    s = _spd(rng, 30)
    mu1, mu2 = rng.normal(size=30), rng.normal(size=30)
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(s)
    assert frechet_distance(mu1, s, mu2, np.zeros((30, 30))) == pytest.approx(expected, rel=RTOL)
    assert frechet_distance(mu1, np.zeros((30, 30)), mu2, s) == pytest.approx(expected, rel=RTOL)
    assert frechet_distance(mu1, np.zeros((30, 30)), mu1, np.zeros((30, 30))) == 0.0


def test_rank_deficient_when_n_below_d_is_exact():
    # N < d: S = A^T A with A (N, d); Tr sqrt(S1 S2) = nuclear norm of A1 A2^T, computed independently.
    rng = np.random.default_rng(6)
    d, n = 300, 40
    x1, x2 = rng.normal(size=(n, d)), rng.normal(size=(n, d)) * 1.5 + 0.2
    s1, s2 = feature_stats(x1), feature_stats(x2)
    a1, a2 = (x1 - x1.mean(0)) / np.sqrt(n - 1), (x2 - x2.mean(0)) / np.sqrt(n - 1)
    exact_tr = np.linalg.svd(a1 @ a2.T, compute_uv=False).sum()
    t = frechet_terms(s1.mu, s1.sigma, s2.mu, s2.sigma)
    assert t.rank1 == t.rank2 == n - 1
    assert np.isfinite(t.fid)
    assert t.tr_sqrt == pytest.approx(exact_tr, rel=1e-9)
    expected = np.sum((s1.mu - s2.mu) ** 2) + np.trace(s1.sigma) + np.trace(s2.sigma) - 2 * exact_tr
    assert t.fid == pytest.approx(expected, rel=1e-9)


def test_large_common_offset_loses_no_precision():
    rng = np.random.default_rng(7)
    x1, x2 = rng.normal(size=(500, 20)), rng.normal(size=(500, 20)) * 1.2 + 0.1
    base = [feature_stats(x) for x in (x1, x2)]
    shifted = [feature_stats(x + 1e6) for x in (x1, x2)]
    f0 = frechet_distance(base[0].mu, base[0].sigma, base[1].mu, base[1].sigma)
    f1 = frechet_distance(shifted[0].mu, shifted[0].sigma, shifted[1].mu, shifted[1].sigma)
    assert f1 == pytest.approx(f0, rel=1e-8)
    # A naive float32 mean/covariance at this offset is far off: the test data do probe the problem.
    naive = np.cov((x1 + 1e6).astype(np.float32).astype(np.float32), rowvar=False, dtype=np.float32)
    assert not np.allclose(naive, base[0].sigma, rtol=1e-3)


@pytest.mark.parametrize("n", [3000, 400])
def test_agrees_with_pytorch_fid(n):
    rng = np.random.default_rng(8)
    d = 64
    x1 = rng.normal(size=(n, d)) @ rng.normal(size=(d, d))
    x2 = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) * 0.7 + 0.3
    s1, s2 = feature_stats(x1), feature_stats(x2)
    ref = calculate_frechet_distance(s1.mu, s1.sigma, s2.mu, s2.sigma)
    assert frechet_distance(s1.mu, s1.sigma, s2.mu, s2.sigma) == pytest.approx(ref, rel=1e-6)


def test_bad_shapes_and_values_are_explained():
    with pytest.raises(ValueError, match="same extractor"):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))
    with pytest.raises(ValueError, match="NaN"):
        frechet_distance(np.full(2, np.nan), np.eye(2), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="at least 2"):
        feature_stats(np.zeros((1, 5)))
