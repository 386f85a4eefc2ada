"""What the 2D views show, computed from the networks: D's heat map, G's manifold, gradient arrows.

Pure functions of (G, D, points); no plotting here (see :mod:`models.gan.figures`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from . import losses
from .config import ToyConfig
from .metrics import ModeStats, mode_stats

GRID = 64          # heat-map resolution per axis
Z_LINES = 15       # manifold: lines per axis of the z grid
Z_POINTS = 40      # points per manifold line
N_SHOWN = 500      # points drawn per scatter (the browser redraws them every second: 2 x 1000 SVG markers kept a
                   # 2-core machine's renderer busy; the mode metrics use all 2,500 samples)
N_ARROWS = 120


@dataclass(frozen=True)
class ToyViews:
    """Everything the 2D plots need, as float32 numpy arrays.

    Attributes:
        real, fake: (N_SHOWN, 2) real and generated points.
        xs, ys: (GRID,) heat-map axes; d_grid: (GRID, GRID) D's output at (xs[j], ys[i]) (row i, column j).
        manifold: (2, Z_LINES, Z_POINTS, 2) where lines of constant z1 (index 0) and constant z2 (index 1)
            of a z grid land after G (other z dimensions fixed at 0).
        arrow_at, arrow_dir: (N_ARROWS, 2) generated points and -grad_x L_G there (where G pushes them).
        modes: mode statistics of 2,500 generated samples, for mixtures of Gaussians, else None.
        d_label: what d_grid holds ("D(x) probability", "LSGAN output", "critic value").
    """

    real: np.ndarray
    fake: np.ndarray
    xs: np.ndarray
    ys: np.ndarray
    d_grid: np.ndarray
    manifold: np.ndarray
    arrow_at: np.ndarray
    arrow_dir: np.ndarray
    modes: ModeStats | None
    d_label: str
    extent: tuple[float, float, float, float]


def view_extent(real: np.ndarray, margin: float = 0.25) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): a square box around the real data with a margin (fraction of the span)."""
    lo, hi = np.percentile(real, 0.5, axis=0), np.percentile(real, 99.5, axis=0)
    c, half = (lo + hi) / 2, float((hi - lo).max()) / 2 * (1 + margin) + 1e-3
    return float(c[0] - half), float(c[0] + half), float(c[1] - half), float(c[1] + half)


def z_grid(z_dim: int, dist: str) -> torch.Tensor:
    """(2, Z_LINES, Z_POINTS, z_dim): lines of constant z1 and of constant z2 over the noise's bulk.

    Gaussian noise: the lines cover [-2.5, 2.5] (99% of N(0, 1)); uniform noise: [-1, 1].
    """
    r = 1.0 if dist == "uniform" else 2.5
    lines, pts = torch.linspace(-r, r, Z_LINES), torch.linspace(-r, r, Z_POINTS)
    z = torch.zeros(2, Z_LINES, Z_POINTS, z_dim)
    z[0, :, :, 0] = lines[:, None]
    if z_dim > 1:
        z[0, :, :, 1] = pts[None, :]
        z[1, :, :, 0] = pts[None, :]
        z[1, :, :, 1] = lines[:, None]
    else:
        z[1, :, :, 0] = pts[None, :]
    return z


def compute_views(g_net, d_net, pool: torch.Tensor, z_view: torch.Tensor, config: ToyConfig,
                  centers: np.ndarray | None, std: float | None,
                  extent: tuple[float, float, float, float] | None = None) -> ToyViews:
    """Evaluate G and D for the plots (no parameters change).

    Args:
        pool: (P, 2) real points; z_view: (M, z_dim) fixed noise for the generated samples and metrics.
        centers, std: the mixture's modes for :func:`metrics.mode_stats`, or None.
        extent: the plotted box, :func:`view_extent` of the pool when None (a run passes it once: the
            pool never changes, and the percentiles of 32,768 points are half the cost of a refresh).
    """
    device = pool.device
    real = pool[:N_SHOWN].cpu().numpy()
    if extent is None:
        extent = view_extent(pool.cpu().numpy())
    xs = torch.linspace(extent[0], extent[1], GRID, device=device)
    ys = torch.linspace(extent[2], extent[3], GRID, device=device)
    with torch.no_grad():
        gy, gx = torch.meshgrid(ys, xs, indexing="ij")
        d_grid = losses.d_output(config.loss, d_net(torch.stack([gx, gy], -1).reshape(-1, 2)))
        d_grid = d_grid.reshape(GRID, GRID)
        fake_all = g_net(z_view)  # (M, 2)
        zg = z_grid(config.z_dim, config.z_dist).to(device)
        manifold = g_net(zg.reshape(-1, config.z_dim)).reshape(2, Z_LINES, Z_POINTS, 2)
    at = fake_all[:N_ARROWS].detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(losses.g_loss(config.loss, d_net(at)) * len(at), at)
    fake_np = fake_all.cpu().numpy()
    stats = mode_stats(fake_np, centers, std) if centers is not None else None
    label = {"minimax": "D(x) probability", "nonsat": "D(x) probability", "lsgan": "LSGAN output D(x)",
             "wgan-gp": "critic value D(x)"}[config.loss]
    f32 = lambda t: t.detach().cpu().numpy().astype(np.float32)  # noqa: E731
    return ToyViews(real.astype(np.float32), fake_np[:N_SHOWN].astype(np.float32), f32(xs), f32(ys),
                    f32(d_grid), f32(manifold), f32(at), f32(-grad), stats, label, extent)
