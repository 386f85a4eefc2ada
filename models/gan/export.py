"""Exports: the loss history as CSV, a sample grid as PNG, training snapshots as an animated GIF."""

from __future__ import annotations

import csv
import io

import numpy as np
from PIL import Image, ImageDraw

HISTORY_COLUMNS = ("step", "d_loss", "g_loss", "d_real", "d_fake")


def history_csv(history: dict) -> bytes:
    """CSV bytes with a header ``step,d_loss,g_loss,d_real,d_fake`` and one row per recorded step."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HISTORY_COLUMNS)
    cols = [np.asarray(history[k]) for k in HISTORY_COLUMNS]
    for row in zip(*cols):
        writer.writerow([int(row[0])] + [f"{float(v):.6g}" for v in row[1:]])
    return buf.getvalue().encode()


def tile(grid: np.ndarray, cols: int = 10, pad: int = 1) -> np.ndarray:
    """Tile (N, H, W) images in [0, 1] into one (rows*(H+pad)-pad, cols*(W+pad)-pad) image (padding 1.0)."""
    grid = np.asarray(grid, np.float32)
    n, h, w = grid.shape
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    out = np.ones((rows * (h + pad) - pad, cols * (w + pad) - pad), np.float32)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + pad):r * (h + pad) + h, c * (w + pad):c * (w + pad) + w] = grid[i]
    return out


def _to_image(grid: np.ndarray, cols: int, scale: int) -> Image.Image:
    img = Image.fromarray((np.clip(tile(grid, cols), 0, 1) * 255).round().astype(np.uint8), mode="L")
    return img.resize((img.width * scale, img.height * scale), Image.NEAREST) if scale > 1 else img


def grid_png(grid: np.ndarray, cols: int = 10, scale: int = 3) -> bytes:
    """PNG bytes of the tiled sample grid, each pixel enlarged ``scale`` times."""
    buf = io.BytesIO()
    _to_image(grid, cols, scale).save(buf, format="PNG")
    return buf.getvalue()


def snapshots_gif(snapshots, cols: int = 10, scale: int = 3, duration_ms: int = 200) -> bytes:
    """Animated GIF bytes, one frame per ``(step, grid)`` snapshot, the step written in the corner."""
    frames = []
    for step, grid in snapshots:
        img = _to_image(grid, cols, scale).convert("L")
        canvas = Image.new("L", (img.width, img.height + 14), 255)
        canvas.paste(img, (0, 14))
        ImageDraw.Draw(canvas).text((2, 1), f"step {step}", fill=0)
        frames.append(canvas)
    if not frames:
        raise ValueError("No snapshots to animate yet: train for a few steps first.")
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=duration_ms, loop=0)
    return buf.getvalue()


def points_gif(frames, extent, size: int = 320, duration_ms: int = 150) -> bytes:
    """Animated GIF of 2D training: each frame ``(step, real (N, 2), fake (M, 2))`` drawn as dots."""
    x0, x1, y0, y1 = extent
    out = []
    for step, real, fake in frames:
        img = Image.new("RGB", (size, size + 16), "white")
        draw = ImageDraw.Draw(img)
        for pts, color in ((real, (26, 152, 80)), (fake, (123, 50, 148))):
            px = (np.asarray(pts)[:, 0] - x0) / (x1 - x0) * (size - 1)
            py = 16 + (1 - (np.asarray(pts)[:, 1] - y0) / (y1 - y0)) * (size - 1)
            for a, b in zip(px, py):
                draw.ellipse((a - 1.5, b - 1.5, a + 1.5, b + 1.5), fill=color)
        draw.text((3, 2), f"step {step}", fill=(0, 0, 0))
        out.append(img.convert("P", palette=Image.ADAPTIVE, colors=16))
    if not out:
        raise ValueError("No frames to animate yet: train for a few steps first.")
    buf = io.BytesIO()
    out[0].save(buf, format="GIF", save_all=True, append_images=out[1:], duration=duration_ms, loop=0)
    return buf.getvalue()
