"""Noise models: statistics match their definitions."""

import numpy as np
import pytest

from models.denoise import noise


def test_gaussian_noise_has_the_requested_std():
    x0 = np.full((300, 300), 0.5)
    y = noise.add_gaussian(x0, 0.2, np.random.default_rng(0))
    r = y - x0
    assert r.mean() == pytest.approx(0.0, abs=3 * 0.2 / 300)
    assert r.std() == pytest.approx(0.2, rel=0.01)  # std error of the std ~ 0.2 / sqrt(2 * 90000)
    assert y.dtype == np.float32 and (y.min() < 0 or y.max() > 1)  # not clipped by default
    clipped = noise.add_gaussian(x0, 0.2, np.random.default_rng(0), clip=True)
    assert clipped.min() >= 0 and clipped.max() <= 1


def test_salt_and_pepper_fraction_and_values():
    x0 = np.full((200, 200, 3), 0.5, dtype=np.float32)
    y = noise.add_salt_pepper(x0, 0.3, np.random.default_rng(1))
    changed = y != 0.5
    assert changed.mean() == pytest.approx(0.3, abs=0.01)
    assert set(np.unique(y[changed])) == {0.0, 1.0}
    assert (y == 0).mean() == pytest.approx(0.15, abs=0.01)


def test_dropout_zeroes_a_fraction_p_and_keeps_the_rest_unscaled():
    x0 = np.random.default_rng(2).uniform(0.1, 1.0, (200, 200))
    y = noise.add_dropout(x0, 0.5, np.random.default_rng(3))
    zero = y == 0
    assert zero.mean() == pytest.approx(0.5, abs=0.01)
    np.testing.assert_allclose(y[~zero], x0[~zero].astype(np.float32))


def test_same_seed_same_noise_and_bad_levels_are_refused():
    x0 = np.zeros((8, 8))
    a = noise.corrupt(x0, "gaussian", 0.1, np.random.default_rng(5))
    b = noise.corrupt(x0, "gaussian", 0.1, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(noise.corrupt(x0, "none", 0.3, np.random.default_rng(0)), x0)
    with pytest.raises(ValueError, match="probability"):
        noise.add_dropout(x0, 1.5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="sigma"):
        noise.add_gaussian(x0, -1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="Unknown noise"):
        noise.corrupt(x0, "poisson", 0.1, np.random.default_rng(0))
