"""Classical filters against reference implementations, and the noise estimator against known sigma."""

import numpy as np
import pytest
from skimage.filters import gaussian as sk_gaussian

from models.denoise import classical
from models.denoise.metrics import psnr


def _photo():
    from sklearn.datasets import load_sample_images

    return load_sample_images().images[1][100:228, 200:360].astype(np.float32) / 255  # (128, 160, 3)


def test_gaussian_blur_matches_skimage():
    y = _photo()
    expected = sk_gaussian(y, sigma=1.3, mode="reflect", truncate=4.0, channel_axis=-1, preserve_range=True)
    np.testing.assert_allclose(classical.gaussian_blur(y, 1.3), expected, atol=1e-5)
    np.testing.assert_allclose(classical.gaussian_blur(y[..., 0], 1.3), expected[..., 0], atol=1e-5)


def test_median_matches_a_brute_force_median():
    rng = np.random.default_rng(0)
    y = rng.random((12, 15)).astype(np.float32)
    padded = np.pad(y, 1, mode="symmetric")  # scipy's "reflect" repeats the edge pixel
    brute = np.array([[np.median(padded[i:i + 3, j:j + 3]) for j in range(15)] for i in range(12)])
    np.testing.assert_allclose(classical.median(y, 3), brute, atol=1e-7)
    colour = rng.random((10, 10, 3)).astype(np.float32)
    np.testing.assert_allclose(classical.median(colour, 3)[..., 2], classical.median(colour[..., 2], 3))


def test_median_removes_salt_and_pepper_that_blur_cannot():
    from models.denoise.noise import add_salt_pepper

    x0 = _photo()[..., 0]
    y = add_salt_pepper(x0, 0.05, np.random.default_rng(1))
    assert psnr(classical.median(y, 3), x0) > psnr(classical.gaussian_blur(y, 1.0), x0) + 3


@pytest.mark.parametrize("sigma", [5 / 255, 25 / 255, 50 / 255])
def test_noise_estimate_on_pure_noise_is_sigma(sigma):
    y = 0.5 + sigma * np.random.default_rng(2).standard_normal((256, 256))
    assert classical.estimate_noise_sigma(y) == pytest.approx(sigma, rel=0.05)


def test_noise_estimate_on_a_noisy_photo():
    x0 = _photo()
    y = x0 + 25 / 255 * np.random.default_rng(3).standard_normal(x0.shape)
    assert classical.estimate_noise_sigma(y) * 255 == pytest.approx(25, rel=0.15)
    # a clean photo has little diagonal-detail energy: far below the noisy estimate
    assert classical.estimate_noise_sigma(x0) < 0.3 * classical.estimate_noise_sigma(y)


def test_noise_estimate_agrees_with_skimage_when_pywavelets_is_there():
    pytest.importorskip("pywt")
    from skimage.restoration import estimate_sigma

    y = _photo() + 20 / 255 * np.random.default_rng(4).standard_normal((128, 160, 3))
    ref = estimate_sigma(y, channel_axis=-1, average_sigmas=True)
    assert classical.estimate_noise_sigma(y) == pytest.approx(ref, rel=0.1)


def test_non_local_means_beats_blur_on_a_noisy_photo():
    x0 = _photo()
    sigma = 25 / 255
    y = x0 + sigma * np.random.default_rng(5).standard_normal(x0.shape).astype(np.float32)
    nlm = classical.non_local_means(y, sigma)
    assert nlm.shape == y.shape and nlm.dtype == np.float32
    assert psnr(nlm, x0) > psnr(y, x0) + 5
    gray = classical.non_local_means(y[..., :1], sigma)
    assert gray.shape == (128, 160, 1)
