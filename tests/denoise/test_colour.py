"""The opponent colour transform: invertible, and white RGB noise stays white with the stated stds."""

import numpy as np
import pytest

from models.denoise import colour


def test_round_trip_and_range():
    rgb = np.random.default_rng(0).random((20, 30, 3))
    yuv = colour.to_opponent(rgb)
    np.testing.assert_allclose(colour.from_opponent(yuv), rgb, atol=1e-6)
    corners = colour.to_opponent(np.array([[[r, g, b] for r in (0, 1) for g in (0, 1) for b in (0, 1)]], float))
    assert corners.min() >= -1e-7 and corners.max() <= 1 + 1e-7


def test_white_noise_stays_white_with_known_stds():
    n = 0.1 * np.random.default_rng(1).standard_normal((500, 500, 3))
    t = (colour.to_opponent(n) - colour.OFFSET).reshape(-1, 3)
    np.testing.assert_allclose(t.std(axis=0), colour.opponent_sigmas(0.1), rtol=0.01)
    corr = np.corrcoef(t.T)
    assert np.abs(corr - np.eye(3)).max() < 0.01
    assert colour.opponent_sigmas(1.0) == pytest.approx([3 ** -0.5, 2 ** -0.5, 6 ** 0.5 / 4])
