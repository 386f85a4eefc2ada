"""Figures of the flow-matching page: pure functions returning plotly Figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

# Okabe-Ito colours (safe under colour-vision deficiencies) and a marker shape per set as a second cue
SOURCE = dict(color="#6b6b6b", symbol="circle-open")
TARGET = dict(color="#0072B2", symbol="circle")
MOVING = dict(color="#D55E00", symbol="x")


def _lines(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y of segments a_i -> b_i separated by NaN (one trace draws them all)."""
    pad = np.full(len(a), np.nan)
    xs = np.stack([a[:, 0], b[:, 0], pad], 1).ravel()
    ys = np.stack([a[:, 1], b[:, 1], pad], 1).ravel()
    return xs.astype(np.float32), ys.astype(np.float32)


def _points(fig: go.Figure, p: np.ndarray, name: str, style: dict, size: int = 5, opacity: float = 0.6) -> None:
    fig.add_trace(go.Scatter(x=p[:, 0].astype(np.float32), y=p[:, 1].astype(np.float32), mode="markers", name=name,
                             marker=dict(size=size, color=style["color"], symbol=style["symbol"]), opacity=opacity))


def _layout(fig: go.Figure, title: str, height: int = 430) -> go.Figure:
    fig.update_layout(title=title, height=height, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", y=-0.12), xaxis_title="x1", yaxis_title="x2")
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def paths_figure(x0: np.ndarray, x1: np.ndarray, t: float, grid: np.ndarray, v: np.ndarray,
                 arrow_scale: float = 0.12) -> go.Figure:
    """Training pairs joined by their straight paths, the points x_t at time t, and the learned field at t.

    Args:
        x0, x1: (n, 2) paired source and target points (as the chosen pairing paired them).
        grid, v: (m, 2) grid points and the learned velocity there (arrows of length arrow_scale * |v|).
    """
    fig = go.Figure()
    lx, ly = _lines(x0, x1)
    fig.add_trace(go.Scatter(x=lx, y=ly, mode="lines", name="conditional paths x_t = (1 - t) x0 + t x1",
                             line=dict(color="#9a9a9a", width=1), opacity=0.5, hoverinfo="skip"))
    _points(fig, x0, "source x0", SOURCE)
    _points(fig, x1, "target x1", TARGET)
    _points(fig, (1 - t) * x0 + t * x1, f"x_t at t = {t:.2f}", MOVING, size=7, opacity=0.9)
    ax, ay = _lines(grid, grid + arrow_scale * v)
    fig.add_trace(go.Scatter(x=ax, y=ay, mode="lines", name=f"learned velocity v(x, {t:.2f})",
                             line=dict(color="#009E73", width=2), hoverinfo="skip"))
    head = grid + arrow_scale * v
    fig.add_trace(go.Scatter(x=head[:, 0].astype(np.float32), y=head[:, 1].astype(np.float32), mode="markers",
                             showlegend=False, hoverinfo="skip",
                             marker=dict(size=4, color="#009E73", symbol="circle")))
    return _layout(fig, "Paths, and the field the network learned")


def samples_figure(traj: np.ndarray, target: np.ndarray, show_paths: int = 60) -> go.Figure:
    """Euler trajectories (steps + 1, n, 2) of the first ``show_paths`` points, all samples and the target."""
    fig = go.Figure()
    _points(fig, target, "target (real points)", TARGET, size=5, opacity=0.35)
    k = min(show_paths, traj.shape[1])
    segs = traj[:, :k, :]  # (steps + 1, k, 2)
    pad = np.full((1, k, 2), np.nan)
    path = np.concatenate([segs, pad]).transpose(1, 0, 2).reshape(-1, 2)
    fig.add_trace(go.Scatter(x=path[:, 0].astype(np.float32), y=path[:, 1].astype(np.float32), mode="lines+markers",
                             name="Euler trajectories", line=dict(color="#9a9a9a", width=1),
                             marker=dict(size=3, color="#9a9a9a"), hoverinfo="skip"))
    _points(fig, traj[-1], f"samples after {traj.shape[0] - 1} Euler steps", MOVING, size=6, opacity=0.8)
    return _layout(fig, "Sampling: x_{n+1} = x_n + h v(x_n, t_n)")


def loss_figure(losses: np.ndarray, reflow_losses: np.ndarray | None = None) -> go.Figure:
    """Training loss per step (a 50-step running mean), and the reflow stage's when there is one."""
    fig = go.Figure()
    for y, name, dash in ((losses, "flow matching", "solid"), (reflow_losses, "reflow", "dash")):
        if y is None or len(y) == 0:
            continue
        w = min(50, len(y))
        smooth = np.convolve(y, np.ones(w) / w, mode="valid")
        fig.add_trace(go.Scatter(x=np.arange(w, len(y) + 1), y=smooth.astype(np.float32), mode="lines", name=name,
                                 line=dict(dash=dash)))
    fig.update_layout(height=260, margin=dict(l=10, r=10, t=30, b=10), xaxis_title="step",
                      yaxis_title="CFM loss (running mean)", legend=dict(orientation="h", y=-0.3))
    return fig
