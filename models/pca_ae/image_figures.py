"""Figures for the image part of the page: error against code size, reconstructions, t-SNE of codings.

Pure functions: arrays in, a plotly Figure out.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .figures import AE_C, PCA_C
from .image_ae import KINDS

KIND_COLORS = {"linear": AE_C, "stacked": "#E45756"}
CLASS_COLORS = ("#4C78A8", "#F58518", "#E45756", "#72B7B2", "#54A24B", "#EECA3B", "#B279A2", "#FF9DA6",
                "#9D755D", "#BAB0AC")


def k_sweep_figure(pca_curve: dict[int, float], ae_points: dict[str, dict[int, float]], k_chosen: int | None = None,
                   height: int = 380) -> go.Figure:
    """Held-out reconstruction MSE against code size k: PCA (closed form, every k) and the autoencoders.

    Args:
        pca_curve: {k: MSE} for PCA.
        ae_points: {kind: {k: MSE}} for ``"linear"`` and ``"stacked"`` autoencoders.
        k_chosen: draw a vertical marker at this k.
    """
    fig = go.Figure()
    ks = sorted(pca_curve)
    fig.add_trace(go.Scatter(x=ks, y=[pca_curve[k] for k in ks], mode="lines", name="PCA",
                             line=dict(color=PCA_C)))
    for kind, points in ae_points.items():
        kk = sorted(points)
        fig.add_trace(go.Scatter(x=kk, y=[points[k] for k in kk], mode="lines+markers", name=KINDS[kind],
                                 line=dict(color=KIND_COLORS[kind], dash="dot"), marker=dict(size=9)))
    if k_chosen is not None:
        fig.add_vline(x=k_chosen, line=dict(color="gray", dash="dash"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), xaxis_title="code size k",
                      yaxis=dict(title="MSE per pixel (test split)", type="log", exponentformat="power"),
                      legend=dict(orientation="h", y=1.08, x=0))
    return fig


def montage(rows: list[np.ndarray], shape: tuple[int, int], gap: int = 1) -> np.ndarray:
    """Tile images into one array: one row per entry of ``rows``, each (n, H*W), values clipped to [0, 1].

    Returns:
        (R*(H+gap)-gap, n*(W+gap)-gap) float array, gaps filled with 1 (white).
    """
    h, w = shape
    n = rows[0].shape[0]
    out = np.ones((len(rows) * (h + gap) - gap, n * (w + gap) - gap))
    for r, imgs in enumerate(rows):
        for c in range(n):
            out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = \
                np.clip(imgs[c].reshape(h, w), 0, 1)
    return out


def reconstructions_figure(rows: dict[str, np.ndarray], shape: tuple[int, int], height: int | None = None) -> go.Figure:
    """A grid: originals in the first row, then each model's reconstructions (labels on the left).

    Args:
        rows: {label: (n, H*W) images in [0, 1]}; the first entry is usually the originals.
        shape: (H, W) of one image.
    """
    labels = list(rows)
    grid = montage([rows[k] for k in labels], shape)
    h = shape[0] + 1
    fig = go.Figure(go.Heatmap(z=1 - grid, colorscale="Greys", showscale=False, hoverinfo="skip",
                               zmin=0, zmax=1))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", tickmode="array",
                     tickvals=[i * h + shape[0] / 2 for i in range(len(labels))], ticktext=labels,
                     showgrid=False, zeroline=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    per_row = 60 if shape[0] <= 8 else 75
    fig.update_layout(height=height or 40 + per_row * len(labels), margin=dict(l=10, r=10, t=10, b=10),
                      plot_bgcolor="white")
    return fig


def tsne_figure(embedding: np.ndarray, labels: np.ndarray, classes: tuple[str, ...], title: str = "",
                height: int = 520) -> go.Figure:
    """The 2D t-SNE map of codings, one colour per class (as HOML ch. 17's Fashion-MNIST figure)."""
    fig = go.Figure()
    for c, name in enumerate(classes):
        m = labels == c
        if m.any():
            fig.add_trace(go.Scattergl(x=embedding[m, 0], y=embedding[m, 1], mode="markers", name=str(name),
                                       marker=dict(size=5, color=CLASS_COLORS[c % len(CLASS_COLORS)])))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), title=title,
                      xaxis=dict(showticklabels=False), yaxis=dict(showticklabels=False, scaleanchor="x"))
    return fig
