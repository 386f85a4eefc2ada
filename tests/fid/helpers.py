"""Test helpers: real MNIST digits as PNG files and zips."""

from __future__ import annotations

import io
import zipfile

import numpy as np
from PIL import Image


def png(array: np.ndarray, mode: str | None = None) -> bytes:
    """(H, W) in [0, 1] -> PNG bytes (8-bit grayscale unless mode says otherwise)."""
    img = Image.fromarray((np.clip(array, 0, 1) * 255).round().astype(np.uint8))
    if mode:
        img = img.convert(mode)
    buf = io.BytesIO()
    img.save(buf, format="PNG" if mode != "CMYK" else "JPEG")
    return buf.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def digits_zip(x, prefix: str = "") -> bytes:
    """x (N, 1, H, W) tensor in [0, 1] -> zip of PNGs."""
    return zip_of({f"{prefix}{i:04d}.png": png(x[i, 0].numpy()) for i in range(x.shape[0])})
