"""Image-quality metrics against a clean reference: PSNR and SSIM.

Both take float images on [0, data_range], shape (H, W) or (H, W, C); colour SSIM is the mean of the
per-channel SSIMs (as ``skimage.metrics.structural_similarity(channel_axis=-1)``).
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter


def psnr(x: np.ndarray, ref: np.ndarray, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio in dB: PSNR = 10 log10(R^2 / MSE), MSE = mean((x - ref)^2).

    Args:
        x: estimate, any shape.
        ref: clean reference, same shape.
        data_range: R, the span of valid values (1 for [0, 1] images, 255 for 8-bit).

    Returns:
        PSNR in dB (``inf`` when x equals ref).
    """
    x, ref = np.asarray(x, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    if x.shape != ref.shape:
        raise ValueError(f"shapes differ: {x.shape} vs {ref.shape}.")
    mse = float(np.mean((x - ref) ** 2))
    return float("inf") if mse == 0 else float(10.0 * np.log10(data_range ** 2 / mse))


def ssim(x: np.ndarray, ref: np.ndarray, data_range: float = 1.0, sigma: float = 1.5) -> float:
    """Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004, eq. 13), Gaussian-weighted.

    Local statistics use an isotropic Gaussian window (std ``sigma``, truncated at 3.5 std):
        SSIM(x, y) = ((2 mu_x mu_y + C1)(2 s_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(s_x^2 + s_y^2 + C2)),
        C1 = (0.01 R)^2, C2 = (0.03 R)^2,
    averaged over the image after cropping the border where the window would leave the image.

    Args:
        x: estimate, (H, W) or (H, W, C).
        ref: clean reference, same shape.
        data_range: R.

    Returns:
        mean SSIM in [-1, 1] (1 when x equals ref).
    """
    x, ref = np.asarray(x, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    if x.shape != ref.shape:
        raise ValueError(f"shapes differ: {x.shape} vs {ref.shape}.")
    if x.ndim == 3:
        return float(np.mean([ssim(x[..., c], ref[..., c], data_range, sigma) for c in range(x.shape[2])]))
    if x.ndim != 2:
        raise ValueError(f"expected (H, W) or (H, W, C), got shape {x.shape}.")
    truncate = 3.5
    radius = int(truncate * sigma + 0.5)
    if min(x.shape) < 2 * radius + 1:
        raise ValueError(f"SSIM needs images of at least {2 * radius + 1}x{2 * radius + 1} pixels, got {x.shape}.")

    def blur(a: np.ndarray) -> np.ndarray:
        return gaussian_filter(a, sigma, mode="reflect", truncate=truncate)

    mu_x, mu_y = blur(x), blur(ref)
    s_xx = blur(x * x) - mu_x ** 2
    s_yy = blur(ref * ref) - mu_y ** 2
    s_xy = blur(x * ref) - mu_x * mu_y
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    s_map = ((2 * mu_x * mu_y + c1) * (2 * s_xy + c2)) / ((mu_x ** 2 + mu_y ** 2 + c1) * (s_xx + s_yy + c2))
    return float(s_map[radius:-radius, radius:-radius].mean())
