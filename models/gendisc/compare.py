"""Fit every model on one 2D data set and collect what the page draws: boundaries, densities, samples.

Only the generative models get a density and samples: a discriminative model learns P(y | x) and
nothing about where the x's lie, so there is no p(x) to draw points from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from . import classifiers, data2d, outliers
from .boundaries import Grid, grid_around, log_density_on, posterior_on


@dataclass(frozen=True)
class Comparison:
    """Fitted models on one data set, evaluated on a grid.

    Attributes:
        posteriors: ``{model: (R, R) P(y = 1 | x)}`` for every model.
        log_densities: ``{model: (R, R) log p(x)}`` for the generative models.
        samples: ``{model: (X (M, 2), y (M,))}`` drawn from each generative model.
        train_accuracy, test_accuracy: ``{model: accuracy in [0, 1]}``; test is None without a test set.
    """

    grid: Grid
    train: data2d.Labelled2D
    posteriors: dict[str, np.ndarray]
    log_densities: dict[str, np.ndarray]
    samples: dict[str, tuple[np.ndarray, np.ndarray]]
    train_accuracy: dict[str, float]
    test_accuracy: dict[str, float] | None


def compare(train: data2d.Labelled2D, test: data2d.Labelled2D | None, seed: int, gmm_components: int = 4,
            models: tuple[str, ...] = tuple(classifiers.MODELS), resolution: int = 80,
            extra: np.ndarray | None = None) -> Comparison:
    """Fit ``models`` on ``train`` and evaluate them.

    Args:
        test: held-out points for the test accuracy, or None (typed points have none).
        seed: seeds the MLP, the mixtures' EM initialisation and the sampling.
        extra: (M, 2) points to include in the grid's box (outliers), or None.
    Returns:
        A ``Comparison``; each generative model draws as many samples as there are training points.
    """
    with threadpool_limits(1):  # tiny matrices: one BLAS thread is much faster on a shared machine
        fitted = classifiers.fit_all(models, train.X, train.y, seed, gmm_components)
        box = train.X if extra is None or not len(extra) else np.vstack([train.X, extra])
        grid = grid_around(box, resolution)
        rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[3])
        gen = [m for m in models if classifiers.MODELS[m].generative]
        return Comparison(
            grid, train,
            {m: posterior_on(fitted[m], grid) for m in models},
            {m: log_density_on(fitted[m], grid) for m in gen},
            {m: fitted[m].sample(len(train), rng) for m in gen},
            {m: classifiers.accuracy(fitted[m], train.X, train.y) for m in models},
            None if test is None else {m: classifiers.accuracy(fitted[m], test.X, test.y) for m in models})


def outlier_view(cfg: outliers.OutlierConfig, k: int) -> tuple[Comparison, np.ndarray]:
    """The models fitted on the experiment's training set plus its first k outliers.

    Returns:
        (comparison with test accuracy on clean data, the k outliers (k, 2)).
    """
    train, test, pool = outliers.setup(cfg)
    if not 0 <= k <= len(pool):
        raise ValueError(f"k must be between 0 and {len(pool)}, got {k}.")
    noisy = outliers.with_outliers(train, pool, k, cfg.outlier_class)
    return compare(noisy, test, cfg.seed, cfg.gmm_components, cfg.models, resolution=80, extra=pool[:k]), pool[:k]
