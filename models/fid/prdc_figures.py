"""The k-nearest-neighbour balls behind precision, recall, density and coverage, drawn in 2-D."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .prdc import knn_radii

# Okabe-Ito blue and orange (distinguishable under every common colour-vision deficiency), plus shapes
REAL_STYLE = dict(color="#0072B2", symbol="circle")
FAKE_STYLE = dict(color="#D55E00", symbol="x")


def _circles(centres: np.ndarray, radii: np.ndarray, points: int = 36) -> tuple[np.ndarray, np.ndarray]:
    """x, y of every circle, separated by NaN (one trace draws them all)."""
    t = np.linspace(0, 2 * np.pi, points)
    xs = centres[:, :1] + radii[:, None] * np.cos(t)[None, :]
    ys = centres[:, 1:2] + radii[:, None] * np.sin(t)[None, :]
    pad = np.full((len(centres), 1), np.nan)
    return np.hstack([xs, pad]).ravel(), np.hstack([ys, pad]).ravel()


def balls_figure(real: np.ndarray, fake: np.ndarray, k: int = 5, show: str = "real") -> go.Figure:
    """Real and generated points with one set's k-NN balls.

    Args:
        real, fake: (N, 2) and (M, 2) points.
        show: ``"real"`` draws the real balls (precision, density and coverage count fakes in them),
            ``"fake"`` the generated ones (recall counts reals in them).
    """
    import torch

    centres = real if show == "real" else fake
    radii = knn_radii(torch.as_tensor(np.asarray(centres, dtype=np.float64)), k).numpy()
    cx, cy = _circles(np.asarray(centres, dtype=np.float64), radii)
    style = REAL_STYLE if show == "real" else FAKE_STYLE
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=cx.astype(np.float32), y=cy.astype(np.float32), mode="lines",
                             line=dict(color=style["color"], width=1), opacity=0.35, hoverinfo="skip",
                             name=f"{'real' if show == 'real' else 'generated'} k-NN balls (k = {k})"))
    for pts, name, st in ((real, "real (set A)", REAL_STYLE), (fake, "generated (set B)", FAKE_STYLE)):
        fig.add_trace(go.Scatter(x=pts[:, 0].astype(np.float32), y=pts[:, 1].astype(np.float32), mode="markers",
                                 name=name, marker=dict(size=6, color=st["color"], symbol=st["symbol"],
                                                        line=dict(width=1, color=st["color"]))))
    fig.update_layout(height=440, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.12),
                      xaxis_title="x1", yaxis_title="x2")
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig
