"""Classical denoisers, the baselines a learned one must beat: Gaussian blur, median, non-local means.

All take a noisy float image in [0, 1], (H, W) or (H, W, C) (colour filtered channel by channel;
non-local means compares colour patches jointly), and return a float32 array of the same shape.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter, median_filter
from skimage.restoration import denoise_nl_means


def gaussian_blur(y: np.ndarray, blur_sigma: float = 1.0) -> np.ndarray:
    """Convolve with a Gaussian of std ``blur_sigma`` pixels (per channel): x_hat = G_s * y.

    It averages noise away (variance falls about as 1 / (4 pi s^2)) but blurs edges just as much.
    """
    if blur_sigma < 0:
        raise ValueError(f"blur_sigma must be >= 0, got {blur_sigma}.")
    spatial = (blur_sigma, blur_sigma) + (0.0,) * (y.ndim - 2)
    return gaussian_filter(np.asarray(y, dtype=np.float32), spatial, mode="reflect").astype(np.float32)


def median(y: np.ndarray, size: int = 3) -> np.ndarray:
    """Median over a ``size`` x ``size`` window (per channel): robust to salt-and-pepper outliers."""
    if size < 1:
        raise ValueError(f"size must be >= 1, got {size}.")
    footprint = (size, size) + (1,) * (y.ndim - 2)
    return median_filter(np.asarray(y, dtype=np.float32), size=footprint, mode="reflect").astype(np.float32)


def non_local_means(y: np.ndarray, noise_sigma: float, h_factor: float = 0.8, patch_size: int = 5,
                    patch_distance: int = 6) -> np.ndarray:
    """Non-local means (Buades, Coll, Morel 2005) from scikit-image.

    Each pixel becomes a weighted mean of pixels whose surrounding patches look alike:
        x_hat(i) = sum_j w(i, j) y(j) / sum_j w(i, j),
        w(i, j) = exp(-max(||P_i - P_j||^2 / n - 2 sigma^2, 0) / h^2),
    with h = ``h_factor`` * sigma, patches of ``patch_size``^2 pixels searched within
    ``patch_distance`` pixels (scikit-image's recommended settings for known sigma).

    Args:
        y: noisy image in [0, 1], (H, W) or (H, W, C).
        noise_sigma: noise std on the [0, 1] scale (use :func:`estimate_noise_sigma` when unknown).
    """
    arr = np.asarray(y, dtype=np.float32)
    sigma = max(float(noise_sigma), 1e-4)
    channel_axis = -1 if arr.ndim == 3 else None
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr, channel_axis = arr[..., 0], None
    out = denoise_nl_means(arr, h=h_factor * sigma, sigma=sigma, patch_size=patch_size,
                           patch_distance=patch_distance, fast_mode=True, channel_axis=channel_axis)
    return np.asarray(out, dtype=np.float32).reshape(y.shape)


def estimate_noise_sigma(y: np.ndarray) -> float:
    """Estimate the Gaussian noise std of an image (Donoho and Johnstone 1994, wavelet MAD).

    The finest diagonal Haar coefficients of 2x2 blocks [[a, b], [c, d]], d_hh = (a - b - c + d) / 2,
    are an orthonormal transform, so white noise of std sigma keeps std sigma there while smooth image
    content mostly cancels; the median is robust to the edges that remain:
        sigma_hat = median(|d_hh|) / 0.6745.
    Averaged over channels. (scikit-image's ``estimate_sigma`` computes the same with a db2 wavelet
    but needs PyWavelets; this needs only NumPy.)

    Args:
        y: noisy image, (H, W) or (H, W, C), at least 2x2.

    Returns:
        sigma on the scale of ``y`` (the [0, 1] scale for GenLab images).
    """
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim == 2:
        arr = arr[..., None]
    H, W = arr.shape[0] // 2 * 2, arr.shape[1] // 2 * 2
    if H < 2 or W < 2:
        raise ValueError(f"noise estimation needs at least 2x2 pixels, got {arr.shape[:2]}.")
    a, b = arr[0:H:2, 0:W:2], arr[0:H:2, 1:W:2]
    c, d = arr[1:H:2, 0:W:2], arr[1:H:2, 1:W:2]
    d_hh = (a - b - c + d) / 2.0  # (H/2, W/2, C)
    per_channel = np.median(np.abs(d_hh).reshape(-1, arr.shape[2]), axis=0) / 0.6745
    return float(per_channel.mean())
