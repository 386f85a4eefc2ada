"""Source and target distributions of the 2-D flows: Gaussians, the GAN lab's toys, or the user's points."""

from __future__ import annotations

import numpy as np

# A target Gaussian with a known mean and a correlated covariance: the closed-form check of paths.py
SHIFTED_MU = (2.0, 1.0)
SHIFTED_COV = ((0.5, 0.3), (0.3, 0.4))

LABELS = {
    "gaussian": "standard Gaussian N(0, I)",
    "shifted": "a shifted, correlated Gaussian (known mean and covariance)",
    "ring8": "ring of 8 Gaussians",
    "grid25": "grid of 25 Gaussians",
    "moons": "two moons",
    "spiral": "spiral",
    "custom": "your own points",
}
SOURCES = ("gaussian", "ring8", "moons")
TARGETS = ("ring8", "grid25", "moons", "spiral", "shifted", "gaussian", "custom")


def sample(name: str, n: int, rng: np.random.Generator, points: tuple = ()) -> np.ndarray:
    """n points (n, 2) float32 from distribution ``name``; ``custom`` resamples ``points`` with a little jitter."""
    if name == "gaussian":
        return rng.standard_normal((n, 2)).astype(np.float32)
    if name == "shifted":
        L = np.linalg.cholesky(np.asarray(SHIFTED_COV))
        return (np.asarray(SHIFTED_MU) + rng.standard_normal((n, 2)) @ L.T).astype(np.float32)
    if name == "custom":
        pts = np.asarray(points, np.float32).reshape(-1, 2)
        if len(pts) < 2:
            raise ValueError("Your own target needs at least 2 points: draw or paste some first.")
        spread = 0.02 * float(np.ptp(pts, axis=0).max() or 1.0)
        return (pts[rng.integers(0, len(pts), n)] + spread * rng.standard_normal((n, 2))).astype(np.float32)
    from models.data import TOYS_2D

    if name not in TOYS_2D:
        raise ValueError(f"Unknown distribution {name!r}; choose one of {', '.join(LABELS)}.")
    return TOYS_2D[name].sample(n, rng)
