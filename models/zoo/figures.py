"""Plotly figures for the zoo page: pure functions of numpy arrays, testable without a browser."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .config import LABELS

from ..palette import CLASS_COLORS as PALETTE
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def _color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def log_ticks(values: np.ndarray) -> list[float]:
    """Tick values 1, 2, 5 x 10^n covering the positive finite ``values`` (for a log axis)."""
    v = values[np.isfinite(values) & (values > 0)]
    if not len(v):
        return []
    lo, hi = np.floor(np.log10(v.min())), np.ceil(np.log10(v.max()))
    ticks = [m * 10.0**e for e in range(int(lo), int(hi) + 1) for m in (1, 2, 5)]
    return [t for t in ticks if v.min() / 1.5 <= t <= v.max() * 1.5]


def loss_curves(steps: Mapping[str, np.ndarray], losses: Mapping[str, np.ndarray]) -> go.Figure:
    """Training loss (reconstruction + penalty) against step, one line per variant, log scale."""
    fig = go.Figure()
    for i, (name, loss) in enumerate(losses.items()):
        fig.add_trace(go.Scatter(x=np.asarray(steps[name]), y=np.asarray(loss, dtype=np.float32), mode="lines",
                                 name=LABELS.get(name, name),
                                 line=dict(color=_color(i), dash=DASHES[i % len(DASHES)])))
    values = [np.asarray(v, dtype=np.float64) for v in losses.values()]
    ticks = log_ticks(np.concatenate(values) if values else np.array([]))
    if ticks:  # full numbers at 1, 2, 5 x 10^n (plotly's own log ticks label 20 and 200 both "2")
        fig.update_yaxes(tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    fig.update_layout(height=330, margin=dict(l=10, r=10, t=40, b=10), title="Training loss",
                      xaxis_title="step", yaxis_title="loss per image", yaxis_type="log",
                      legend=dict(font=dict(size=10)))
    return fig


def image_grid(rows: Sequence[np.ndarray], row_names: Sequence[str], title: str = "",
               col_names: Sequence[str] | None = None) -> go.Figure:
    """A grid of grayscale images: ``rows[r]`` is (n, H, W) in [0, 1], drawn as row r."""
    rows = [np.clip(np.asarray(r, dtype=np.float32), 0, 1) for r in rows]
    n, h, w = rows[0].shape
    gap = 1
    canvas = np.full((len(rows) * (h + gap), n * (w + gap)), np.nan, dtype=np.float32)
    for r, imgs in enumerate(rows):
        for c in range(n):
            canvas[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = imgs[c]
    fig = go.Figure(go.Heatmap(z=canvas, colorscale="gray_r", zmin=0, zmax=1, showscale=False,
                               hoverinfo="skip"))
    tickvals = [r * (h + gap) + h / 2 for r in range(len(rows))]
    fig.update_yaxes(autorange="reversed", tickvals=tickvals, ticktext=list(row_names), scaleanchor="x",
                     showgrid=False, zeroline=False)
    xticks = dict(tickvals=[c * (w + gap) + w / 2 for c in range(n)], ticktext=list(col_names)) if col_names \
        else dict(showticklabels=False)
    fig.update_xaxes(showgrid=False, zeroline=False, **xticks)
    fig.update_layout(height=max(180, 72 * len(rows) + 60), margin=dict(l=10, r=10, t=36, b=10), title=title,
                      plot_bgcolor="white")
    return fig


def activation_histogram(unit_means: np.ndarray, rho: float | None, name: str = "sparse_kl") -> go.Figure:
    """Histogram of each coding unit's mean activation rho_hat_j, with the target rho as a line.

    ``rho`` is None for the L1 variant: its ReLU codes have no target activation (the penalty only pushes
    them toward exactly 0) and are not bounded by 1, so the axis follows the data.
    """
    means = np.asarray(unit_means, dtype=np.float32)
    top = 1.0 if rho is not None else max(float(means.max(initial=0.0)) * 1.05, 1e-3)
    fig = go.Figure(go.Histogram(x=means, xbins=dict(start=0, end=top, size=top / 40),
                                 marker_color=_color(6), name="units"))
    if rho is not None:
        fig.add_vline(x=rho, line_dash="dash", line_color="black", annotation_text=f"target rho = {rho:g}")
    fig.add_vline(x=float(np.mean(means)), line_color=_color(3),
                  annotation_text=f"mean = {np.mean(means):.3f}", annotation_position="bottom right")
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), xaxis_range=[0, top],
                      title=f"{LABELS.get(name, name)}: mean activation of each coding unit",
                      xaxis_title="rho_hat_j (mean of z_j over held-out images)", yaxis_title="units")
    return fig


def bars(values: Mapping[str, float], title: str, yaxis: str, highlight: Sequence[str] = ()) -> go.Figure:
    """One bar per variant (parameter counts, Jacobian norms...); ``highlight`` variants are coloured."""
    names = list(values)
    colors = [_color(3) if n in highlight else "#9aa5b1" for n in names]
    fig = go.Figure(go.Bar(x=[LABELS.get(n, n) for n in names], y=[float(values[n]) for n in names],
                           marker_color=colors, text=[f"{values[n]:,.3g}" for n in names], textposition="outside"))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10), title=title, yaxis_title=yaxis)
    return fig


def rows_as_sequence(x0: np.ndarray, states: np.ndarray) -> go.Figure:
    """The recurrent encoder's view: the image (H, W) beside its GRU states after each row, (H, hidden)."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.35, 0.65], horizontal_spacing=0.08,
                        subplot_titles=("image: row t is time step t", "encoder state s_t after reading row t"))
    fig.add_trace(go.Heatmap(z=np.asarray(x0, dtype=np.float32), colorscale="gray_r", zmin=0, zmax=1,
                             showscale=False), 1, 1)
    fig.add_trace(go.Heatmap(z=np.asarray(states, dtype=np.float32), colorscale="RdBu", zmid=0,
                             colorbar=dict(title="s_t", len=0.8)), 1, 2)
    fig.update_yaxes(autorange="reversed", title_text="row t", row=1, col=1)
    fig.update_yaxes(autorange="reversed", title_text="time step t", row=1, col=2)
    fig.update_xaxes(title_text="pixel in the row", row=1, col=1)
    fig.update_xaxes(title_text="GRU unit", row=1, col=2)
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def greedy_stages(steps: np.ndarray, loss: np.ndarray, bounds: tuple[int, int], total: int,
                  stage_names: Sequence[str]) -> go.Figure:
    """The greedy variant's loss with its three stages shaded (each stage has its own loss)."""
    fig = go.Figure(go.Scatter(x=np.asarray(steps), y=np.asarray(loss, dtype=np.float32), mode="lines",
                               line=dict(color=_color(9)), name="stage loss"))
    edges = (0, bounds[0], bounds[1], total)
    for i, name in enumerate(stage_names):
        fig.add_vrect(x0=edges[i], x1=edges[i + 1], fillcolor=_color(i), opacity=0.08, line_width=0,
                      annotation_text=name, annotation_position="top left")
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), yaxis_type="log",
                      title="Greedy layer-wise: one shallow autoencoder at a time, then fine-tuning",
                      xaxis_title="step", yaxis_title="stage loss")
    return fig
