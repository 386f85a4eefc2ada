"""FID against the number of images N, and FID-infinity (Chong & Forsyth 2020).

FID from N samples is biased upwards, with a bias that shrinks like 1/N (the sample covariance's
square-root trace is biased). Chong & Forsyth (2020, "Effectively Unbiased FID and Inception Score
and where to find them", sec. 3) compute FID at several N, fit the line FID_N = FID_inf + k / N by
least squares, and report its intercept at 1 / N = 0 as FID-infinity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frechet import frechet_distance
from .stats import feature_stats


@dataclass(frozen=True)
class FidCurve:
    """FID at several N and the fitted line FID_N = fid_inf + slope / N.

    Attributes:
        n: (K,) subset sizes. fid: (K,) mean FID over ``repeats`` random subsets of each size.
        fid_std: (K,) their standard deviation.
        fid_inf: the intercept (the extrapolation to infinitely many images).
        slope: the fitted bias coefficient k (FID_N - FID_inf = k / N).
    """

    n: np.ndarray
    fid: np.ndarray
    fid_std: np.ndarray
    fid_inf: float
    slope: float
    repeats: int


def default_sizes(n_max: int, count: int = 6) -> np.ndarray:
    """Subset sizes from n_max / 5 to n_max, evenly spaced in 1 / N (as Chong & Forsyth)."""
    n_min = max(2, n_max // 5)
    inv = np.linspace(1.0 / n_min, 1.0 / n_max, count)
    return np.unique(np.round(1.0 / inv).astype(int))


def fit_fid_infinity(n: np.ndarray, fid: np.ndarray) -> tuple[float, float]:
    """Least-squares line fid = a + b / n; returns (a, b) = (FID_inf, slope)."""
    n, fid = np.asarray(n, np.float64), np.asarray(fid, np.float64)
    if n.size < 2:
        raise ValueError("FID-infinity needs FID at two or more different N.")
    design = np.stack([np.ones_like(n), 1.0 / n], axis=1)  # (K, 2)
    (a, b), *_ = np.linalg.lstsq(design, fid, rcond=None)
    return float(a), float(b)


def fid_curve(feat1: np.ndarray, feat2: np.ndarray, sizes: np.ndarray | None = None, repeats: int = 3,
              seed: int = 0) -> FidCurve:
    """FID between random subsets of N features of each set, for each N in ``sizes``.

    Args:
        feat1, feat2: (N1, d), (N2, d) features.
        sizes: subset sizes (each <= min(N1, N2)); default :func:`default_sizes`.
    """
    n_max = min(feat1.shape[0], feat2.shape[0])
    sizes = default_sizes(n_max) if sizes is None else np.asarray(sizes, int)
    if sizes.min() < 2 or sizes.max() > n_max:
        raise ValueError(f"Subset sizes must be between 2 and {n_max} (the smaller set).")
    rng = np.random.default_rng(seed)
    means, stds = [], []
    for n in sizes:
        vals = []
        for _ in range(repeats):
            s1 = feature_stats(feat1[rng.choice(feat1.shape[0], n, replace=False)])
            s2 = feature_stats(feat2[rng.choice(feat2.shape[0], n, replace=False)])
            vals.append(frechet_distance(s1.mu, s1.sigma, s2.mu, s2.sigma))
        means.append(np.mean(vals))
        stds.append(np.std(vals))
    fid = np.array(means)
    a, b = fit_fid_infinity(sizes, fid) if len(sizes) > 1 else (float(fid[0]), 0.0)
    return FidCurve(sizes, fid, np.array(stds), a, b, repeats)
