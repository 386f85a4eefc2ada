"""Plotly figures for the denoise page: pure functions of results, testable without a browser."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

MAX_SIDE = 256  # residual maps are shown decimated to at most this many pixels per side


def scores_figure(labels: list[str], psnrs: list[float | None], ssims: list[float | None],
                  seconds: list[float], noisy_psnr: float | None = None) -> go.Figure:
    """Bars of PSNR (dB), SSIM and time (s) per denoiser; the noisy input's PSNR as a dashed line.

    Args:
        labels: denoiser names.
        psnrs, ssims: scores against the clean image (``None`` where unknown or refused: no bar).
        seconds: wall time of each denoiser.
        noisy_psnr: PSNR of the noisy input itself, to show what each denoiser gained.
    """
    fig = make_subplots(rows=1, cols=3, subplot_titles=("PSNR (dB, higher is better)", "SSIM (higher is better)",
                                                        "time (s)"), horizontal_spacing=0.1)
    nan = float("nan")
    fig.add_trace(go.Bar(x=labels, y=[nan if v is None else v for v in psnrs], name="PSNR",
                         text=[("" if v is None else f"{v:.2f}") for v in psnrs], textposition="auto"), 1, 1)
    fig.add_trace(go.Bar(x=labels, y=[nan if v is None else v for v in ssims], name="SSIM",
                         text=[("" if v is None else f"{v:.3f}") for v in ssims], textposition="auto"), 1, 2)
    fig.add_trace(go.Bar(x=labels, y=seconds, name="time",
                         text=[f"{v:.2f}" for v in seconds], textposition="auto"), 1, 3)
    if noisy_psnr is not None and np.isfinite(noisy_psnr):
        fig.add_hline(y=noisy_psnr, line_dash="dash", annotation_text=f"noisy input {noisy_psnr:.2f} dB", row=1, col=1)
    fig.update_layout(showlegend=False, height=340, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def residual_figure(y: np.ndarray, outputs: list[tuple[str, np.ndarray]]) -> go.Figure:
    """What each denoiser removed, r = y - x0_hat (channel mean for colour), on one symmetric colour scale.

    A good Gaussian denoiser removes structureless noise; edges showing in r are image detail it
    destroyed. DnCNN learns exactly this residual (Zhang et al. 2017, eq. 1).

    Args:
        y: noisy image (H, W) or (H, W, C).
        outputs: (label, x0_hat) pairs of y's shape.
    """
    step = max(1, int(np.ceil(max(y.shape[:2]) / MAX_SIDE)))
    maps = []
    for label, out in outputs:
        r = np.asarray(y, dtype=np.float32) - np.asarray(out, dtype=np.float32)
        if r.ndim == 3:
            r = r.mean(axis=2)
        maps.append((label, r[::step, ::step]))
    n = max(len(maps), 1)
    fig = make_subplots(rows=1, cols=n, subplot_titles=[m[0] for m in maps] or [""], horizontal_spacing=0.02)
    limit = max([float(np.percentile(np.abs(r), 99)) for _, r in maps] + [1e-6])
    for i, (_, r) in enumerate(maps):
        fig.add_trace(go.Heatmap(z=r[::-1], zmin=-limit, zmax=limit, colorscale="RdBu", showscale=i == n - 1,
                                 colorbar=dict(title="y - x̂"), hovertemplate="%{z:.3f}<extra></extra>"), 1, i + 1)
        fig.update_xaxes(visible=False, row=1, col=i + 1)
        fig.update_yaxes(visible=False, scaleanchor=f"x{i + 1 if i else ''}", row=1, col=i + 1)
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10))
    return fig
