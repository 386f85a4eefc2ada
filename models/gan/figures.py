"""Plotly figures for the GAN lab: pure functions of the views and histories (no Streamlit, no torch).

Colours follow GAN Lab: real data green, generated data purple; the heat map goes from purple (D says
fake) to green (D says real).
"""

from __future__ import annotations

import numpy as np
# Imported here, completely, before any page thread draws: plotly reads pandas.Series while building a
# figure, and a thread that found pandas half-imported by another thread crashed ("partially initialized").
import pandas  # noqa: F401
import plotly.graph_objects as go

from .export import tile
from .views2d import ToyViews

REAL, FAKE = "#1a9850", "#7b3294"
HEAT = [[0.0, "#c2a5cf"], [0.5, "#f7f7f7"], [1.0, "#a6dba0"]]
LAYERS = ("heat", "real", "fake", "manifold", "arrows")


def _segments(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y arrays drawing one segment per row, separated by NaN (one trace for all of them)."""
    n = len(starts)
    xs = np.full(3 * n, np.nan, np.float32)
    ys = np.full(3 * n, np.nan, np.float32)
    xs[0::3], xs[1::3] = starts[:, 0], ends[:, 0]
    ys[0::3], ys[1::3] = starts[:, 1], ends[:, 1]
    return xs, ys


def toy_scene(views: ToyViews, layers=LAYERS, *, height: int = 520, title: str | None = None) -> go.Figure:
    """Real vs generated points over D's heat map, with G's manifold and the generator's gradient arrows.

    Args:
        views: a :class:`ToyViews` from the training run.
        layers: which of ``heat, real, fake, manifold, arrows`` to draw.
    """
    fig = go.Figure()
    x0, x1, y0, y1 = views.extent
    if "heat" in layers:
        z = views.d_grid
        prob = views.d_label.startswith("D(x) probability")
        fig.add_trace(go.Heatmap(x=views.xs, y=views.ys, z=z, colorscale=HEAT, zmid=None if prob else float(np.median(z)),
                                 zmin=0 if prob else None, zmax=1 if prob else None, opacity=0.85,
                                 colorbar=dict(title=dict(text=views.d_label, side="right"), thickness=10, xpad=4),
                                 hovertemplate="x=%{x:.2f}, y=%{y:.2f}<br>" + views.d_label + "=%{z:.3f}<extra></extra>"))
    if "manifold" in layers:
        m = views.manifold  # (2, L, P, 2)
        parts = [np.vstack([line, [[np.nan, np.nan]]]) for family in m for line in family]
        pts = np.vstack(parts)
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="lines", name="G manifold",
                                 line=dict(color="rgba(90,90,90,0.45)", width=1), hoverinfo="skip"))
    if "real" in layers:
        fig.add_trace(go.Scatter(x=views.real[:, 0], y=views.real[:, 1], mode="markers", name="real",
                                 marker=dict(color=REAL, size=4, opacity=0.7)))
    if "fake" in layers:
        fig.add_trace(go.Scatter(x=views.fake[:, 0], y=views.fake[:, 1], mode="markers", name="generated",
                                 marker=dict(color=FAKE, size=4, opacity=0.7)))
    if "arrows" in layers and len(views.arrow_at):
        d = views.arrow_dir
        norm = np.linalg.norm(d, axis=1, keepdims=True)
        scale = 0.05 * (x1 - x0) / (float(np.percentile(norm, 90)) + 1e-12)
        ends = views.arrow_at + np.clip(d * scale, -0.1 * (x1 - x0), 0.1 * (x1 - x0))
        xs, ys = _segments(views.arrow_at, ends)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="G's push",
                                 line=dict(color="#d6604d", width=1.5), hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=ends[:, 0], y=ends[:, 1], mode="markers", showlegend=False, hoverinfo="skip",
                                 marker=dict(color="#d6604d", size=4, symbol="circle")))
    # The legend sits above the plot: below it, it covered the x axis's tick labels. Both axes keep their
    # ticks (the square plot is narrower than its box, so the x ticks need the bottom margin).
    fig.update_layout(height=height, margin=dict(l=40, r=10, t=70 if title else 40, b=40), title=title,
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, font=dict(size=10)),
                      plot_bgcolor="white", uirevision="toy")
    fig.update_xaxes(range=[x0, x1], showgrid=False, zeroline=False, showticklabels=True, ticks="outside",
                     title_text="x1", title_standoff=2)
    fig.update_yaxes(range=[y0, y1], showgrid=False, zeroline=False, showticklabels=True, ticks="outside",
                     scaleanchor="x", scaleratio=1, title_text="x2", title_standoff=2)
    return fig


def loss_chart(history: dict, *, height: int = 260) -> go.Figure:
    """D loss and G loss over generator steps."""
    fig = go.Figure()
    for key, name, color in (("d_loss", "D loss", REAL), ("g_loss", "G loss", FAKE)):
        fig.add_trace(go.Scatter(x=history["step"], y=history[key], mode="lines", name=name,
                                 line=dict(color=color, width=1.5)))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), title="Losses", xaxis_title="step",
                      legend=dict(orientation="h", y=1.15), uirevision="loss")
    return fig


def d_output_chart(history: dict, label: str = "D output", *, height: int = 260) -> go.Figure:
    """Mean D(x) on real and D(G(z)) on generated batches over steps."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=history["step"], y=history["d_real"], mode="lines", name="D(x) real",
                             line=dict(color=REAL, width=1.5)))
    fig.add_trace(go.Scatter(x=history["step"], y=history["d_fake"], mode="lines", name="D(G(z)) generated",
                             line=dict(color=FAKE, width=1.5)))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), title=label, xaxis_title="step",
                      legend=dict(orientation="h", y=1.15), uirevision="dout")
    return fig


