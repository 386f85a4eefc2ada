"""GIF export of a reverse-process timeline: one frame per kept step, a mosaic of the samples."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from .figures import tile


def timeline_gif(frames: np.ndarray, cols: int = 8, scale: int | None = None, duration_ms: int = 150,
                 hold_last_ms: int = 1200) -> bytes:
    """Encode frames (K, N, H, W) in [0, 1] as an animated GIF that loops forever.

    Args:
        frames: K frames, each N images tiled into a mosaic of ``cols`` columns.
        scale: nearest-neighbour upscaling (default: make each image about 56 px).
    Returns:
        the GIF file's bytes.
    """
    frames = np.asarray(frames, np.float32)
    if frames.ndim != 4 or len(frames) == 0:
        raise ValueError(f"frames must be (K, N, H, W) with K >= 1, got shape {frames.shape}.")
    scale = scale or max(1, 56 // frames.shape[-1])
    imgs = []
    for f in frames:
        mosaic = (np.clip(tile(f, cols), 0, 1) * 255).round().astype(np.uint8)
        img = Image.fromarray(mosaic, mode="L")
        imgs.append(img.resize((img.width * scale, img.height * scale), Image.NEAREST))
    buf = io.BytesIO()
    durations = [duration_ms] * (len(imgs) - 1) + [hold_last_ms]
    imgs[0].save(buf, format="GIF", save_all=True, append_images=imgs[1:], duration=durations, loop=0)
    return buf.getvalue()
