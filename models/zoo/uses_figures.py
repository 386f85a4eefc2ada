"""Plotly figures for the 'what autoencoders are for' page: anomaly scores, ROC, pretraining curves."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from .figures import _color
from .pretraining import Curve


def error_histogram(scores: np.ndarray, labels: np.ndarray, threshold: float, names=("normal", "anomaly"),
                    bins: int = 60) -> go.Figure:
    """Overlaid histograms of reconstruction errors for normal (0) and anomalous (1) images, log-x."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels).astype(bool)
    edges = np.geomspace(max(scores.min(), 1e-6), scores.max() * 1.0001, bins + 1)
    fig = go.Figure()
    for flag, name, color in ((False, names[0], _color(0)), (True, names[1], _color(3))):
        counts, _ = np.histogram(scores[labels == flag], bins=edges)
        density = counts / max(1, counts.sum())
        fig.add_trace(go.Bar(x=np.sqrt(edges[:-1] * edges[1:]).astype(np.float32), y=density.astype(np.float32),
                             width=np.diff(edges).astype(np.float32), name=f"{name} ({int((labels == flag).sum())})",
                             marker_color=color, opacity=0.6))
    fig.add_vline(x=threshold, line_dash="dash", line_color="black", annotation_text="threshold")
    fig.update_layout(barmode="overlay", height=320, margin=dict(l=10, r=10, t=40, b=10), xaxis_type="log",
                      title="Reconstruction error s(x) = mean (x - x_hat)^2", xaxis_title="s(x), log scale",
                      yaxis_title="fraction of the group")
    return fig


def roc_figure(fpr: np.ndarray, tpr: np.ndarray, auc: float, point: tuple[float, float] | None = None) -> go.Figure:
    """The ROC curve with its AUC, the chance diagonal and (optionally) the current threshold's point."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dot", color="gray"), name="chance"))
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(len(fpr), 1500)).astype(int))  # decimate
    fig.add_trace(go.Scatter(x=np.asarray(fpr)[keep].astype(np.float32), y=np.asarray(tpr)[keep].astype(np.float32),
                             mode="lines", line=dict(color=_color(3)), name=f"AUC = {auc:.3f}"))
    if point is not None:
        fig.add_trace(go.Scatter(x=[point[0]], y=[point[1]], mode="markers", marker=dict(size=11, color="black"),
                                 name="threshold"))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10), title="ROC curve",
                      xaxis_title="false positive rate", yaxis_title="true positive rate (recall)",
                      xaxis_range=[0, 1], yaxis_range=[0, 1.02])
    return fig


def pretrain_curves(curves: Sequence[Curve]) -> go.Figure:
    """Held-out accuracy against step: solid = pretrained encoder, dashed = scratch; colour = label fraction."""
    fig = go.Figure()
    fractions = sorted({c.fraction for c in curves})
    for c in curves:
        color = _color(fractions.index(c.fraction))
        fig.add_trace(go.Scatter(x=c.steps, y=c.acc.astype(np.float32), mode="lines+markers",
                                 line=dict(color=color, dash="solid" if c.init == "pretrained" else "dash"),
                                 marker=dict(size=4),
                                 name=f"{c.fraction:.0%} labels ({c.n_labels}), {c.init}"))
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=40, b=10), title="Held-out accuracy while training",
                      xaxis_title="classifier step", yaxis_title="accuracy", yaxis_range=[0, 1])
    return fig
