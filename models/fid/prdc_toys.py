"""Generated sets on the GAN lab's ring of 8 Gaussians that show what precision, recall, density and coverage
see: a good generator, a mode-collapsed one, a noisy one and a generator that is slightly off.

Each scenario returns 2-D points drawn with a fixed seed, so the page and the tests see the same sets.
"""

from __future__ import annotations

import numpy as np

SCENARIOS = {
    "good": "a good generator (a fresh sample of the same distribution)",
    "collapsed": "mode collapse (2 of the 8 modes, each drawn well)",
    "noisy": "a noisy generator (every mode, but scattered 4 times wider)",
    "shifted": "a slightly shifted generator (every mode, moved by 1.5 standard deviations)",
}


def real_points(n: int = 400, seed: int = 0) -> np.ndarray:
    """n points (n, 2) of the ring of 8 (the real set A)."""
    from models.data import TOYS_2D

    return TOYS_2D["ring8"].sample(n, np.random.default_rng(seed))


def generated_points(scenario: str, n: int = 400, seed: int = 1) -> np.ndarray:
    """n generated points (n, 2) for ``scenario`` (one of :data:`SCENARIOS`)."""
    from models.data import TOYS_2D

    if scenario not in SCENARIOS:
        raise ValueError(f"Unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}.")
    ring = TOYS_2D["ring8"]
    rng = np.random.default_rng(seed)
    centers, std = np.asarray(ring.centers, dtype=np.float64), float(ring.std)
    if scenario == "good":
        return ring.sample(n, rng)
    if scenario == "collapsed":
        return centers[rng.integers(0, 2, n)] + rng.normal(scale=std, size=(n, 2))
    if scenario == "noisy":
        return centers[rng.integers(0, len(centers), n)] + rng.normal(scale=4 * std, size=(n, 2))
    angle = rng.uniform(0, 2 * np.pi)
    return ring.sample(n, rng) + 1.5 * std * np.array([np.cos(angle), np.sin(angle)])
