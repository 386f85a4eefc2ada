"""Mode-collapse metrics for mixtures of Gaussians (Srivastava et al. 2017, VEEGAN, section 5.1).

A generated sample is *high quality* when it lies within 3 standard deviations of its nearest mode
centre. A mode is *covered* when at least ``min_count`` high-quality samples are assigned to it; with the
usual 2,500 samples the threshold is 20 (the convention of PacGAN, Lin et al. 2018, which follows VEEGAN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_SAMPLES = 2500
MIN_COUNT = 20


@dataclass(frozen=True)
class ModeStats:
    """Attributes:
        modes_covered: how many modes have >= min_count high-quality samples.
        n_modes: how many modes the mixture has.
        high_quality: fraction of samples within 3 sigma of their nearest mode, in [0, 1].
        counts: (K,) high-quality samples per mode.
    """

    modes_covered: int
    n_modes: int
    high_quality: float
    counts: np.ndarray


def mode_stats(samples: np.ndarray, centers: np.ndarray, std: float, *, n_sigma: float = 3.0,
               min_count: int = MIN_COUNT) -> ModeStats:
    """Modes covered and the fraction of high-quality samples.

    Args:
        samples: (N, 2) generated points.
        centers: (K, 2) mode centres; std: each mode's standard deviation.
        n_sigma: the radius, in standard deviations, that counts as high quality.
        min_count: high-quality samples a mode needs to count as covered.
    Returns:
        :class:`ModeStats`.
    """
    samples = np.asarray(samples, dtype=np.float64).reshape(-1, 2)
    centers = np.asarray(centers, dtype=np.float64)
    if len(samples) == 0:
        return ModeStats(0, len(centers), 0.0, np.zeros(len(centers), int))
    d2 = ((samples[:, None, :] - centers[None, :, :]) ** 2).sum(-1)  # (N, K)
    nearest = d2.argmin(1)
    good = np.sqrt(d2[np.arange(len(samples)), nearest]) <= n_sigma * std
    counts = np.bincount(nearest[good], minlength=len(centers))
    return ModeStats(int((counts >= min_count).sum()), len(centers), float(good.mean()), counts)
