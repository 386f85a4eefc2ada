"""Figures for the 3D part of the page: planes, training curves, codings, the nonlinear manifold.

Pure functions: arrays in, a plotly Figure out (no Streamlit), so tests can inspect them.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .linear_ae import LinearState
from .nonlinear_ae import ManifoldState
from .pca import PCAFit
from .subspace import LinearMap

# Okabe-Ito (models/palette.py): the two planes stay apart with every colour-vision deficiency
DATA, PCA_C, AE_C = "#000000", "#0072B2", "#E69F00"
MAX_CURVE_POINTS = 1500


def _decimate(*arrays: np.ndarray, limit: int = MAX_CURVE_POINTS) -> list[np.ndarray]:
    """Keep at most ``limit`` evenly spaced rows (always the last), so live plots stay light."""
    n = len(arrays[0])
    if n <= limit:
        return [np.asarray(a) for a in arrays]
    idx = np.unique(np.r_[np.linspace(0, n - 1, limit).astype(int), n - 1])
    return [np.asarray(a)[idx] for a in arrays]


def plane_mesh(basis: np.ndarray, origin: np.ndarray, x: np.ndarray, margin: float = 0.1,
               steps: int = 2, align: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A rectangle of the affine plane origin + span(basis) that covers the data's projection.

    Args:
        basis: (3, 2) columns spanning the plane (orthonormalised here).
        origin: (3,) a point of the plane.
        x: (n, 3) data whose projection the rectangle must cover.
        margin: extra fraction of the extent on each side.
        steps: grid points per side.
        align: (3, 2) directions (e.g. PCA's) whose projections onto the plane become the rectangle's
            sides, so two nearly equal planes are drawn as nearly equal rectangles.

    Returns:
        X, Y, Z: (steps, steps) coordinates for ``go.Surface`` (a parametric surface).
    """
    q, _ = np.linalg.qr(np.asarray(basis, np.float64))  # (3, 2)
    if align is not None:
        projected = q @ (q.T @ np.asarray(align, np.float64))  # (3, 2) in the plane
        if np.linalg.matrix_rank(projected, tol=1e-6) == 2:
            q2, r = np.linalg.qr(projected)
            q = q2 * np.sign(np.diag(r))  # keep each side pointing like its align direction
    c = (np.asarray(x, np.float64) - origin) @ q  # (n, 2) coordinates in the plane
    lo, hi = c.min(axis=0), c.max(axis=0)
    pad = (hi - lo) * margin
    u = np.linspace(lo[0] - pad[0], hi[0] + pad[0], steps)
    v = np.linspace(lo[1] - pad[1], hi[1] + pad[1], steps)
    uu, vv = np.meshgrid(u, v)
    pts = origin + uu[..., None] * q[:, 0] + vv[..., None] * q[:, 1]  # (steps, steps, 3)
    return pts[..., 0], pts[..., 1], pts[..., 2]


def _surface(mesh, color: str, name: str) -> go.Surface:
    xs, ys, zs = mesh
    return go.Surface(x=xs, y=ys, z=zs, surfacecolor=np.zeros_like(zs), colorscale=[[0, color], [1, color]],
                      showscale=False, opacity=0.45, name=name, showlegend=True, hoverinfo="name")


