"""Plotly figures for the DDPM page: pure functions of NumPy arrays, testable without a browser."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .schedules import Schedule

GRAY = [[0.0, "black"], [1.0, "white"]]
COLORS = {"linear": "#1f77b4", "cosine": "#d62728"}


def schedule_figure(schedules: Sequence[Schedule], t_mark: int | None = None) -> go.Figure:
    """beta_t, alpha_bar_t and log SNR(t) of each schedule side by side, with an optional marker at t."""
    fig = make_subplots(1, 3, subplot_titles=("β_t", "ᾱ_t = ∏ (1 − β_s)", "log SNR = log(ᾱ_t / (1 − ᾱ_t))"))
    for s in schedules:
        t = np.arange(1, s.T + 1, dtype=np.float32)
        color = COLORS.get(s.kind)
        for col, y in enumerate((s.beta, s.alpha_bar, s.log_snr), start=1):
            fig.add_trace(go.Scatter(x=t, y=y.astype(np.float32), name=f"{s.kind} (T = {s.T})", line_color=color,
                                     legendgroup=s.kind, showlegend=col == 1), 1, col)
    if t_mark:
        for col in (1, 2, 3):
            fig.add_vline(x=t_mark, line_dash="dot", line_color="gray", row=1, col=col)
    fig.update_xaxes(title_text="t")
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.25))
    return fig


def image_row(images: Sequence[np.ndarray], titles: Sequence[str], zmin: float = 0.0, zmax: float = 1.0,
              height: int = 240) -> go.Figure:
    """A row of grayscale images (each (H, W)), shown with a fixed colour range [zmin, zmax]."""
    n = len(images)
    fig = make_subplots(1, n, subplot_titles=list(titles), horizontal_spacing=0.02)
    for i, img in enumerate(images, start=1):
        fig.add_trace(go.Heatmap(z=np.asarray(img, np.float32)[::-1], zmin=zmin, zmax=zmax, colorscale=GRAY,
                                 showscale=False, hovertemplate="x %{x}, y %{y}: %{z:.2f}<extra></extra>"), 1, i)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", constrain="domain")
    for i in range(2, n + 1):
        fig.update_yaxes(scaleanchor=f"x{i}", row=1, col=i)
    fig.update_layout(height=height, margin=dict(l=5, r=5, t=40, b=5))
    return fig


def histogram_figure(closed: np.ndarray, iterated: np.ndarray, t: int, bins: int = 60) -> go.Figure:
    """Pixel histograms of x_t (closed form and iterated) against the N(0, 1) density they converge to."""
    fig = go.Figure()
    for name, x, color in (("closed form", closed, "#1f77b4"), ("iterated", iterated, "#ff7f0e")):
        fig.add_trace(go.Histogram(x=np.asarray(x, np.float32).ravel(), histnorm="probability density",
                                   nbinsx=bins, name=name, opacity=0.55, marker_color=color))
    z = np.linspace(-4, 4, 200, dtype=np.float32)
    fig.add_trace(go.Scatter(x=z, y=np.exp(-z ** 2 / 2) / np.sqrt(2 * np.pi), name="N(0, 1)",
                             line=dict(color="black", dash="dash")))
    fig.update_layout(barmode="overlay", height=300, title=f"Pixel values of x_t at t = {t}",
                      xaxis_title="pixel value", yaxis_title="density", margin=dict(l=10, r=10, t=40, b=10),
                      xaxis_range=[-4, 4], legend=dict(orientation="h", y=-0.3))
    return fig


def animation_figure(ts: np.ndarray, frames: np.ndarray, zmin: float = -2.0, zmax: float = 2.0) -> go.Figure:
    """A client-side animation of x_t over t (plotly frames, Play button and slider; no reruns)."""
    z0 = np.asarray(frames[0], np.float32)[::-1]
    heat = lambda z: go.Heatmap(z=z, zmin=zmin, zmax=zmax, colorscale=GRAY, showscale=False)  # noqa: E731
    fig = go.Figure(data=[heat(z0)], frames=[go.Frame(data=[heat(np.asarray(f, np.float32)[::-1])], name=str(int(t)))
                                             for t, f in zip(ts, frames)])
    steps = [dict(method="animate", label=str(int(t)), args=[[str(int(t))], dict(mode="immediate",
             frame=dict(duration=0, redraw=True), transition=dict(duration=0))]) for t in ts]
    fig.update_layout(
        height=380, width=360, margin=dict(l=5, r=5, t=30, b=5),
        xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"),
        updatemenus=[dict(type="buttons", showactive=False, x=0.0, y=-0.05, xanchor="left", yanchor="top",
                          buttons=[dict(label="Play", method="animate",
                                        args=[None, dict(frame=dict(duration=60, redraw=True), fromcurrent=True)]),
                                   dict(label="Pause", method="animate",
                                        args=[[None], dict(mode="immediate", frame=dict(duration=0))])])],
        sliders=[dict(active=0, steps=steps, currentvalue=dict(prefix="t = "), x=0.25, len=0.75, y=-0.02)])
    return fig


def timeline_figure(ts: np.ndarray, x_t: np.ndarray, x0_hat: np.ndarray, sample: int = 0) -> go.Figure:
    """Two rows over the kept steps of one sample: x_t (top) and the predicted x0_hat (bottom), in [0, 1]."""
    k = len(ts)
    fig = make_subplots(2, k, subplot_titles=[f"t = {int(t)}" for t in ts] + [""] * k,
                        horizontal_spacing=0.01, vertical_spacing=0.06)
    for row, frames in ((1, x_t), (2, x0_hat)):
        for j in range(k):
            fig.add_trace(go.Heatmap(z=np.asarray(frames[j, sample], np.float32)[::-1], zmin=0, zmax=1,
                                     colorscale=GRAY, showscale=False), row, j + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_yaxes(visible=True, showticklabels=False, title_text="x_t", row=1, col=1)
    fig.update_yaxes(visible=True, showticklabels=False, title_text="x̂_0", row=2, col=1)
    fig.update_layout(height=300, margin=dict(l=30, r=5, t=30, b=5))
    return fig


def tile(x: np.ndarray, cols: int = 8, pad: int = 1) -> np.ndarray:
    """(N, H, W) images -> one (rows (H + pad), cols (W + pad)) mosaic, padding 0."""
    n, h, w = x.shape
    cols = max(1, min(cols, n))
    rows = (n + cols - 1) // cols
    out = np.zeros((rows * (h + pad), cols * (w + pad)), dtype=np.float32)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + pad):r * (h + pad) + h, c * (w + pad):c * (w + pad) + w] = x[i]
    return out


def grid_figure(x: np.ndarray, cols: int = 8, title: str = "", height: int = 320) -> go.Figure:
    """A mosaic of (N, H, W) images in [0, 1]."""
    fig = go.Figure(go.Heatmap(z=tile(np.asarray(x, np.float32), cols)[::-1], zmin=0, zmax=1, colorscale=GRAY,
                               showscale=False))
    fig.update_layout(title=title, height=height, margin=dict(l=5, r=5, t=40 if title else 5, b=5),
                      xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"))
    return fig


def decimate(y: Sequence[float], max_points: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) of a long curve thinned to about ``max_points`` by block means (1-based steps)."""
    y = np.asarray(y, np.float64)
    if len(y) <= max_points:
        return np.arange(1, len(y) + 1), y
    k = int(np.ceil(len(y) / max_points))
    m = len(y) // k * k
    return np.arange(1, m + 1, k) + (k - 1) / 2, y[:m].reshape(-1, k).mean(1)


def loss_figure(losses: Sequence[float], max_points: int = 1500) -> go.Figure:
    """Training loss L_simple per step (decimated), with a running mean."""
    steps, y = decimate(losses, max_points)
    fig = go.Figure(go.Scatter(x=steps.astype(np.float32), y=y.astype(np.float32), mode="lines", name="L_simple"))
    if len(y) > 20:
        w = max(5, len(y) // 30)
        smooth = np.convolve(y, np.ones(w) / w, mode="valid")
        fig.add_trace(go.Scatter(x=steps[w - 1:].astype(np.float32), y=smooth.astype(np.float32), name="running mean"))
    fig.update_layout(height=280, xaxis_title="step", yaxis_title="loss", yaxis_type="log",
                      margin=dict(l=10, r=10, t=20, b=10))
    return fig
