"""Are generative models more sensitive to outliers? Measured: accuracy and boundary shift vs outliers added.

Outliers are points labelled with one class and placed far from it, on one of two sides:

- ``away``: beyond the class, on the side away from the other class (still on the correct side of any
  sensible boundary). A generative model must *explain* them with p(x | y): LDA's class mean and shared
  covariance move, so its boundary moves. Logistic regression only cares about points near the boundary
  (their loss is about zero when they are far on the right side), so its boundary barely moves
  (Murphy, PML1 sec. 9.4). This is the case behind the course material's claim.
- ``across``: beyond the *other* class, so they sit on the wrong side of the boundary (gross label noise).
  Now their logistic loss is large and grows with distance, and the discriminative boundary is dragged too:
  the claim does not hold in general, and the page lets students see both cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np
from threadpoolctl import threadpool_limits

from . import classifiers, data2d
from .boundaries import boundary_shift, grid_around

DEFAULT_COUNTS = (0, 10, 20, 40, 70, 100)


@dataclass(frozen=True)
class OutlierConfig:
    """One outlier experiment; every random choice follows ``seed``.

    Attributes:
        dataset: a synthetic set of ``data2d`` (``blobs``, ``moons``, ``ring8``).
        n_train: clean training points; the test set is 2,000 fresh points (never with outliers).
        outlier_class: the class (0 or 1) that receives the outliers.
        distance: how far the outliers sit from that class's mean, in units of the data's std.
        counts: numbers of outliers to try, increasing.
        side: ``"away"`` (beyond the class, away from the other one) or ``"across"`` (beyond the other class).
    """

    dataset: str = "blobs"
    n_train: int = 300
    seed: int = 0
    spread: float = 1.0
    outlier_class: int = 0
    distance: float = 6.0
    counts: tuple[int, ...] = DEFAULT_COUNTS
    models: tuple[str, ...] = tuple(classifiers.MODELS)
    gmm_components: int = 4
    side: str = "away"


@dataclass(frozen=True)
class OutlierPoint:
    """The models fitted with ``count`` outliers: test accuracy and boundary shift, each in [0, 1]."""

    count: int
    accuracy: dict[str, float]
    shift: dict[str, float]


@dataclass(frozen=True)
class OutlierCurve:
    """All points of one experiment. Arrays are (K,) over ``counts``."""

    counts: np.ndarray
    accuracy: dict[str, np.ndarray]
    shift: dict[str, np.ndarray]
    outliers: np.ndarray = field(repr=False)  # (max count, 2) the outlier positions, nested by count


SIDES = ("away", "across")


def outlier_points(data: data2d.Labelled2D, k: int, cls: int, distance: float,
                   rng: np.random.Generator, side: str = "away") -> np.ndarray:
    """k points far from class ``cls``, (k, 2).

    ``away``: centre = mean_cls + distance * s * u; ``across``: centre = mean_other - distance * s * u,
    where s is the data's overall std and u points from the other class's mean to this class's mean (the
    x axis when the two means nearly coincide, as on the ring); each point is the centre plus
    N(0, (0.3 s)^2 I) jitter.
    """
    if side not in SIDES:
        raise ValueError(f"side must be one of {', '.join(SIDES)}, got {side!r}.")
    X, y = data.X, data.y
    s = float(X.std())
    mu, other = X[y == cls].mean(axis=0), X[y != cls].mean(axis=0)
    u = mu - other
    u = u / np.linalg.norm(u) if np.linalg.norm(u) > 0.2 * s else np.array([-1.0 if cls == 0 else 1.0, 0.0])
    centre = mu + distance * s * u if side == "away" else other - distance * s * u
    return centre + 0.3 * s * rng.standard_normal((int(k), 2))


def with_outliers(train: data2d.Labelled2D, outliers: np.ndarray, k: int, cls: int) -> data2d.Labelled2D:
    """The training set plus the first k outliers, labelled ``cls``."""
    X = np.vstack([train.X, outliers[:k]])
    y = np.concatenate([train.y, np.full(k, cls, dtype=np.int64)])
    return data2d.Labelled2D(X, y, train.name)


def setup(cfg: OutlierConfig) -> tuple[data2d.Labelled2D, data2d.Labelled2D, np.ndarray]:
    """The clean train set, the test set and max(counts) outliers (the first k are used for count k)."""
    if cfg.outlier_class not in (0, 1):
        raise ValueError(f"outlier_class must be 0 or 1, got {cfg.outlier_class}.")
    if list(cfg.counts) != sorted(cfg.counts) or min(cfg.counts) < 0:
        raise ValueError(f"counts must be increasing and non-negative, got {cfg.counts}.")
    train, test = data2d.train_test(cfg.dataset, cfg.n_train, cfg.seed, cfg.spread)
    rng = np.random.default_rng(np.random.SeedSequence(cfg.seed).spawn(3)[2])
    outliers = outlier_points(train, max(cfg.counts), cfg.outlier_class, cfg.distance, rng, cfg.side)
    return train, test, outliers


def outlier_steps(cfg: OutlierConfig) -> Iterator[OutlierPoint]:
    """Yield one ``OutlierPoint`` per count: refit every model on train + that many outliers.

    Accuracy is on the clean test set; shift is ``boundary_shift`` against the same model fitted with no
    outliers, over a grid around the clean training data.
    """
    train, test, outliers = setup(cfg)
    grid = grid_around(train.X, resolution=80, margin=0.1)
    clean = classifiers.fit_all(cfg.models, train.X, train.y, cfg.seed, cfg.gmm_components)
    for k in cfg.counts:
        noisy = with_outliers(train, outliers, k, cfg.outlier_class)
        with threadpool_limits(1):  # not across the yield: the caller's threads stay as they were
            fitted = clean if k == 0 else classifiers.fit_all(cfg.models, noisy.X, noisy.y, cfg.seed,
                                                              cfg.gmm_components)
            point = OutlierPoint(
                int(k),
                {m: classifiers.accuracy(fitted[m], test.X, test.y) for m in cfg.models},
                {m: boundary_shift(clean[m], fitted[m], grid) for m in cfg.models})
        yield point


def outlier_curve(cfg: OutlierConfig, on_step: Callable[[int, int], None] | None = None) -> OutlierCurve:
    """Run ``outlier_steps`` to the end; ``on_step(done, total)`` after each count."""
    points = []
    for i, p in enumerate(outlier_steps(cfg), start=1):
        points.append(p)
        if on_step:
            on_step(i, len(cfg.counts))
    return OutlierCurve(
        np.array([p.count for p in points]),
        {m: np.array([p.accuracy[m] for p in points]) for m in cfg.models},
        {m: np.array([p.shift[m] for p in points]) for m in cfg.models},
        setup(cfg)[2])
