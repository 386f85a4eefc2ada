"""An orthogonal colour transform that keeps Gaussian noise white, for denoising colour photos.

Colour noise of std sigma, independent in R, G and B, stays independent under any transform with
orthogonal rows; each output channel's noise std is sigma times its row's length. CBM3D (Dabov et al.
2007) uses this to denoise a luminance-opponent colour space where the image's energy concentrates in
one channel and the two chroma channels are smooth. GenLab's grayscale photo denoiser is run on
    Y = (R + G + B) / 3,          noise std sigma / sqrt(3)
    U = (R - B) / 2 + 1/2,        noise std sigma / sqrt(2)
    V = (R - 2G + B) / 4 + 1/2,   noise std sigma * sqrt(6) / 4
each channel in [0, 1], then transformed back.
"""

from __future__ import annotations

import numpy as np

# Rows are orthogonal (not unit length: scaled so each channel stays in [0, 1] after the offset).
OPPONENT = np.array([[1 / 3, 1 / 3, 1 / 3],
                     [1 / 2, 0.0, -1 / 2],
                     [1 / 4, -1 / 2, 1 / 4]], dtype=np.float64)
OFFSET = np.array([0.0, 0.5, 0.5], dtype=np.float64)
INVERSE = np.linalg.inv(OPPONENT)


def to_opponent(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) RGB in [0, 1] -> (H, W, 3) opponent channels (Y, U, V), each in [0, 1] for clean input."""
    return (np.asarray(rgb, dtype=np.float64) @ OPPONENT.T + OFFSET).astype(np.float32)


def from_opponent(yuv: np.ndarray) -> np.ndarray:
    """Inverse of :func:`to_opponent` (not clipped)."""
    return ((np.asarray(yuv, dtype=np.float64) - OFFSET) @ INVERSE.T).astype(np.float32)


def opponent_sigmas(sigma: float) -> np.ndarray:
    """(3,) noise std of Y, U, V for white RGB noise of std ``sigma``: sigma * ||row||."""
    return float(sigma) * np.linalg.norm(OPPONENT, axis=1)
