"""Corruptions a denoiser is asked to undo: Gaussian, salt-and-pepper, and masking (dropout) noise.

All work on float images in [0, 1] of any shape ((H, W), (H, W, C), (N, 1, H, W)) and take a NumPy
``Generator`` so a page can redraw the same noise for the same seed.
"""

from __future__ import annotations

import numpy as np

NOISE_KINDS = ("gaussian", "salt_pepper", "dropout", "none")
LABELS = {
    "gaussian": "Gaussian (sigma)",
    "salt_pepper": "Salt and pepper (p)",
    "dropout": "Masking / dropout (p)",
    "none": "My image is already noisy",
}


def add_gaussian(x0: np.ndarray, sigma: float, rng: np.random.Generator, clip: bool = False) -> np.ndarray:
    """Additive white Gaussian noise: y = x0 + sigma * eps, eps ~ N(0, I).

    Args:
        x0: clean image in [0, 1].
        sigma: standard deviation on the [0, 1] scale (25/255 ~ 0.098 for "sigma = 25").
        rng: NumPy random generator.
        clip: clip y to [0, 1] (as saving to an 8-bit file would); the DnCNN paper does not.

    Returns:
        float32 array of x0's shape.
    """
    if sigma < 0:
        raise ValueError(f"sigma must be >= 0, got {sigma}.")
    y = x0 + sigma * rng.standard_normal(x0.shape)
    return (np.clip(y, 0.0, 1.0) if clip else y).astype(np.float32)


def add_salt_pepper(x0: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """Impulse noise: each value is replaced, with probability p, by 0 or 1 (equally likely).

    Args:
        x0: clean image in [0, 1].
        p: fraction of corrupted values, in [0, 1].

    Returns:
        float32 array of x0's shape.
    """
    _check_p(p)
    u = rng.random(x0.shape)
    y = np.array(x0, dtype=np.float32, copy=True)
    y[u < p / 2] = 0.0
    y[(u >= p / 2) & (u < p)] = 1.0
    return y


def add_dropout(x0: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """Masking noise of the dropout denoising autoencoder: each value is set to 0 with probability p.

    Unlike ``nn.Dropout`` the kept values are *not* rescaled by 1/(1-p): the input is a corrupted
    image, not a regularised activation (Vincent et al. 2008, "masking noise").

    Returns:
        float32 array of x0's shape.
    """
    _check_p(p)
    keep = rng.random(x0.shape) >= p
    return (x0 * keep).astype(np.float32)


def corrupt(x0: np.ndarray, kind: str, level: float, rng: np.random.Generator) -> np.ndarray:
    """Apply one of :data:`NOISE_KINDS` (``"none"`` returns a float32 copy: the image is already noisy)."""
    if kind == "gaussian":
        return add_gaussian(x0, level, rng)
    if kind == "salt_pepper":
        return add_salt_pepper(x0, level, rng)
    if kind == "dropout":
        return add_dropout(x0, level, rng)
    if kind == "none":
        return np.array(x0, dtype=np.float32, copy=True)
    raise ValueError(f"Unknown noise {kind!r}; choose one of {', '.join(NOISE_KINDS)}.")


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p}.")