def planes_figure(x: np.ndarray, pca: PCAFit, state: LinearState | None = None,
                  show_recon: bool = False, height: int = 520) -> go.Figure:
    """The 3D dataset with PCA's plane and the linear autoencoder's plane (the affine span of its decoder).

    Args:
        x: (n, 3) data.
        pca: PCA with k = 2 fitted on x.
        state: the autoencoder (None: data and PCA only).
        show_recon: also draw the autoencoder's reconstructions x_hat (they lie on its plane).
    """
    fig = go.Figure()
    fig.add_trace(go.Scatter3d(x=x[:, 0], y=x[:, 1], z=x[:, 2], mode="markers", name="data x",
                               marker=dict(size=2.5, color=DATA)))
    fig.add_trace(_surface(plane_mesh(pca.components.T, pca.mu, x), PCA_C, "PCA plane"))
    if state is not None:
        if np.linalg.matrix_rank(state.w_dec) == 2:
            fig.add_trace(_surface(plane_mesh(state.w_dec, state.b_dec, x, align=pca.components.T), AE_C,
                                   f"autoencoder plane (epoch {state.epoch})"))
        if show_recon:
            r = state.reconstruct(x)
            fig.add_trace(go.Scatter3d(x=r[:, 0], y=r[:, 1], z=r[:, 2], mode="markers", name="reconstructions",
                                       marker=dict(size=2, color=AE_C, symbol="diamond")))
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=30, b=0), uirevision="planes",
                      legend=dict(orientation="h", y=1.02, x=0),
                      scene=dict(aspectmode="data", xaxis_title="x1", yaxis_title="x2", zaxis_title="x3",
                                 camera=dict(eye=dict(x=1.4, y=-1.6, z=0.9))))
    return fig


def training_figure(state: LinearState, height: int = 320) -> go.Figure:
    """Reconstruction MSE (PCA's as a dashed line) and the principal angles to PCA's subspace, per epoch."""
    epochs, mses, angles = state.history()
    epochs, mses, angles = _decimate(epochs, mses, angles)
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Reconstruction MSE", "Principal angles to PCA (degrees)"))
    fig.add_trace(go.Scatter(x=epochs, y=mses, name="autoencoder MSE", line=dict(color=AE_C)), 1, 1)
    fig.add_trace(go.Scatter(x=[0, state.epochs], y=[state.pca_mse] * 2, name="PCA MSE (the floor)",
                             line=dict(color=PCA_C, dash="dash")), 1, 1)
    for i in range(angles.shape[1]):
        # Two planes in 3D always share a line, so their smaller angle is 0 (drawn at the 1e-6 floor).
        name = f"angle {i + 1}" + (" (planes in 3D share a line: 0)" if i == 1 and angles.shape == (len(angles), 2)
                                   and np.nanmax(angles[:, 1]) < 1e-6 else "")
        fig.add_trace(go.Scatter(x=epochs, y=np.maximum(angles[:, i], 1e-6), name=name,
                                 line=dict(color=AE_C if i == 0 else "#B279A2")), 1, 2)
    fig.add_trace(go.Scatter(x=[0, state.epochs], y=[1, 1], name="1 degree", line=dict(color="gray", dash="dot")),
                  1, 2)
    fig.update_yaxes(type="log", dtick=1, exponentformat="power", row=1, col=1)
    fig.update_yaxes(type="log", dtick=1, exponentformat="power", row=1, col=2)
    fig.update_xaxes(title_text="epoch", range=[0, state.epochs])
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), uirevision="curves",
                      legend=dict(orientation="h", y=-0.25))
    return fig


def codings_figure(z_pca: np.ndarray, z_ae: np.ndarray, fit: LinearMap, color: np.ndarray,
                   height: int = 340) -> go.Figure:
    """PCA scores, the autoencoder's codings, and those codings sent onto the scores by the best linear map.

    Args:
        z_pca: (n, 2) PCA scores; z_ae: (n, 2) autoencoder codings.
        fit: :func:`models.pca_ae.subspace.best_linear_map` from z_ae to z_pca.
        color: (n,) a value per point (e.g. the first PCA score) so points can be followed across panels.
    """
    fig = make_subplots(rows=1, cols=3, subplot_titles=(
        "PCA scores z = (x - mu) V", "Autoencoder codings z = W_e x + b_e",
        f"Codings mapped by A: residual {fit.residual:.2e}"))
    marker = dict(size=4, color=color, colorscale="Viridis")
    fig.add_trace(go.Scatter(x=z_pca[:, 0], y=z_pca[:, 1], mode="markers", marker=marker, name="PCA"), 1, 1)
    fig.add_trace(go.Scatter(x=z_ae[:, 0], y=z_ae[:, 1], mode="markers", marker=marker, name="autoencoder"), 1, 2)
    fig.add_trace(go.Scatter(x=z_pca[:, 0], y=z_pca[:, 1], mode="markers", name="PCA scores",
                             marker=dict(size=9, color="rgba(0,0,0,0)", line=dict(color=PCA_C, width=1))), 1, 3)
    fig.add_trace(go.Scatter(x=fit.mapped[:, 0], y=fit.mapped[:, 1], mode="markers", marker=marker,
                             name="z_ae A + c"), 1, 3)
    for col in (1, 2, 3):
        fig.update_yaxes(scaleanchor=f"x{'' if col == 1 else col}", row=1, col=col)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), showlegend=False)
    return fig


