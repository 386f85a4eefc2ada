"""Labelled 2D point sets with two classes: two moons, Gaussian blobs, the 8-ring, or points you type.

Every generator is a pure function of its arguments and a seeded ``numpy.random.Generator``, so a train
set and an independent test set come from two generators seeded differently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from models.data import ring8

DATASETS = ("blobs", "moons", "ring8", "points")
LABELS = {"blobs": "Gaussian blobs (equal covariance)", "moons": "Two moons",
          "ring8": "Ring of 8 Gaussians (alternating classes)", "points": "Points you type"}
MAX_POINTS = 2000
EXAMPLE_POINTS = """# x, y, class (0 or 1); one point per line
-1.0, 0.2, 0
-1.4, -0.5, 0
-0.6, -0.9, 0
-1.8, 0.6, 0
-0.9, -0.1, 0
0.9, 0.4, 1
1.3, 1.1, 1
0.7, 1.5, 1
1.6, 0.2, 1
1.1, 0.8, 1
"""


@dataclass(frozen=True)
class Labelled2D:
    """A two-class 2D data set.

    Attributes:
        X: (N, 2) float64 points.
        y: (N,) int64 labels in {0, 1}.
    """

    X: np.ndarray
    y: np.ndarray
    name: str

    def __len__(self) -> int:
        return len(self.y)


# Equal covariance for both blobs: LDA's assumption holds exactly, naive Bayes' (diagonal) does not.
BLOB_MEANS = np.array([[-1.0, -0.5], [1.0, 0.5]])
BLOB_COV = np.array([[1.0, 0.6], [0.6, 0.8]])


def blobs(n: int, rng: np.random.Generator, spread: float = 1.0) -> Labelled2D:
    """Two Gaussians with a shared full covariance: x | y ~ N(mu_y, spread^2 Sigma), P(y = 1) = 1/2.

    Returns:
        ``Labelled2D`` with n points; the Bayes-optimal boundary is the line LDA estimates.
    """
    y = (rng.random(n) < 0.5).astype(np.int64)
    L = np.linalg.cholesky(BLOB_COV) * spread
    X = BLOB_MEANS[y] + rng.standard_normal((n, 2)) @ L.T  # (n, 2)
    return Labelled2D(X, y, "blobs")


def moons(n: int, rng: np.random.Generator, spread: float = 1.0) -> Labelled2D:
    """scikit-learn's two interleaving half circles with Gaussian noise of std 0.2 * spread."""
    from sklearn.datasets import make_moons

    X, y = make_moons(n, noise=0.2 * spread, random_state=int(rng.integers(0, 2**31 - 1)))
    return Labelled2D(X.astype(np.float64), y.astype(np.int64), "moons")


def ring(n: int, rng: np.random.Generator, spread: float = 1.0) -> Labelled2D:
    """The 8-ring of ``models.data.ring8`` (radius 2), modes labelled 0, 1, 0, 1, ... around the circle.

    Each mode has std 0.25 * spread (wider than the GAN toy so the classes touch). No single Gaussian
    per class fits this; a mixture of four per class does.
    """
    toy = ring8(radius=2.0, std=0.25 * spread)
    k = rng.integers(0, len(toy.centers), size=n)
    X = toy.centers[k] + toy.std * rng.standard_normal((n, 2))
    return Labelled2D(X, (k % 2).astype(np.int64), "ring8")


_GENERATORS = {"blobs": blobs, "moons": moons, "ring8": ring}


def make(name: str, n: int, seed, spread: float = 1.0) -> Labelled2D:
    """``n`` points of the synthetic set ``name`` drawn with ``numpy.random.default_rng(seed)``.

    Args:
        seed: an int or a ``numpy.random.SeedSequence``.
        spread: scales the noise (1 is the default difficulty), in (0, 3].
    """
    if not 0 < spread <= 3:
        raise ValueError(f"spread must be in (0, 3], got {spread}.")
    if name not in _GENERATORS:
        raise ValueError(f"Unknown 2D data set {name!r}; choose one of: {', '.join(_GENERATORS)}.")
    if not 2 <= n <= 100_000:
        raise ValueError(f"Number of points must be between 2 and 100,000, got {n}.")
    return _GENERATORS[name](int(n), np.random.default_rng(seed), spread)


