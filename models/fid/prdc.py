"""Precision, recall, density and coverage: fidelity and diversity of a generator, separately.

FID folds two failures into one number: samples that do not look real (low fidelity) and a generator that
cannot produce part of the data (low diversity, mode collapse). These four metrics keep them apart. Each
set of feature vectors is turned into a manifold estimate, the union of balls around its points whose
radius is the distance to the point's k-th nearest neighbour in its own set (the point itself excluded):

    r_k(x) = || x - NN_k(x) ||                       (Kynkäänniemi et al. 2019, eq. 1)

With real points X_1..X_N, generated points Y_1..Y_M and 1[.] the indicator:

    precision = 1/M sum_j 1[ exists i: ||Y_j - X_i|| < r_k(X_i) ]      share of fakes inside the real manifold
    recall    = 1/N sum_i 1[ exists j: ||X_i - Y_j|| < r_k(Y_j) ]      share of reals inside the fake manifold
    density   = 1/(kM) sum_j sum_i 1[ ||Y_j - X_i|| < r_k(X_i) ]        (Naeem et al. 2020, eq. 3)
    coverage  = 1/N sum_i 1[ min_j ||X_i - Y_j|| < r_k(X_i) ]           (Naeem et al. 2020, eq. 4)

Precision and recall are "improved precision and recall" (Kynkäänniemi et al. 2019, eqs. 1-3); density
and coverage (Naeem et al. 2020) replace them with versions that an outlier among the real points cannot
inflate: density counts how many real balls a fake falls in (1 on average when the two distributions
match, above 1 when fakes crowd dense regions), coverage asks whether each real point's own ball holds a
fake. A mode-collapsed generator keeps its precision and loses recall and coverage; a noisy one the reverse.

Distances are Euclidean, computed in float64 (by matrix products: exact to about 1e-12); a point on a
ball's boundary counts as outside (the strict ``<`` of the
authors' reference code, the ``prdc`` package, so the numbers agree with it). The real set is A, the
generated set B, always in that order: swapping them swaps precision and recall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

DEFAULT_K = 5
CHUNK = 1024  # rows of the distance matrix held at once: 1024 x 10,000 float64 is 82 MB


class PRDCInputError(ValueError):
    """The two feature sets cannot be compared (too few points for k, different feature sizes...)."""


@dataclass(frozen=True)
class PRDC:
    """The four numbers for real set A (n_a points) and generated set B (n_b points), with k."""

    precision: float
    recall: float
    density: float
    coverage: float
    k: int
    n_a: int
    n_b: int


def _as_features(x, name: str) -> torch.Tensor:
    t = torch.as_tensor(np.asarray(x, dtype=np.float64))
    if t.ndim != 2:
        raise PRDCInputError(f"Set {name} must be a 2-D array of feature vectors (n, d); got shape "
                             f"{tuple(t.shape)}. Extract features first (pixels, the MNIST classifier or Inception).")
    if not torch.isfinite(t).all():
        raise PRDCInputError(f"Set {name} holds NaN or infinite values: check the images or the extractor.")
    return t


def check_inputs(real, fake, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Both sets as float64 tensors, or :class:`PRDCInputError` with what to change."""
    if int(k) != k or k < 1:
        raise PRDCInputError(f"k must be a whole number >= 1 (got {k}); the papers use k = 5.")
    a, b = _as_features(real, "A (real)"), _as_features(fake, "B (generated)")
    if a.shape[1] != b.shape[1]:
        raise PRDCInputError(f"The two sets have different feature sizes ({a.shape[1]} and {b.shape[1]}): "
                             f"extract both with the same feature extractor.")
    for t, name in ((a, "A (real)"), (b, "B (generated)")):
        if t.shape[0] < k + 1:
            raise PRDCInputError(f"Set {name} has {t.shape[0]} points; k = {k} needs at least {k + 1} (a point's "
                                 f"k nearest neighbours exclude itself). Add images or lower k.")
    return a, b


def knn_radii(x: torch.Tensor, k: int, chunk: int = CHUNK) -> torch.Tensor:
    """r_k(x_i): distance from each row of x (n, d) to its k-th nearest other row; (n,) float64.

    The (k+1)-th smallest distance of each row counts the row itself (distance 0) as the first."""
    out = torch.empty(x.shape[0], dtype=torch.float64)
    for i in range(0, x.shape[0], chunk):
        d = torch.cdist(x[i:i + chunk], x, compute_mode="use_mm_for_euclid_dist")
        out[i:i + chunk] = d.topk(k + 1, dim=1, largest=False).values[:, -1]
    return out


def prdc(real, fake, k: int = DEFAULT_K, chunk: int = CHUNK) -> PRDC:
    """Precision, recall, density and coverage of ``fake`` (B) against ``real`` (A).

    Args:
        real: (N, d) feature vectors of the real images (set A).
        fake: (M, d) feature vectors of the generated images (set B).
        k: the nearest neighbour that sets each ball's radius (5 in both papers).
        chunk: rows of the N x M distance matrix computed at once (memory, not results).
    Returns:
        :class:`PRDC`.
    Raises:
        PRDCInputError: fewer than k + 1 points in a set, different feature sizes, NaN, wrong shapes.
    """
    a, b = check_inputs(real, fake, k)
    r_a, r_b = knn_radii(a, k, chunk), knn_radii(b, k, chunk)
    fake_in_real = torch.zeros(b.shape[0], dtype=torch.bool)   # Y_j inside some real ball (precision)
    balls_per_fake = torch.zeros(b.shape[0], dtype=torch.float64)  # how many real balls hold Y_j (density)
    real_in_fake = torch.empty(a.shape[0], dtype=torch.bool)    # X_i inside some fake ball (recall)
    covered = torch.empty(a.shape[0], dtype=torch.bool)         # X_i's own ball holds a fake (coverage)
    for i in range(0, a.shape[0], chunk):
        d = torch.cdist(a[i:i + chunk], b, compute_mode="use_mm_for_euclid_dist")  # (chunk, M)
        inside_real = d < r_a[i:i + chunk, None]
        fake_in_real |= inside_real.any(dim=0)
        balls_per_fake += inside_real.sum(dim=0)
        real_in_fake[i:i + chunk] = (d < r_b[None, :]).any(dim=1)
        covered[i:i + chunk] = d.min(dim=1).values < r_a[i:i + chunk]
    return PRDC(precision=float(fake_in_real.double().mean()), recall=float(real_in_fake.double().mean()),
                density=float(balls_per_fake.mean() / k), coverage=float(covered.double().mean()),
                k=int(k), n_a=int(a.shape[0]), n_b=int(b.shape[0]))


def balls_2d(points: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """The radii r_k of 2-D points (n, 2), for drawing each set's manifold estimate as circles."""
    x = _as_features(points, "points")
    return knn_radii(x, k).numpy()
