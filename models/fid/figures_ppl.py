"""The interpolation behind a path length: the images along one path, and how fast each one changes."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def strip_figure(strip: np.ndarray, lengths: np.ndarray) -> go.Figure:
    """Images (S, H, W) in [0, 1] side by side over a bar chart of the local d / eps^2 at each of them."""
    S, H, W = strip.shape
    row = np.concatenate(list(strip), axis=1)[::-1]  # (H, S*W), flipped: heatmaps draw row 0 at the bottom
    fig = make_subplots(rows=2, cols=1, row_heights=[0.55, 0.45], vertical_spacing=0.12,
                        subplot_titles=("the images along one path, z1 to z2",
                                        "local path length d / eps² at each image"))
    fig.add_trace(go.Heatmap(z=row.astype(np.float32), colorscale="gray", zmin=0, zmax=1, showscale=False,
                             hoverinfo="skip"), row=1, col=1)
    t = np.linspace(0, 1, S)
    fig.add_trace(go.Bar(x=np.arange(S) * W + W / 2, y=np.asarray(lengths, np.float32), marker_color="#0072B2",
                         hovertext=[f"t = {v:.2f}" for v in t], name="d / eps²"), row=2, col=1)
    fig.update_xaxes(visible=False, row=1, col=1)
    fig.update_yaxes(visible=False, scaleanchor="x", row=1, col=1)
    fig.update_xaxes(tickvals=np.arange(S) * W + W / 2, ticktext=[f"{v:.2f}" for v in t], title_text="t",
                     row=2, col=1)
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=40, b=10), showlegend=False)
    return fig
