"""Crop-and-zoom for comparing denoisers pixel by pixel: the same window of every image, enlarged.

Enlarging uses nearest-neighbour sampling, so each image pixel becomes a visible square block and no
smoothing of the display hides (or fakes) the difference between two denoisers.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from .export import to_uint8

ZOOMS = (1, 2, 4, 8, 16)


def crop_box(h: int, w: int, zoom: float, cx: float, cy: float) -> tuple[int, int, int, int]:
    """The window (top, left, height, width) of an h x w image shown at ``zoom``, centred near (cx, cy).

    The window is (h / zoom) x (w / zoom) pixels (at least 1), centred at (cy * h, cx * w) and shifted
    inside the image when the centre is near an edge.

    Args:
        zoom: magnification >= 1.
        cx, cy: centre as fractions of the width and height, in [0, 1].
    """
    if zoom < 1:
        raise ValueError(f"zoom must be >= 1 (1 shows the whole image), got {zoom}.")
    if not (0 <= cx <= 1 and 0 <= cy <= 1):
        raise ValueError(f"the centre is given as fractions of the image in [0, 1], got ({cx}, {cy}).")
    ch, cw = max(1, round(h / zoom)), max(1, round(w / zoom))
    top = min(max(round(cy * h - ch / 2), 0), h - ch)
    left = min(max(round(cx * w - cw / 2), 0), w - cw)
    return top, left, ch, cw


def crop_zoom(image: np.ndarray, zoom: float, cx: float = 0.5, cy: float = 0.5, side: int = 640) -> np.ndarray:
    """The window :func:`crop_box` picks, resized so its longer side is ``side`` pixels, as uint8.

    Args:
        image: (H, W) or (H, W, C) float in [0, 1] (C = 1 or 3).
        side: longer side of the result; nearest-neighbour when enlarging, box filter when shrinking.

    Returns:
        (h', W', ...) uint8, grayscale (2-D) or RGB.
    """
    arr = to_uint8(image)  # (H, W) or (H, W, 3)
    top, left, ch, cw = crop_box(arr.shape[0], arr.shape[1], zoom, cx, cy)
    crop = arr[top:top + ch, left:left + cw]
    scale = side / max(ch, cw)
    size = (max(1, round(cw * scale)), max(1, round(ch * scale)))
    return np.asarray(Image.fromarray(crop).resize(size, Image.NEAREST if scale >= 1 else Image.BOX))
