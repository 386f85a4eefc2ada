"""Few data: test accuracy of each model against the training-set size, averaged over seeded repeats.

Ng & Jordan (NIPS 2002, "On discriminative vs. generative classifiers") showed that naive Bayes reaches
its (higher) asymptotic error with O(log d) examples while logistic regression needs O(d) but ends lower
when the generative assumptions are wrong. The curve lets students check that on their data set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
from threadpoolctl import threadpool_limits

from . import classifiers, data2d

DEFAULT_SIZES = (4, 8, 16, 32, 64, 128, 256)


@dataclass(frozen=True)
class CurveConfig:
    """One learning-curve experiment; every random choice follows ``seed``.

    Attributes:
        sizes: training-set sizes, even numbers >= 4 (half of each class), increasing.
        repeats: independent training sets per size (the curve shows their mean and std).
        n_test: fresh test points, the same for every size and repeat.
    """

    dataset: str = "blobs"
    sizes: tuple[int, ...] = DEFAULT_SIZES
    repeats: int = 3
    seed: int = 0
    spread: float = 1.0
    n_test: int = 2000
    models: tuple[str, ...] = tuple(classifiers.MODELS)
    gmm_components: int = 4


@dataclass(frozen=True)
class CurveStep:
    """Test accuracy at one training-set size: mean and std over repeats, per model, in [0, 1]."""

    size: int
    mean: dict[str, float]
    std: dict[str, float]


@dataclass(frozen=True)
class Curve:
    """The whole curve; arrays are (S,) over ``sizes``."""

    sizes: np.ndarray
    mean: dict[str, np.ndarray]
    std: dict[str, np.ndarray]


def balanced_subset(pool: data2d.Labelled2D, n: int) -> data2d.Labelled2D:
    """The first n/2 points of each class in ``pool`` (so smaller sets are nested in larger ones)."""
    half = n // 2
    idx = [np.flatnonzero(pool.y == c)[:half] for c in (0, 1)]
    if min(len(i) for i in idx) < half:
        raise ValueError(f"The pool has too few points of one class for a training set of {n}.")
    take = np.sort(np.concatenate(idx))
    return data2d.Labelled2D(pool.X[take], pool.y[take], pool.name)


def _check(cfg: CurveConfig) -> None:
    sizes = list(cfg.sizes)
    if not sizes or sizes != sorted(sizes) or any(s < 4 or s % 2 for s in sizes):
        raise ValueError(f"sizes must be increasing even numbers >= 4, got {cfg.sizes}.")
    if not 1 <= cfg.repeats <= 50:
        raise ValueError(f"repeats must be between 1 and 50, got {cfg.repeats}.")


def curve_steps(cfg: CurveConfig) -> Iterator[CurveStep]:
    """Yield one ``CurveStep`` per size; repeat r draws its pool with seed stream r of ``cfg.seed``."""
    _check(cfg)
    streams = np.random.SeedSequence(cfg.seed).spawn(cfg.repeats + 1)
    test = data2d.make(cfg.dataset, cfg.n_test, streams[0], cfg.spread)
    # A pool of 4x the largest size per repeat: enough points of each class with overwhelming probability.
    pools = [data2d.make(cfg.dataset, 4 * max(cfg.sizes), s, cfg.spread) for s in streams[1:]]
    for n in cfg.sizes:
        acc = {m: [] for m in cfg.models}
        with threadpool_limits(1):  # tiny matrices: one BLAS thread is much faster on a shared machine
            for r, pool in enumerate(pools):
                train = balanced_subset(pool, n)
                for m in cfg.models:
                    model = classifiers.fit(m, train.X, train.y, cfg.seed + r, cfg.gmm_components)
                    acc[m].append(classifiers.accuracy(model, test.X, test.y))
        yield CurveStep(int(n), {m: float(np.mean(a)) for m, a in acc.items()},
                        {m: float(np.std(a)) for m, a in acc.items()})


def learning_curve(cfg: CurveConfig, on_step: Callable[[int, int], None] | None = None) -> Curve:
    """Run ``curve_steps`` to the end; ``on_step(done, total)`` after each size."""
    steps = []
    for i, s in enumerate(curve_steps(cfg), start=1):
        steps.append(s)
        if on_step:
            on_step(i, len(cfg.sizes))
    return Curve(np.array([s.size for s in steps]),
                 {m: np.array([s.mean[m] for s in steps]) for m in cfg.models},
                 {m: np.array([s.std[m] for s in steps]) for m in cfg.models})