def manifold_figure(x: np.ndarray, t: np.ndarray, state: ManifoldState, pca_recon: np.ndarray,
                    height: int = 460) -> go.Figure:
    """The curved data, the nonlinear autoencoder's reconstructions and PCA's (flattened) ones, in 3D."""
    fig = go.Figure()
    fig.add_trace(go.Scatter3d(x=x[:, 0], y=x[:, 1], z=x[:, 2], mode="markers", name="data x",
                               marker=dict(size=2, color=t, colorscale="Viridis")))
    r = state.recon
    fig.add_trace(go.Scatter3d(x=r[:, 0], y=r[:, 1], z=r[:, 2], mode="markers",
                               name=f"autoencoder x_hat (MSE {state.mse:.4f})", marker=dict(size=2, color=AE_C)))
    p = pca_recon
    fig.add_trace(go.Scatter3d(x=p[:, 0], y=p[:, 1], z=p[:, 2], mode="markers",
                               name=f"PCA x_hat (MSE {state.pca_mse:.4f})", marker=dict(size=2, color=PCA_C),
                               visible="legendonly"))
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=30, b=0), uirevision="manifold",
                      legend=dict(orientation="h", y=1.02, x=0), scene=dict(aspectmode="data"))
    return fig


def manifold_codes_figure(z_pca: np.ndarray, state: ManifoldState, t: np.ndarray, height: int = 360,
                          colour: np.ndarray | None = None) -> go.Figure:
    """PCA's 2D scores (the manifold squashed flat) next to the autoencoder's codings, coloured by t.

    Args:
        colour: (n,) another sheet coordinate to colour the points by (e.g. the height) instead of t.
    """
    fig = make_subplots(rows=1, cols=3, column_widths=[0.36, 0.36, 0.28], subplot_titles=(
        "PCA scores (2D)", "Nonlinear autoencoder codings", "Training MSE"))
    marker = dict(size=3, color=t if colour is None else colour, colorscale="Viridis")
    fig.add_trace(go.Scatter(x=z_pca[:, 0], y=z_pca[:, 1], mode="markers", marker=marker, name="PCA"), 1, 1)
    z = state.codes
    fig.add_trace(go.Scatter(x=z[:, 0], y=z[:, 1] if z.shape[1] > 1 else np.zeros(len(z)), mode="markers",
                             marker=marker, name="autoencoder"), 1, 2)
    steps, mses = _decimate(state.hist_step, state.hist_mse) if len(state.hist_step) else ([], [])
    fig.add_trace(go.Scatter(x=steps, y=mses, name="autoencoder", line=dict(color=AE_C)), 1, 3)
    fig.add_trace(go.Scatter(x=[0, state.steps], y=[state.pca_mse] * 2, name="PCA",
                             line=dict(color=PCA_C, dash="dash")), 1, 3)
    fig.update_yaxes(type="log", dtick=1, exponentformat="power", row=1, col=3)
    fig.update_xaxes(title_text="step", row=1, col=3)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), showlegend=False, uirevision="codes")
    return fig
