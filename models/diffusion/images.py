"""Turning an uploaded picture into the model's input: grayscale, white digit on black, H x W pixels."""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F


def to_model_input(array: np.ndarray, size: int, invert: str = "auto") -> tuple[torch.Tensor, bool]:
    """Convert an (H, W) or (H, W, C) picture in [0, 1] to a (1, 1, size, size) tensor in [0, 1].

    Grayscale is the ITU-R BT.601 luma 0.299 R + 0.587 G + 0.114 B; resizing is bilinear with
    antialiasing. MNIST digits are white on black, so with ``invert="auto"`` a picture whose median is
    bright (a dark digit on white paper) is inverted.

    Args:
        array: pixel values in [0, 1]; C is 1, 3 or 4 (alpha is ignored).
        size: output side (28 for MNIST, 8 for digits).
        invert: ``"auto"``, ``"yes"`` or ``"no"``.
    Returns:
        (image (1, 1, size, size), inverted?)
    Raises:
        ValueError: not 2-D or 3-D, or an empty image.
    """
    a = np.asarray(array, dtype=np.float32)
    if a.ndim == 3:
        a = a[..., 0] if a.shape[2] < 3 else a[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32)
    if a.ndim != 2 or min(a.shape) < 1:
        raise ValueError(f"Expected a picture of shape (H, W) or (H, W, C), got {np.shape(array)}.")
    inverted = invert == "yes" or (invert == "auto" and float(np.median(a)) > 0.5)
    if inverted:
        a = 1.0 - a
    x = torch.from_numpy(np.ascontiguousarray(a))[None, None]  # (1, 1, H, W)
    x = F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)
    return x.clamp(0.0, 1.0), inverted
