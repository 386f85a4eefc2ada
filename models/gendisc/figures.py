"""Plotly figures for the generative-vs-discriminative page: pure functions of arrays, no Streamlit.

Class 0 is blue, class 1 red; P(y = 1 | x) runs from blue (0) to red (1). Generative models are drawn
dashed in the curves, discriminative ones solid.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .boundaries import Grid
from .classifiers import MODELS

CLASS_COLORS = ("#2166ac", "#b2182b")
# Okabe-Ito (models/palette.py): every pair stays apart with colour-vision deficiency
MODEL_COLORS = {"logreg": "#0072B2", "mlp": "#CC79A7", "gnb": "#D55E00", "lda": "#009E73", "gmm": "#E69F00"}
POSTERIOR_SCALE = [[0.0, "#4393c3"], [0.5, "#f7f7f7"], [1.0, "#d6604d"]]


def _f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def _points(X: np.ndarray, y: np.ndarray, show_legend: bool, size: int = 5, prefix: str = "") -> list[go.Scatter]:
    return [go.Scatter(x=_f32(X[y == c, 0]), y=_f32(X[y == c, 1]), mode="markers", name=f"{prefix}class {c}",
                       legendgroup=f"{prefix}class {c}", showlegend=show_legend,
                       marker=dict(size=size, color=CLASS_COLORS[c], line=dict(width=0.5, color="white")))
            for c in (0, 1)]


def _panels(titles: list[str], height: int = 380) -> go.Figure:
    fig = make_subplots(1, len(titles), subplot_titles=titles, horizontal_spacing=0.03,
                        shared_yaxes=True)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=-0.15))
    return fig


def boundaries_figure(grid: Grid, posteriors: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray,
                      titles: dict[str, str] | None = None, extra: np.ndarray | None = None) -> go.Figure:
    """One panel per model: P(y = 1 | x) as a heat map, the boundary P = 1/2 as a black line, the points.

    Args:
        posteriors: ``{model name: (R, R) P(y = 1 | x) on grid}``.
        X: (N, 2) training points; y: (N,) labels in {0, 1}.
        titles: optional panel titles (default: the model labels).
        extra: (M, 2) points to mark as outliers (crosses), or None.
    """
    names = list(posteriors)
    fig = _panels([(titles or {}).get(n, MODELS[n].short) for n in names])
    for i, name in enumerate(names, start=1):
        P = _f32(posteriors[name])
        fig.add_trace(go.Heatmap(x=_f32(grid.xs), y=_f32(grid.ys), z=P, zmin=0, zmax=1, colorscale=POSTERIOR_SCALE,
                                 showscale=i == len(names), colorbar=dict(title="P(y=1|x)", len=0.8),
                                 hovertemplate="x=(%{x:.2f}, %{y:.2f})<br>P(y=1|x)=%{z:.2f}<extra></extra>"), 1, i)
        fig.add_trace(go.Contour(x=_f32(grid.xs), y=_f32(grid.ys), z=P, contours=dict(start=0.5, end=0.5, size=1,
                                 coloring="lines"), line=dict(color="black", width=2), showscale=False,
                                 hoverinfo="skip"), 1, i)
        for t in _points(X, y, i == 1):
            fig.add_trace(t, 1, i)
        if extra is not None and len(extra):
            fig.add_trace(go.Scatter(x=_f32(extra[:, 0]), y=_f32(extra[:, 1]), mode="markers", name="outliers",
                                     showlegend=i == 1, marker=dict(symbol="x", size=7, color="black")), 1, i)
    lo_x, hi_x = float(grid.xs[0]), float(grid.xs[-1])
    lo_y, hi_y = float(grid.ys[0]), float(grid.ys[-1])
    if extra is not None and len(extra):
        lo_x, hi_x = min(lo_x, float(extra[:, 0].min())), max(hi_x, float(extra[:, 0].max()))
        lo_y, hi_y = min(lo_y, float(extra[:, 1].min())), max(hi_y, float(extra[:, 1].max()))
    fig.update_xaxes(range=[lo_x, hi_x])
    fig.update_yaxes(range=[lo_y, hi_y])
    return fig


def placement_figure(candidates: np.ndarray, placed=None, height: int = 360) -> go.Figure:
    """Canvas for placing points: a faint grid to click or lasso, and the points placed so far by class.

    Args:
        candidates: (M, 2) grid points (trace 0: what a selection picks).
        placed: a ``data2d.Labelled2D`` of the points so far, or None.
    """
    fig = go.Figure(go.Scatter(x=_f32(candidates[:, 0]), y=_f32(candidates[:, 1]), mode="markers", name="grid",
                               marker=dict(color="rgba(150,150,150,0.35)", size=6),
                               hovertemplate="(%{x:.2f}, %{y:.2f})<extra>click or lasso to add</extra>"))
    if placed is not None:
        for t in _points(placed.X, placed.y, True, size=8):
            fig.add_trace(t)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), dragmode="lasso", clickmode="event+select",
                      legend=dict(orientation="h", y=-0.08), plot_bgcolor="white")
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def densities_figure(grid: Grid, log_densities: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> go.Figure:
    """One panel per generative model: contours of its learned density p(x) = sum_y p(x | y) P(y), with the data.

    Args:
        log_densities: ``{model name: (R, R) log p(x) on grid}``.
    """
    names = list(log_densities)
    fig = _panels([MODELS[n].short for n in names])
    for i, name in enumerate(names, start=1):
        p = np.exp(log_densities[name])
        fig.add_trace(go.Contour(x=_f32(grid.xs), y=_f32(grid.ys), z=_f32(p), colorscale="Greys", ncontours=12,
                                 contours=dict(coloring="fill"), showscale=False, opacity=0.85,
                                 hovertemplate="x=(%{x:.2f}, %{y:.2f})<br>p(x)=%{z:.3f}<extra></extra>"), 1, i)
        for t in _points(X, y, i == 1, size=4):
            fig.add_trace(t, 1, i)
    return fig


def samples_figure(X: np.ndarray, y: np.ndarray, samples: dict[str, tuple[np.ndarray, np.ndarray]]) -> go.Figure:
    """The real training data next to labelled samples (X (M, 2), y (M,)) drawn from each generative model."""
    names = list(samples)
    fig = _panels(["Real data"] + [f"Samples: {MODELS[n].short}" for n in names])
    for t in _points(X, y, True, size=4):
        fig.add_trace(t, 1, 1)
    for i, name in enumerate(names, start=2):
        Xs, ys = samples[name]
        for t in _points(Xs, ys, False, size=4):
            fig.add_trace(t, 1, i)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.15 * (hi - lo)
    fig.update_xaxes(range=[float(lo[0] - pad[0]), float(hi[0] + pad[0])])
    fig.update_yaxes(range=[float(lo[1] - pad[1]), float(hi[1] + pad[1])])
    return fig


def _model_line(fig: go.Figure, name: str, x, y, row: int, col: int, show: bool, error=None) -> None:
    fig.add_trace(go.Scatter(
        x=x, y=_f32(y), mode="lines+markers", name=MODELS[name].label, legendgroup=name, showlegend=show,
        line=dict(color=MODEL_COLORS[name], dash="dash" if MODELS[name].generative else "solid"),
        error_y=None if error is None else dict(type="data", array=_f32(error), visible=True, thickness=1)),
        row, col)


def outlier_figure(counts: np.ndarray, accuracy: dict[str, np.ndarray], shift: dict[str, np.ndarray]) -> go.Figure:
    """Test accuracy and boundary shift (fraction of the area whose prediction changed) vs outliers added."""
    fig = make_subplots(1, 2, subplot_titles=["Accuracy on clean test data",
                                              "Boundary shift (area that changed class)"])
    for i, name in enumerate(accuracy):
        _model_line(fig, name, counts, accuracy[name], 1, 1, True)
        _model_line(fig, name, counts, shift[name], 1, 2, False)
    fig.update_xaxes(title_text="outliers added to one class")
    fig.update_yaxes(tickformat=".0%")
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=50, b=10))
    return fig


def learning_curve_figure(sizes: np.ndarray, mean: dict[str, np.ndarray], std: dict[str, np.ndarray],
                          bayes: float | None = None) -> go.Figure:
    """Mean test accuracy (error bars: std over repeats) against training-set size, log-scaled.

    Args:
        bayes: the Bayes-optimal accuracy drawn as a dotted line, when known.
    """
    fig = go.Figure()
    for name in mean:
        _model_line(fig, name, sizes, mean[name], None, None, True, error=std[name])
    if bayes is not None:
        fig.add_hline(y=bayes, line=dict(color="black", dash="dot"), annotation_text=f"Bayes optimum {bayes:.1%}",
                      annotation_position="bottom right")
    fig.update_xaxes(type="log", title_text="training points (half of each class)", tickvals=list(map(int, sizes)))
    fig.update_yaxes(title_text="accuracy on 2,000 fresh test points", tickformat=".0%")
    fig.update_layout(height=400, margin=dict(l=10, r=10, t=30, b=10))
    return fig


def distribution_figure(grid: np.ndarray, f: np.ndarray, frames: list[tuple[int, np.ndarray, np.ndarray, float]],
                        discrete: bool, label: str) -> go.Figure:
    """The PMF/PDF against the histogram of the first n draws, animated over increasing n (client-side).

    Args:
        grid: (M,) where the PMF/PDF is evaluated; f: (M,) its values.
        frames: ``[(n, centres, heights, width), ...]`` from ``distributions.histogram``; the last is shown first.
    """
    def bars(c, h, w):
        return go.Bar(x=_f32(c), y=_f32(h), width=w, name="samples", marker_color="#9ecae1",
                      marker_line=dict(width=0.5, color="#3182bd"))

    theory = (go.Scatter(x=_f32(grid), y=_f32(f), mode="markers", name="PMF (theory)",
                         marker=dict(size=8, color="black", symbol="diamond")) if discrete else
              go.Scatter(x=_f32(grid), y=_f32(f), mode="lines", name="PDF (theory)", line=dict(color="black", width=2)))
    n_last, *last = frames[-1]
    fig = go.Figure(data=[bars(*last), theory])
    fig.frames = [go.Frame(data=[bars(c, h, w), theory], name=str(n), traces=[0, 1]) for n, c, h, w in frames]
    jump = dict(mode="immediate", frame=dict(duration=0, redraw=True))
    steps = [dict(method="animate", label=f"{n:,}", args=[[str(n)], jump])
             for n, *_ in frames]
    fig.update_layout(
        height=380, margin=dict(l=10, r=10, t=40, b=10), bargap=0.05,
        title=f"{label}: {'P(X = k)' if discrete else 'p(x)'} against the histogram of n draws",
        yaxis_title="probability" if discrete else "density",
        sliders=[dict(active=len(frames) - 1, steps=steps, currentvalue=dict(prefix="n = "), pad=dict(t=40),
                      x=0.2, len=0.8)],
        updatemenus=[dict(type="buttons", showactive=False, x=0, y=-0.12, xanchor="left", yanchor="top",
                          pad=dict(t=40), buttons=[dict(
            label="Play n = 10 ... " + f"{n_last:,}", method="animate",
            args=[None, dict(frame=dict(duration=600, redraw=True), fromcurrent=False, mode="immediate")])])])
    return fig


def moments_figure(ns: np.ndarray, means: np.ndarray, variances: np.ndarray, mean: float, var: float) -> go.Figure:
    """Running sample mean and variance against n (log scale), with the theory and mean +- 2 sqrt(var / n)."""
    fig = make_subplots(1, 2, subplot_titles=["Sample mean", "Sample variance"])
    band = 2 * np.sqrt(var / ns)
    fig.add_trace(go.Scatter(x=np.concatenate([ns, ns[::-1]]),
                             y=_f32(np.concatenate([mean + band, (mean - band)[::-1]])),
                             fill="toself", fillcolor="rgba(0,0,0,0.08)", line=dict(width=0), name="theory +- 2 SE",
                             hoverinfo="skip"), 1, 1)
    for col, (values, target) in enumerate([(means, mean), (variances, var)], start=1):
        fig.add_trace(go.Scatter(x=ns, y=_f32(values), mode="lines", name="from samples", showlegend=col == 1,
                                 line=dict(color="#3182bd")), 1, col)
        fig.add_hline(y=target, line=dict(color="black", dash="dash"), row=1, col=col)
    fig.update_xaxes(type="log", title_text="n draws")
    fig.update_layout(height=330, margin=dict(l=10, r=10, t=40, b=10))
    return fig
