"""User-made 2D data: pasted "x, y" lines, or points picked by lasso on a grid of candidates."""

from __future__ import annotations

import re

import numpy as np

MAX_POINTS = 5000
MAX_ABS = 1e3


def parse_points(text: str) -> tuple[np.ndarray, list[str]]:
    """Read one point per line, ``x, y`` (comma, semicolon, tab or spaces between; ``#`` starts a comment).

    Returns:
        (points (N, 2) float32, problems): every line that could not be read is named in ``problems``
        with what was expected; the good lines are still used.
    """
    pts, problems = [], []
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p for p in re.split(r"[,;\s]+", line) if p]
        try:
            if len(parts) != 2:
                raise ValueError
            x, y = float(parts[0]), float(parts[1])
        except ValueError:
            problems.append(f"line {i}: {raw.strip()[:40]!r} is not two numbers 'x, y'")
            continue
        if not (np.isfinite(x) and np.isfinite(y)) or max(abs(x), abs(y)) > MAX_ABS:
            problems.append(f"line {i}: coordinates must be finite numbers within +-{MAX_ABS:g}")
            continue
        pts.append((x, y))
    if len(pts) > MAX_POINTS:
        problems.append(f"{len(pts)} points given; only the first {MAX_POINTS} are used")
        pts = pts[:MAX_POINTS]
    return np.asarray(pts, np.float32).reshape(-1, 2), problems


def candidate_grid(n: int = 41, lim: float = 2.0) -> np.ndarray:
    """(n*n, 2) float32 points on a regular grid over [-lim, lim]^2 for lasso "drawing"."""
    g = np.linspace(-lim, lim, n, dtype=np.float32)
    gx, gy = np.meshgrid(g, g)
    return np.stack([gx.ravel(), gy.ravel()], 1)


def format_points(points: np.ndarray) -> str:
    """The inverse of :func:`parse_points`: one ``x, y`` line per point."""
    return "\n".join(f"{x:.3f}, {y:.3f}" for x, y in np.asarray(points).reshape(-1, 2))