def modes_chart(modes: dict, n_modes: int, *, height: int = 260) -> go.Figure:
    """Modes covered (left axis); % high-quality samples, precision and recall (right axis) over steps."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=modes["step"], y=modes["covered"], mode="lines", name="modes covered",
                             line=dict(color="#2166ac", width=2, shape="hv")))
    fig.add_trace(go.Scatter(x=modes["step"], y=100 * np.asarray(modes["hq"]), mode="lines", yaxis="y2",
                             name="% high quality (within 3 sigma)", line=dict(color="#b2182b", width=1.5)))
    for key, name, dash in (("precision", "% precision (fidelity)", "dot"), ("recall", "% recall (diversity)", "dash")):
        if len(modes.get(key, ())):
            fig.add_trace(go.Scatter(x=modes["step"], y=100 * np.asarray(modes[key]), mode="lines", yaxis="y2",
                                     name=name, line=dict(color="#4d4d4d" if key == "recall" else "#E69F00",
                                                          width=1.5, dash=dash)))
    # a second y axis by hand: make_subplots builds a subplot grid and costs 4x as much per redraw
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), title="Mode collapse metrics",
                      xaxis_title="step", legend=dict(orientation="h", y=1.18), uirevision="modes",
                      yaxis=dict(range=[0, n_modes + 0.5], title_text=f"modes (of {n_modes})"),
                      yaxis2=dict(range=[0, 100], title_text="% high quality", overlaying="y", side="right",
                                  showgrid=False, tickmode="linear", tick0=0, dtick=25))
    return fig


def image_grid_figure(grid: np.ndarray, cols: int = 10, *, title: str | None = None, height: int = 320) -> go.Figure:
    """A tiled grid of grayscale images (N, H, W) in [0, 1] as a heat map without axes."""
    img = tile(grid, cols)
    fig = go.Figure(go.Heatmap(z=img[::-1], colorscale="gray", zmin=0, zmax=1, showscale=False,
                               hoverinfo="skip"))
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=30 if title else 0, b=0), title=title)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return fig


def draw_canvas(candidates: np.ndarray, points: np.ndarray, *, height: int = 380) -> go.Figure:
    """Lasso canvas: faint candidate grid points to select, and the user's current points on top."""
    fig = go.Figure(go.Scatter(x=candidates[:, 0], y=candidates[:, 1], mode="markers", name="grid",
                               marker=dict(color="rgba(150,150,150,0.35)", size=5)))
    if len(points):
        fig.add_trace(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers", name="your data",
                                 marker=dict(color=REAL, size=6)))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), dragmode="lasso",
                      legend=dict(orientation="h", y=-0.08), plot_bgcolor="white")
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig
