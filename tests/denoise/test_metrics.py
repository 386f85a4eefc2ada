"""PSNR and SSIM against scikit-image's reference implementations on the same inputs."""

import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from models.denoise.metrics import psnr, ssim


def _pair(shape, seed, noise=0.1):
    rng = np.random.default_rng(seed)
    ref = rng.random(shape)
    return np.clip(ref + noise * rng.standard_normal(shape), 0, 1), ref


@pytest.mark.parametrize("shape", [(32, 40), (64, 48, 3)])
def test_psnr_matches_skimage(shape):
    x, ref = _pair(shape, 0)
    assert psnr(x, ref) == pytest.approx(peak_signal_noise_ratio(ref, x, data_range=1.0), rel=1e-12)


def test_psnr_closed_form_and_identity():
    ref = np.zeros((10, 10))
    assert psnr(ref + 0.1, ref) == pytest.approx(20.0)  # MSE 0.01 -> 10 log10(1 / 0.01)
    assert psnr(ref, ref) == float("inf")
    with pytest.raises(ValueError, match="shapes differ"):
        psnr(ref, ref[:5])


@pytest.mark.parametrize("shape,seed", [((40, 50), 1), ((33, 61), 2), ((48, 40, 3), 3)])
def test_ssim_matches_skimage(shape, seed):
    x, ref = _pair(shape, seed, noise=0.2)
    expected = structural_similarity(x, ref, data_range=1.0, gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False, channel_axis=-1 if len(shape) == 3 else None)
    assert ssim(x, ref) == pytest.approx(expected, abs=1e-9)


def test_ssim_on_a_real_photo():
    from sklearn.datasets import load_sample_images

    ref = load_sample_images().images[0][:128, :128].astype(np.float64) / 255
    x = np.clip(ref + 0.1 * np.random.default_rng(0).standard_normal(ref.shape), 0, 1)
    expected = structural_similarity(x, ref, data_range=1.0, gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False, channel_axis=-1)
    assert ssim(x, ref) == pytest.approx(expected, abs=1e-9)
    assert ssim(ref, ref) == pytest.approx(1.0)


def test_ssim_rejects_tiny_images():
    with pytest.raises(ValueError, match="at least 11x11"):
        ssim(np.zeros((8, 8)), np.zeros((8, 8)))