def train_test(name: str, n_train: int, seed: int, spread: float = 1.0,
               n_test: int = 2000) -> tuple[Labelled2D, Labelled2D]:
    """A training set and an independent test set from the same distribution (different seed streams)."""
    seeds = np.random.SeedSequence(seed).spawn(2)
    return make(name, n_train, seeds[0], spread), make(name, n_test, seeds[1], spread)


class PointsError(ValueError):
    """Typed points could not be read; the message names the line and what was expected."""


def parse_points(text: str) -> Labelled2D:
    """Read points typed as ``x, y, class`` lines (commas, semicolons, tabs or spaces; ``#`` starts a comment).

    Raises:
        PointsError: a line has not three fields, a number is not finite, a class is not 0 or 1,
            there are more than MAX_POINTS points, or a class has fewer than 2 points.
    """
    rows: list[tuple[float, float, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.replace(",", " ").replace(";", " ").split()
        if len(fields) != 3:
            raise PointsError(f"Line {number}: expected three values 'x, y, class', got {len(fields)}: "
                              f"{line[:60]!r}.")
        try:
            x, y = float(fields[0]), float(fields[1])
        except ValueError:
            raise PointsError(f"Line {number}: x and y must be numbers, got {fields[0]!r} and {fields[1]!r}.") from None
        if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > 1e6:
            raise PointsError(f"Line {number}: x and y must be finite numbers within +-1e6.")
        if fields[2] not in ("0", "1"):
            raise PointsError(f"Line {number}: the class must be 0 or 1, got {fields[2]!r}.")
        rows.append((x, y, int(fields[2])))
        if len(rows) > MAX_POINTS:
            raise PointsError(f"At most {MAX_POINTS:,} points, please: remove some lines.")
    arr = np.array(rows, dtype=np.float64).reshape(-1, 3)
    labels = arr[:, 2].astype(np.int64)
    counts = np.bincount(labels, minlength=2)
    if counts.min() < 2:
        raise PointsError(f"Each class needs at least 2 points to fit a Gaussian; got {counts[0]} of class 0 "
                          f"and {counts[1]} of class 1. Add points of the missing class.")
    return Labelled2D(arr[:, :2].copy(), labels, "points")


def format_points(points: np.ndarray, cls: int) -> str:
    """The inverse of :func:`parse_points` for points of one class: one ``x, y, class`` line each."""
    return "\n".join(f"{x:.3f}, {y:.3f}, {int(cls)}" for x, y in np.asarray(points, dtype=float).reshape(-1, 2))


def candidate_grid(n: int = 31, lim: float = 3.0) -> np.ndarray:
    """(n*n, 2) points on a regular grid over [-lim, lim]^2: what a student clicks or lassoes to place points."""
    g = np.linspace(-lim, lim, n)
    gx, gy = np.meshgrid(g, g)
    return np.stack([gx.ravel(), gy.ravel()], 1)


def bayes_accuracy(name: str, spread: float = 1.0) -> float | None:
    """The best accuracy any classifier can reach on ``name``, where a closed form exists (blobs), else None.

    For x | y ~ N(mu_y, Sigma) with equal priors it is Phi(Delta / 2), with Delta^2 = (mu_1 - mu_0)^T Sigma^-1
    (mu_1 - mu_0) the squared Mahalanobis distance (Hastie et al., ESL sec. 4.3); ``spread`` scales Sigma by spread^2.
    """
    if name != "blobs":
        return None
    from scipy.stats import norm

    d = BLOB_MEANS[1] - BLOB_MEANS[0]
    delta = float(np.sqrt(d @ np.linalg.solve(BLOB_COV * spread**2, d)))
    return float(norm.cdf(delta / 2))
