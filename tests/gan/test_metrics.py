"""Mode metrics (VEEGAN): constructed sample sets with known answers, and a brute-force re-count."""

import numpy as np

from models.data import TOYS_2D
from models.gan.metrics import mode_stats

RING = TOYS_2D["ring8"]


def test_real_data_covers_every_mode_with_about_99_percent_high_quality():
    rng = np.random.default_rng(0)
    stats = mode_stats(RING.sample(2500, rng), RING.centers, RING.std)
    assert stats.modes_covered == 8
    # within 3 sigma of a 2D Gaussian: P(chi2_2 <= 9) = 1 - exp(-4.5) = 0.9889
    assert abs(stats.high_quality - (1 - np.exp(-4.5))) < 0.01


def test_collapsed_and_far_samples():
    one_mode = np.repeat(RING.centers[:1], 2500, axis=0)
    s = mode_stats(one_mode, RING.centers, RING.std)
    assert (s.modes_covered, s.high_quality, int(s.counts[0])) == (1, 1.0, 2500)
    far = RING.centers[np.arange(2500) % 8] + np.array([4 * RING.std, 0])
    s = mode_stats(far, RING.centers, RING.std)
    assert (s.modes_covered, s.high_quality) == (0, 0.0)


def test_min_count_threshold():
    pts = np.concatenate([np.repeat(RING.centers[:1], 19, 0), np.repeat(RING.centers[1:2], 20, 0)])
    assert mode_stats(pts, RING.centers, RING.std).modes_covered == 1  # 19 < 20 <= 20


def test_matches_brute_force_on_the_grid():
    grid = TOYS_2D["grid25"]
    rng = np.random.default_rng(3)
    pts = rng.uniform(-5, 5, (3000, 2))
    s = mode_stats(pts, grid.centers, grid.std)
    counts = np.zeros(25, int)
    for p in pts:
        d = [np.hypot(*(p - c)) for c in grid.centers]
        k = int(np.argmin(d))
        if d[k] <= 3 * grid.std:
            counts[k] += 1
    np.testing.assert_array_equal(s.counts, counts)
    assert s.high_quality == counts.sum() / len(pts)
