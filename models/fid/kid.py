"""Kernel Inception Distance: the unbiased MMD^2 with a cubic polynomial kernel (Binkowski et al. 2018).

    k(x, y) = (x . y / d + 1)^3
    MMD^2_u = 1/(m(m-1)) sum_{i != j} k(x_i, x_j) + 1/(n(n-1)) sum_{i != j} k(y_i, y_j)
              - 2/(m n) sum_{i, j} k(x_i, y_j)                     (Gretton et al. 2012, eq. 3)

Unlike FID it is unbiased: its expectation does not depend on the number of images, and it is
about 0 (it can be negative) when both sets come from one distribution. As in the paper, it is
averaged over random subsets, whose spread gives a standard deviation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class KID:
    """KID estimate: mean and standard deviation of MMD^2_u over ``subsets`` subsets of ``subset_size``."""

    mean: float
    std: float
    subsets: int
    subset_size: int


def polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """k(x, y) = (x . y / d + 1)^3 for all pairs; x (m, d), y (n, d) -> (m, n) float64."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """The unbiased MMD^2 estimate between samples x (m, d) and y (n, d), m, n >= 2 (formula above)."""
    m, n = x.shape[0], y.shape[0]
    if m < 2 or n < 2:
        raise ValueError(f"KID needs at least 2 images per set; got {m} and {n}.")
    kxx, kyy, kxy = polynomial_kernel(x, x), polynomial_kernel(y, y), polynomial_kernel(x, y)
    sxx = (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
    syy = (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
    return float(sxx + syy - 2.0 * kxy.mean())


def kernel_inception_distance(x: np.ndarray, y: np.ndarray, subsets: int = 100, subset_size: int = 1000,
                              seed: int = 0) -> KID:
    """KID between features x (m, d) and y (n, d), averaged over random subsets (without replacement).

    The subset size is capped by the smaller set; with one subset covering both sets entirely the
    estimate is the plain :func:`mmd2_unbiased`.
    """
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    size = int(min(subset_size, x.shape[0], y.shape[0]))
    if size < 2:
        raise ValueError(f"KID needs at least 2 images per set; got {x.shape[0]} and {y.shape[0]}.")
    if size == x.shape[0] == y.shape[0]:
        subsets = 1
    rng = np.random.default_rng(seed)
    vals = np.array([mmd2_unbiased(x[rng.choice(x.shape[0], size, replace=False)],
                                   y[rng.choice(y.shape[0], size, replace=False)]) for _ in range(subsets)])
    return KID(float(vals.mean()), float(vals.std(ddof=1)) if subsets > 1 else 0.0, subsets, size)
