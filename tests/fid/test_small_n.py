"""FID vs N on Gaussians with a known FID: the bias shrinks with N and FID-infinity removes most of it."""

from __future__ import annotations

import numpy as np
import pytest

from models.fid.small_n import default_sizes, fid_curve, fit_fid_infinity


def test_fit_recovers_an_exact_line():
    n = np.array([100, 200, 400, 800])
    a, b = fit_fid_infinity(n, 3.5 + 120.0 / n)
    assert a == pytest.approx(3.5) and b == pytest.approx(120.0)


def test_fid_infinity_is_closer_to_the_true_value():
    rng = np.random.default_rng(0)
    d, s = 32, 1.3
    m = np.full(d, 0.1)
    true_fid = float(m @ m + d * (1 - s) ** 2)  # N(0, I) vs N(m, s^2 I)
    x1, x2 = rng.normal(size=(2000, d)), rng.normal(size=(2000, d)) * s + m
    curve = fid_curve(x1, x2, sizes=default_sizes(2000), repeats=4, seed=1)
    assert np.all(np.diff(curve.fid) < 0)  # larger N, smaller bias
    assert curve.slope > 0
    assert abs(curve.fid_inf - true_fid) < 0.5 * abs(curve.fid[-1] - true_fid)
