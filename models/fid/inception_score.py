"""Inception Score (Salimans et al. 2016): how confident and how varied a classifier's labels are.

    IS = exp( E_x KL( p(y | x) || p(y) ) ),  p(y) = E_x p(y | x)

It ranges from 1 (every image gets the same label distribution) to the number of classes C (each
image is classified with certainty, all classes equally often). As in the paper, the images are cut
into ``splits`` parts and the mean and standard deviation over the parts are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class InceptionScore:
    """Mean and standard deviation of exp(E KL) over ``splits`` parts; ``classes`` = C (the maximum)."""

    mean: float
    std: float
    splits: int
    classes: int


def _score(p: np.ndarray) -> float:
    """exp(mean_x KL(p(y|x) || p(y))) for probabilities p (n, C); 0 log 0 = 0."""
    py = p.mean(axis=0, keepdims=True)  # (1, C)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(p > 0, p * (np.log(p) - np.log(py)), 0.0).sum(axis=1)  # (n,)
    return float(np.exp(kl.mean()))


def inception_score(probs: np.ndarray, splits: int = 10) -> InceptionScore:
    """Inception Score from class probabilities.

    Args:
        probs: (N, C) rows of p(y | x), each summing to 1 (softmax of the classifier's logits).
        splits: number of parts (capped at N).
    Returns:
        :class:`InceptionScore`; formula in the module docstring.
    """
    p = np.asarray(probs, np.float64)
    if p.ndim != 2 or p.shape[0] < 1:
        raise ValueError(f"probs must be (N, C) with N >= 1; got shape {p.shape}.")
    if not np.allclose(p.sum(axis=1), 1.0, atol=1e-4) or (p < 0).any():
        raise ValueError("Each row of probs must be a probability distribution (non-negative, sum 1).")
    splits = max(1, min(int(splits), p.shape[0]))
    parts = [_score(part) for part in np.array_split(p, splits)]
    return InceptionScore(float(np.mean(parts)), float(np.std(parts)), splits, p.shape[1])
