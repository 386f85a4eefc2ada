"""Figures of the FID page: pure functions returning plotly Figures (testable without a browser)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .comparison import CorruptionCurve
from .frechet import FrechetTerms
from .small_n import FidCurve
from ..palette import CLASS_SYMBOLS

COLORS = ("#1f77b4", "#d62728")
# Okabe-Ito colours (models/palette.py): apart for every colour-vision deficiency
FAMILY_COLORS = {"real": "#009E73", "autoencoder": "#0072B2", "GAN": "#E69F00", "diffusion": "#CC79A7"}
CORRUPTION_COLORS = {"noise": "#0072B2", "blur": "#E69F00", "salt_pepper": "#009E73", "occlusion": "#CC79A7"}


def pca_2d(f1: np.ndarray, f2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project both feature sets on the top-2 principal axes of their union.

    Returns:
        (p1 (N1, 2), p2 (N2, 2), explained variance ratio of the two axes (2,)).
    """
    both = np.concatenate([f1, f2]).astype(np.float64)
    centre = both.mean(0)
    _, s, vt = np.linalg.svd(both - centre, full_matrices=False)
    axes = vt[:2].T  # (d, 2)
    ratio = (s[:2] ** 2) / max(float((s ** 2).sum()), 1e-300)
    return (f1 - centre) @ axes, (f2 - centre) @ axes, ratio


def ellipse(mu: np.ndarray, cov: np.ndarray, k: float, points: int = 80) -> np.ndarray:
    """Points (points, 2) of the k-sigma ellipse {mu + k L u : |u| = 1} with cov = L L^T (2x2)."""
    lam, u = np.linalg.eigh(cov)
    t = np.linspace(0, 2 * np.pi, points)
    circle = np.stack([np.cos(t), np.sin(t)])  # (2, points)
    return (mu[:, None] + k * (u * np.sqrt(np.clip(lam, 0, None))) @ circle).T


def pca_figure(f1: np.ndarray, f2: np.ndarray, names: tuple[str, str], max_points: int = 1500,
               seed: int = 0) -> go.Figure:
    """Both feature clouds in their first two principal components, with the fitted Gaussians'
    1- and 2-sigma ellipses (the 2D shadow of what FID compares)."""
    p1, p2, ratio = pca_2d(f1, f2)
    rng = np.random.default_rng(seed)
    fig = go.Figure()
    for p, name, color in ((p1, names[0], COLORS[0]), (p2, names[1], COLORS[1])):
        show = p if len(p) <= max_points else p[rng.choice(len(p), max_points, replace=False)]
        fig.add_trace(go.Scattergl(x=show[:, 0].astype(np.float32), y=show[:, 1].astype(np.float32),
                                   mode="markers", name=name, marker=dict(size=4, color=color, opacity=0.45)))
        mu, cov = p.mean(0), np.cov(p, rowvar=False)
        for k in (1, 2):
            e = ellipse(mu, cov, k)
            fig.add_trace(go.Scatter(x=e[:, 0], y=e[:, 1], mode="lines", showlegend=k == 1,
                                     name=f"{name}: fitted Gaussian (1 and 2 sigma)",
                                     line=dict(color=color, width=2, dash="solid" if k == 1 else "dot")))
        fig.add_trace(go.Scatter(x=[mu[0]], y=[mu[1]], mode="markers", showlegend=False,
                                 marker=dict(symbol="x", size=12, color=color)))
    fig.update_layout(xaxis_title=f"PC 1 ({ratio[0]:.0%} of variance)", yaxis_title=f"PC 2 ({ratio[1]:.0%})",
                      height=460, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.2))
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def terms_figure(terms: FrechetTerms) -> go.Figure:
    """A stacked bar: FID = mean term + trace term."""
    fig = go.Figure()
    fig.add_trace(go.Bar(y=["FID"], x=[terms.mean_term], orientation="h", name="||mu1 - mu2||^2",
                         marker_color=COLORS[0]))
    fig.add_trace(go.Bar(y=["FID"], x=[terms.trace_term], orientation="h",
                         name="Tr(S1 + S2 - 2 (S1 S2)^1/2)", marker_color=COLORS[1]))
    fig.update_layout(barmode="stack", height=170, margin=dict(l=10, r=10, t=10, b=10),
                      legend=dict(orientation="h", y=-0.4))
    return fig


def fid_vs_n_figure(curve: FidCurve) -> go.Figure:
    """FID against 1 / N with the fitted line and its intercept FID-infinity (Chong & Forsyth 2020)."""
    inv = 1.0 / curve.n
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=inv, y=curve.fid, mode="markers", name="FID at N (mean of repeats)",
                             error_y=dict(type="data", array=curve.fid_std), text=[f"N = {n}" for n in curve.n],
                             marker=dict(size=9, color=COLORS[0])))
    xs = np.linspace(0, inv.max(), 50)
    fig.add_trace(go.Scatter(x=xs, y=curve.fid_inf + curve.slope * xs, mode="lines",
                             name=f"fit FID = {curve.fid_inf:.3g} + {curve.slope:.3g} / N",
                             line=dict(color=COLORS[1], dash="dash")))
    fig.add_trace(go.Scatter(x=[0], y=[curve.fid_inf], mode="markers", name=f"FID-infinity = {curve.fid_inf:.4g}",
                             marker=dict(size=13, symbol="star", color=COLORS[1])))
    fig.update_layout(xaxis_title="1 / N", yaxis_title="FID", height=380, margin=dict(l=10, r=10, t=30, b=10))
    return fig


def corruption_figure(curves: list[CorruptionCurve], labels: dict[str, str]) -> go.Figure:
    """FID against corruption level, one line per corruption type."""
    fig = go.Figure()
    for c in curves:
        i = list(CORRUPTION_COLORS).index(c.kind) if c.kind in CORRUPTION_COLORS else 0
        fig.add_trace(go.Scatter(x=c.levels, y=c.fid, mode="lines+markers", name=labels.get(c.kind, c.kind),
                                 line=dict(color=CORRUPTION_COLORS.get(c.kind, "#000000")),
                                 marker=dict(symbol=CLASS_SYMBOLS[i], size=8)))
    fig.update_layout(xaxis_title="corruption level", yaxis_title="FID to real images", height=380,
                      margin=dict(l=10, r=10, t=30, b=10))
    return fig


def leaderboard_figure(rows: list[dict]) -> go.Figure:
    """Horizontal bars of FID per generator (lower is better), coloured by family."""
    palette = FAMILY_COLORS
    rows = sorted(rows, key=lambda r: r["FID"])
    fig = go.Figure(go.Bar(x=[r["FID"] for r in rows], y=[r["model"] for r in rows], orientation="h",
                           marker_color=[palette.get(r["family"], "#7f7f7f") for r in rows],
                           text=[f"{r['FID']:.3g}" for r in rows], textposition="auto"))
    fig.update_layout(xaxis_title="FID to held-out real images (lower is better)", height=90 + 40 * len(rows),
                      margin=dict(l=10, r=10, t=20, b=10), yaxis=dict(autorange="reversed"))
    return fig
