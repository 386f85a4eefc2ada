"""Plotly figures for the latent explorer: pure functions of NumPy arrays, testable without a browser."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..palette import CLASS_COLORS as PALETTE, CLASS_SYMBOLS as SYMBOLS  # CVD-safe, and a symbol per class
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
                                     marker=dict(size=5, color=PALETTE[c % 10], symbol=SYMBOLS[c % 10],
                                                 opacity=0.7)))
    if point is not None:
        fig.add_trace(go.Scatter(x=[float(point[0])], y=[float(point[1])], mode="markers", name="current z",
                                 marker=dict(symbol="star", size=16, color="black",
                                             line=dict(color="white", width=1))))
    fig.update_xaxes(title_text=axis_names[0])
    fig.update_yaxes(title_text=axis_names[1])
    fig.update_layout(showlegend=legend)
    return _layout(fig, title, height, margin=dict(r=105 if legend else 10))


def nice_step(span: float, max_intervals: int) -> float:
    """The smallest "round" step (1, 2, 2.5 or 5 times a power of ten) that covers ``span`` in at most
    ``max_intervals`` intervals (Heckbert 1990, "Nice numbers for graph labels", with 2.5 added)."""
    span = max(float(span), 1e-12)
    base = 10.0 ** np.floor(np.log10(span / max_intervals))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0, 20.0):
        if span / (m * base) <= max_intervals + 1e-9:
            return m * base
    return 20.0 * base


def nice_ticks(lo: float, hi: float, intervals: int) -> np.ndarray:
    """``intervals + 1`` evenly spaced round ticks (multiples of :func:`nice_step`) that enclose [lo, hi].

    Both axes of a dual-axis chart get the same number of intervals, so the right axis's ticks sit on the
    left axis's grid lines and both read as round numbers (not 2.96 / 8.85 / 14.73).
    """
    lo, hi = float(lo), float(hi)
    if hi <= lo:
        hi = lo + 1.0
    for grow in range(0, 20):
        step = nice_step((hi - lo) * (1 + 0.05 * grow), intervals)
        start = np.floor(lo / step + 1e-9) * step
        if start + intervals * step >= hi - 1e-9 * step:
            ticks = start + step * np.arange(intervals + 1)
            return np.round(ticks / step) * step  # no 0.30000000000000004
    raise AssertionError("unreachable: a step of twice the span always fits")


# The right axis's label for each model's regularisation term
REGULARISER_AXIS = {"kl": "KL (nats / image)", "d_loss": "adversarial loss (nats)"}


def loss_curves(history: dict, title: str, height: int = 300, intervals: int = 4) -> go.Figure:
    """Training losses against step: reconstruction (left axis) and the KL or adversarial terms (right).

    The right axis is labelled by what it shows (the VAE's KL, the AAE's discriminator and encoder
    losses); both axes get ``intervals`` round steps (:func:`nice_ticks`), so their grid lines coincide.
    """
    fig = go.Figure()
    steps = np.asarray(history.get("step", []), dtype=np.float32)
    names = {"recon": "reconstruction", "kl": "KL(q(z|x) || p(z))", "d_loss": "discriminator",
             "g_loss": "encoder as generator"}
    left, right = [], []
    for key, name in names.items():
        if key in history and len(history[key]):
            y = np.asarray(history[key], dtype=np.float32)
            (left if key == "recon" else right).append(y)
            fig.add_trace(go.Scatter(x=steps, y=y, name=name, mode="lines",
                                     yaxis="y" if key == "recon" else "y2"))
    axes = {"yaxis": dict(title="recon (nats / image)"),
            "yaxis2": dict(title=next((v for k, v in REGULARISER_AXIS.items() if k in history), "loss"),
                           overlaying="y", side="right", showgrid=False)}
    for (name, axis), ys in zip(axes.items(), (left, right)):
        if ys:
            v = np.concatenate(ys)
            ticks = nice_ticks(float(v.min()), float(v.max()), intervals)
            axis.update(tickmode="array", tickvals=ticks.tolist(), range=[ticks[0], ticks[-1]])
    fig.update_layout(xaxis_title="training step", legend=dict(orientation="h", y=-0.25), **axes)
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


def discriminator_plane(u: np.ndarray, p: np.ndarray, z_prior: np.ndarray, z_codes: np.ndarray,
                        title: str = "D(z) over the code plane", height: int = 420) -> go.Figure:
    """Heat map of the AAE discriminator's D(z) (n, n) over the grid u (n,), prior samples (N, 2) as
    white dots and the encoder's held-out codes (N, 2) as black crosses on top.

    The colour scale is centred on 1/2, D's answer where it cannot tell prior samples from codes: red
    where D says "prior", blue where it says "encoder".
    """
    fig = go.Figure(go.Heatmap(x=u, y=u, z=np.asarray(p, dtype=np.float32), zmin=0.0, zmax=1.0, zmid=0.5,
                               colorscale="RdBu_r", colorbar=dict(title="D(z)", len=0.9),
                               hovertemplate="z1 %{x:.2f}<br>z2 %{y:.2f}<br>D(z) %{z:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=z_prior[:, 0], y=z_prior[:, 1], mode="markers", name="z ~ p(z) = N(0, I)",
                             marker=dict(size=4, color="white", line=dict(color="black", width=0.5))))
    fig.add_trace(go.Scatter(x=z_codes[:, 0], y=z_codes[:, 1], mode="markers", name="codes of held-out images",
                             marker=dict(size=5, color="black", symbol="x-thin", line=dict(width=1))))
    lim = [float(u[0]), float(u[-1])]
    fig.update_xaxes(title_text="z1", range=lim)
    fig.update_yaxes(title_text="z2", range=lim, scaleanchor="x")
    fig.update_layout(legend=dict(orientation="h", y=-0.18))
    return _layout(fig, title, height, margin=dict(r=10, b=90))


def discriminator_histograms(d_prior: np.ndarray, d_codes: np.ndarray, title: str = "D's answers",
                             bins: int = 40, height: int = 360) -> go.Figure:
    """Overlaid histograms (share of each set per bin) of D(z) in [0, 1] on prior samples and on codes.

    Well-separated histograms: D tells the two apart (the codes do not follow the prior yet); both piled
    around 1/2: the encoder has won the game.
    """
    fig = go.Figure()
    edges = dict(start=0.0, end=1.0, size=1.0 / bins)
    for v, name, colour in ((d_prior, "z ~ p(z) = N(0, I)", "#d62728"), (d_codes, "codes of held-out images",
                                                                          "#1f77b4")):
        fig.add_trace(go.Histogram(x=np.asarray(v, dtype=np.float32), xbins=edges, histnorm="probability",
                                   name=name, opacity=0.6, marker_color=colour))
    fig.update_layout(barmode="overlay", legend=dict(orientation="h", y=-0.25))
    fig.update_xaxes(title_text="D(z) = P(z came from the prior), as D sees it", range=[0, 1])
    fig.update_yaxes(title_text="share of codes")
    return _layout(fig, title, height, margin=dict(b=95))
