"""Synthetic point clouds: the HOML 3D plane, the S-curve and the swiss roll, and 2D toys for GANs.

All functions are pure: same arguments, same arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def homl_3d(m: int = 200, seed: int = 4, w1: float = 0.1, w2: float = 0.3, noise: float = 0.1) -> np.ndarray:
    """Noisy points near a tilted plane, centred: the 3D dataset of HOML ch. 17 (``generate_3d_data``).

    x0 = cos(a) + sin(a)/2 + n/2, x1 = 0.7 sin(a) + n/2, x2 = w1 x0 + w2 x1 + n,
    with a ~ U(-0.5, 3pi/2 - 0.5) and n ~ noise * N(0, 1).

    Returns:
        (m, 3) float64, column means zero.
    """
    # the book's generator and seed (HOML 2nd ed. notebook 17: np.random.seed(4); generate_3d_data(60)):
    # homl_3d(60) gives the book's 60 training points, centred; the default 200 makes the planes clearer
    rng = np.random.RandomState(seed)
    angles = rng.rand(m) * 3 * np.pi / 2 - 0.5
    data = np.empty((m, 3))
    data[:, 0] = np.cos(angles) + np.sin(angles) / 2 + noise * rng.randn(m) / 2
    data[:, 1] = np.sin(angles) * 0.7 + noise * rng.randn(m) / 2
    data[:, 2] = data[:, 0] * w1 + data[:, 1] * w2 + noise * rng.randn(m)
    return data - data.mean(axis=0)


def s_curve(n: int = 1000, noise: float = 0.05, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's S-curve: a 2D sheet bent into an S in 3D. Returns (X (n, 3), t (n,) position)."""
    from sklearn.datasets import make_s_curve

    return make_s_curve(n_samples=n, noise=noise, random_state=seed)


def swiss_roll(n: int = 1000, noise: float = 0.05, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's swiss roll: a rolled-up 2D sheet in 3D. Returns (X (n, 3), t (n,) position on the roll)."""
    from sklearn.datasets import make_swiss_roll

    return make_swiss_roll(n_samples=n, noise=noise, random_state=seed)


@dataclass(frozen=True)
class Toy2D:
    """A 2D toy distribution for GANs.

    Attributes:
        name: ``ring8``, ``grid25``, ``moons`` or ``spiral``.
        centers: (K, 2) mode centres for mixtures of Gaussians, else ``None``.
        std: the standard deviation of each mode (mixtures) or of the jitter (others).
    """

    name: str
    label: str
    centers: np.ndarray | None
    std: float

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n points, (n, 2) float32."""
        if self.centers is not None:
            k = rng.integers(0, len(self.centers), size=n)
            pts = self.centers[k] + self.std * rng.standard_normal((n, 2))
        elif self.name == "moons":
            pts = _moons(n, rng) + self.std * rng.standard_normal((n, 2))
        else:
            pts = _spiral(n, rng) + self.std * rng.standard_normal((n, 2))
        return pts.astype(np.float32)


def _moons(n: int, rng: np.random.Generator) -> np.ndarray:
    theta = rng.uniform(0, math.pi, size=n)
    upper = rng.random(n) < 0.5
    x = np.where(upper, np.cos(theta), 1 - np.cos(theta))
    y = np.where(upper, np.sin(theta), 0.5 - np.sin(theta))
    return np.stack([x - 0.5, y - 0.25], axis=1) * 1.5


def _spiral(n: int, rng: np.random.Generator) -> np.ndarray:
    r = np.sqrt(rng.random(n)) * 3 * math.pi  # uniform along the curve's area, denser near the centre
    return np.stack([r * np.cos(r), r * np.sin(r)], axis=1) / (1.5 * math.pi)


def ring8(radius: float = 2.0, std: float = 0.02) -> Toy2D:
    """Eight Gaussians on a circle, modes at k * 45 degrees (Metz et al. 2017, unrolled GANs)."""
    ang = np.arange(8) * (2 * math.pi / 8)
    return Toy2D("ring8", "Ring of 8 Gaussians", radius * np.stack([np.cos(ang), np.sin(ang)], 1), std)


def grid25(spacing: float = 2.0, std: float = 0.05) -> Toy2D:
    """A 5x5 grid of Gaussians at {-2, -1, 0, 1, 2} * spacing (Srivastava et al. 2017, VEEGAN)."""
    g = (np.arange(5) - 2) * spacing
    return Toy2D("grid25", "5x5 grid of Gaussians", np.array([(a, b) for a in g for b in g], float), std)


TOYS_2D = {
    "ring8": ring8(),
    "grid25": grid25(),
    "moons": Toy2D("moons", "Two moons", None, 0.05),
    "spiral": Toy2D("spiral", "Spiral", None, 0.05),
}
