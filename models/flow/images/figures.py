"""Figures of the MNIST flow section: quality against NFE, fidelity against diversity (plotly)."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .evaluate import GuidancePoint, NfePoint

STYLE = {"flow matching": dict(color="#D55E00", symbol="circle"),
         "DDIM (shipped DDPM)": dict(color="#0072B2", symbol="square")}


def nfe_figure(curves: dict[str, list[NfePoint]], title: str) -> go.Figure:
    """FID (lower is better) and the classifier's confident share against NFE, log x, one line per sampler."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("FID (MNIST-classifier features)", "samples the classifier is sure of"))
    for name, points in curves.items():
        st = STYLE.get(name, dict(color="#444444", symbol="diamond"))
        x = [p.nfe for p in points]
        fig.add_trace(go.Scatter(x=x, y=[p.fid for p in points], name=name, mode="lines+markers",
                                 marker=dict(color=st["color"], symbol=st["symbol"], size=8),
                                 line=dict(color=st["color"])), 1, 1)
        fig.add_trace(go.Scatter(x=x, y=[p.confident for p in points], name=name, showlegend=False,
                                 mode="lines+markers", marker=dict(color=st["color"], symbol=st["symbol"], size=8),
                                 line=dict(color=st["color"])), 1, 2)
    fig.update_xaxes(type="log", title="network evaluations (NFE)", tickvals=[1, 2, 4, 8, 16, 50])
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_yaxes(tickformat=".0%", range=[0, 1], row=1, col=2)
    fig.update_layout(title=title, height=360, margin=dict(l=10, r=10, t=70, b=10), legend=dict(orientation="h", y=-0.25))
    return fig


def guidance_figure(points: list[GuidancePoint], title: str) -> go.Figure:
    """Recall (diversity) against the asked digit's probability (fidelity), one point per guidance scale."""
    fig = go.Figure(go.Scatter(x=[p.recall for p in points], y=[p.asked_prob for p in points],
                               mode="lines+markers+text", text=[f"w = {p.w:g}" for p in points],
                               textposition="top center", marker=dict(size=9, color="#009E73"),
                               line=dict(color="#009E73")))
    fig.update_layout(title=title, height=360, margin=dict(l=10, r=10, t=50, b=10),
                      xaxis_title="recall of the held-out digits (diversity)",
                      yaxis_title="probability of the asked digit (fidelity)")
    return fig
