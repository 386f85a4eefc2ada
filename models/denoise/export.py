"""Denoised images out: 8-bit PNG bytes for one image, a zip of PNGs for many."""

from __future__ import annotations

import io
import posixpath
import zipfile

import numpy as np
from PIL import Image


def to_uint8(image: np.ndarray) -> np.ndarray:
    """(H, W) or (H, W, C) float in [0, 1] -> uint8 (rounded, clipped); C = 1 is squeezed."""
    arr = np.asarray(image, dtype=np.float32)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    return (np.clip(arr, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def png_bytes(image: np.ndarray) -> bytes:
    """Encode a float image in [0, 1] as an 8-bit PNG (grayscale or RGB)."""
    buf = io.BytesIO()
    Image.fromarray(to_uint8(image)).save(buf, format="PNG")
    return buf.getvalue()


def output_name(name: str, suffix: str = "denoised") -> str:
    """``holiday/IMG_1.jpg`` -> ``IMG_1_denoised.png`` (folders dropped, always .png)."""
    stem = posixpath.splitext(posixpath.basename(name.replace("\\", "/")))[0] or "image"
    return f"{stem}_{suffix}.png"


def unique_names(names: list[str]) -> list[str]:
    """Make file names unique by appending -2, -3... to repeats (two uploads called photo.jpg)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        if count > 1:
            stem, ext = posixpath.splitext(name)
            name = f"{stem}-{count}{ext}"
        out.append(name)
    return out


def zip_pngs(items: list[tuple[str, np.ndarray]]) -> bytes:
    """A zip holding one PNG per (file name, image); repeated names get -2, -3..."""
    buf = io.BytesIO()
    names = unique_names([n for n, _ in items])
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, (_, image) in zip(names, items):
            archive.writestr(name, png_bytes(image))
    return buf.getvalue()


def preview(image: np.ndarray, max_side: int) -> np.ndarray:
    """A uint8 copy no larger than ``max_side`` pixels per side, for display (box-filtered, like a thumbnail)."""
    arr = to_uint8(image)
    h, w = arr.shape[:2]
    if max(h, w) <= max_side:
        return arr
    scale = max_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(Image.fromarray(arr).resize(size, Image.BOX))
