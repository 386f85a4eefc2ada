"""Plotly figures for the latent explorer: pure functions of NumPy arrays, testable without a browser."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
CLICK_GRID = 21  # points per side of the invisible grid that makes empty map areas clickable


def _layout(fig: go.Figure, title: str, height: int, margin: dict | None = None) -> go.Figure:
    """Title, height and fixed margins.

    No template (building one costs ~0.1 s in Python) and margins that do not grow (``autoexpand`` off): a
    legend or tick labels that push the margins make plotly.js lay the whole figure out again, which was a
    third of the browser's work for the explorer's four maps.
    """
    fig.update_layout(title=dict(text=title, font=dict(size=14)), height=height,
                      margin=dict(l=55, r=10, t=40, b=45, autoexpand=False) | (margin or {}))
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    return fig


def code_map(coords: np.ndarray, labels: np.ndarray, classes: tuple[str, ...], title: str,
             point: np.ndarray | None = None, axis_names: tuple[str, str] = ("z1", "z2"),
             clickable: bool = False, height: int = 380, legend: bool = True) -> go.Figure:
    """Scatter of codes (N, 2) coloured by class, the current code ``point`` (2,) as a black star.

    ``legend=False`` for maps drawn next to one that has it (each legend costs the browser a text layout).

    With ``clickable``, an invisible CLICK_GRID x CLICK_GRID grid of points (trace name "click") covers
    the plotted area, so a click anywhere selects a position, not only on a code.
    """
    coords = np.asarray(coords, dtype=np.float32)
    fig = go.Figure()
    if clickable:
        lo, hi = coords.min(0), coords.max(0)
        pad = 0.05 * (hi - lo)
        g0 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], CLICK_GRID, dtype=np.float32)
        g1 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], CLICK_GRID, dtype=np.float32)
        gx, gy = np.meshgrid(g0, g1)
        fig.add_trace(go.Scatter(x=gx.ravel(), y=gy.ravel(), mode="markers", name="click",
                                 marker=dict(size=9, opacity=0.0), hoverinfo="none", showlegend=False))
    for c, name in enumerate(classes):
        m = labels == c
        if m.any():
            # SVG, not WebGL: a few thousand points at most, and a browser without a GPU (a headless test
            # browser, an old lecture-hall laptop) rasterises WebGL in software
            fig.add_trace(go.Scatter(x=coords[m, 0], y=coords[m, 1], mode="markers", name=name,
                                     marker=dict(size=4, color=PALETTE[c % 10], opacity=0.7)))
    if point is not None:
        fig.add_trace(go.Scatter(x=[float(point[0])], y=[float(point[1])], mode="markers", name="current z",
                                 marker=dict(symbol="star", size=16, color="black",
                                             line=dict(color="white", width=1))))
    fig.update_xaxes(title_text=axis_names[0])
    fig.update_yaxes(title_text=axis_names[1])
    fig.update_layout(showlegend=legend)
    return _layout(fig, title, height, margin=dict(r=105 if legend else 10))


def loss_curves(history: dict, title: str, height: int = 300) -> go.Figure:
    """Training losses against step: reconstruction (left axis) and the KL or adversarial terms (right)."""
    fig = go.Figure()
    steps = np.asarray(history.get("step", []), dtype=np.float32)
    names = {"recon": "reconstruction", "kl": "KL(q(z|x) || p(z))", "d_loss": "discriminator",
             "g_loss": "encoder as generator"}
    for key, name in names.items():
        if key in history and len(history[key]):
            fig.add_trace(go.Scatter(x=steps, y=np.asarray(history[key], dtype=np.float32), name=name,
                                     mode="lines", yaxis="y" if key == "recon" else "y2"))
    fig.update_layout(xaxis_title="training step", yaxis=dict(title="recon (nats / image)"),
                      yaxis2=dict(title="KL or GAN loss", overlaying="y", side="right", showgrid=False),
                      legend=dict(orientation="h", y=-0.25))
    return _layout(fig, title, height, margin=dict(r=55, b=95))


def internals_bars(mu: np.ndarray, sigma: np.ndarray, eps: np.ndarray, z: np.ndarray,
                   height: int = 300) -> go.Figure:
    """Grouped bars per latent dimension: mu, sigma, eps and z = mu + sigma * eps."""
    dims = [f"z{j + 1}" for j in range(len(mu))]
    fig = go.Figure()
    for name, v in (("mu", mu), ("sigma", sigma), ("eps", eps), ("z = mu + sigma * eps", z)):
        fig.add_trace(go.Bar(x=dims, y=np.asarray(v, dtype=np.float32), name=name))
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=-0.2))
    return _layout(fig, "The reparameterisation for this image", height, margin=dict(l=45, b=75))
