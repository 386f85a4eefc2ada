"""Kernel Inception Distance: the unbiased MMD^2 with a cubic polynomial kernel (Binkowski et al. 2018).

    k(x, y) = (x . y / d + 1)^3
    MMD^2_u = 1/(m(m-1)) sum_{i != j} k(x_i, x_j) + 1/(m(m-1)) sum_{i != j} k(y_i, y_j)
              - 2/m^2 sum_{i, j} k(x_i, y_j)                       (Gretton et al. 2012, eq. 3)

KID is the mean of MMD^2_u over ``subsets`` random subsets of m images from each set (drawn without
replacement within a subset), and its spread is the standard deviation over those subsets, exactly as
the KID paper's code and torch-fidelity (``kid_subsets=100``, ``kid_subset_size=1000``, NumPy's
``RandomState(seed)``, X's indices drawn before Y's in each subset). It is unbiased: its expectation does
not depend on m, and it is about 0 (it can be negative) when both sets come from one distribution.

Two GenLab choices, both explained in :func:`subset_size_for`:
- m is at most half the smaller set, so the subsets differ and their spread is a real spread (with m
  equal to both set sizes every subset is the whole set, and the spread would be 0 whatever the noise).
- the kernel matrices of all images are computed once and each subset indexes them (100 subsets cost
  about one kernel evaluation instead of 100); the numbers equal torch-fidelity's per-subset ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SUBSETS = 100        # torch-fidelity's kid_subsets
SUBSET_SIZE = 1000   # torch-fidelity's kid_subset_size and the KID paper's
_FULL_KERNEL_MAX = 6000  # up to this many images in all, precompute the whole kernel (<= 290 MB float64)


@dataclass(frozen=True)
class KID:
    """KID estimate: mean and standard deviation of MMD^2_u over ``subsets`` subsets of ``subset_size``.

    ``std`` is the spread of one subset's estimate (np.std over subsets, as torch-fidelity); ``n1``, ``n2``
    the set sizes and ``d`` the feature dimension.
    """

    mean: float
    std: float
    subsets: int
    subset_size: int
    n1: int = 0
    n2: int = 0
    d: int = 0


def polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """k(x, y) = (x . y / d + 1)^3 for all pairs; x (m, d), y (n, d) -> (m, n) float64."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def _mmd2_from_kernels(kxx: np.ndarray, kyy: np.ndarray, kxy: np.ndarray) -> float:
    """MMD^2_u from the three kernel matrices (m, m), (n, n), (m, n): diagonals of kxx and kyy left out."""
    m, n = kxx.shape[0], kyy.shape[0]
    sxx = (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
    syy = (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
    return float(sxx + syy - 2.0 * kxy.mean())


def mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """The unbiased MMD^2 estimate between samples x (m, d) and y (n, d), m, n >= 2 (formula above)."""
    m, n = x.shape[0], y.shape[0]
    if m < 2 or n < 2:
        raise ValueError(f"KID needs at least 2 images per set; got {m} and {n}.")
    return _mmd2_from_kernels(polynomial_kernel(x, x), polynomial_kernel(y, y), polynomial_kernel(x, y))


def subset_size_for(n1: int, n2: int, requested: int = SUBSET_SIZE) -> int:
    """The subset size m: ``requested`` (1,000), but at most half the smaller set (and at least 2).

    torch-fidelity refuses sets smaller than the subset size; GenLab shrinks the subsets instead, to half
    the smaller set so that 100 subsets are 100 different draws. MMD^2_u is unbiased at every m, so the
    mean does not move with m; its spread shrinks as m grows (roughly like 1/m when the sets agree).
    """
    n = min(int(n1), int(n2))
    if n < 2:
        raise ValueError(f"KID needs at least 2 images per set; got {n1} and {n2}.")
    return int(max(2, min(int(requested), n // 2)))


def kernel_inception_distance(x: np.ndarray, y: np.ndarray, subsets: int = SUBSETS,
                              subset_size: int = SUBSET_SIZE, seed: int = 0) -> KID:
    """KID between features x (n1, d) and y (n2, d): MMD^2_u averaged over random subsets.

    Args:
        subsets: number of subsets (torch-fidelity: 100).
        subset_size: requested m, capped by :func:`subset_size_for`.
        seed: seeds ``np.random.RandomState``; subset i takes ``choice(n1, m)`` then ``choice(n2, m)``,
            both without replacement, as torch-fidelity's ``kid_features_to_metric``.
    Returns:
        :class:`KID` with the mean and the (ddof 0) standard deviation over subsets.
    """
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(f"KID needs two (N, d) feature arrays with one d; got shapes {x.shape} and {y.shape}.")
    n1, n2, d = x.shape[0], y.shape[0], x.shape[1]
    m = subset_size_for(n1, n2, subset_size)
    rng = np.random.RandomState(seed)
    full = n1 + n2 <= _FULL_KERNEL_MAX
    if full:
        kxx, kyy, kxy = polynomial_kernel(x, x), polynomial_kernel(y, y), polynomial_kernel(x, y)
    vals = np.empty(int(subsets))
    for i in range(int(subsets)):
        ix, iy = rng.choice(n1, m, replace=False), rng.choice(n2, m, replace=False)
        if full:
            vals[i] = _mmd2_from_kernels(kxx[np.ix_(ix, ix)], kyy[np.ix_(iy, iy)], kxy[np.ix_(ix, iy)])
        else:
            vals[i] = mmd2_unbiased(x[ix], y[iy])
    return KID(float(vals.mean()), float(vals.std()), int(subsets), m, n1, n2, d)


def needed_subset_size(d: int) -> int:
    """The smallest subset size GenLab calls adequate for d features: min(d, 1,000).

    The cubic kernel's degree-2 part compares the sets' second-moment matrices (d x d); from m < d images
    those have rank below d, as FID's covariances with N <= d. The estimate stays unbiased but noisy.
    torch-fidelity's 1,000 is the cap (Inception's d = 2048 exceeds it).
    """
    return int(min(d, SUBSET_SIZE))


def kid_warnings(kid: KID) -> list[str]:
    """Plain-language warnings: subsets too small for the feature size, or a KID lost in its own spread."""
    out = []
    need = needed_subset_size(kid.d)
    if kid.subset_size < need:
        out.append(f"KID's subsets have m = {kid.subset_size} images (half the smaller set, N = "
                   f"{min(kid.n1, kid.n2)}), fewer than the {need} that d = {kid.d} features need: its "
                   f"spread is large. Use N >= {2 * need} images per set (the KID paper and torch-fidelity use "
                   f"subsets of 1,000).")
    if kid.std > 0 and abs(kid.mean) < kid.std:
        out.append(f"KID = {kid.mean:.3g} is within one spread ({kid.std:.2g}) of 0: at this N it cannot tell "
                   f"the two sets apart. More images shrink the spread.")
    return out
