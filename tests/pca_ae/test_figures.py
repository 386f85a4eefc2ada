"""Figures: the drawn planes lie on the planes they claim, curves carry the right reference values."""

import numpy as np
import plotly.graph_objects as go
import pytest

from models.pca_ae import figures, image_figures
from models.pca_ae.linear_ae import LinearAEConfig, codings_vs_pca, dataset, train_linear_steps
from models.pca_ae.nonlinear_ae import ManifoldAEConfig, train_manifold_steps
from models.pca_ae.pca import fit_pca


@pytest.fixture(scope="module")
def setup():
    config = LinearAEConfig(epochs=5)
    states = list(train_linear_steps(config))
    x = dataset(config)
    return x, fit_pca(x, 2), states[-1]


def test_plane_mesh_lies_on_the_plane_and_covers_the_data():
    rng = np.random.default_rng(0)
    basis, origin = rng.standard_normal((3, 2)), rng.standard_normal(3)
    x = origin + rng.standard_normal((50, 2)) @ basis.T
    xs, ys, zs = figures.plane_mesh(basis, origin, x, steps=3)
    pts = np.stack([xs.ravel(), ys.ravel(), zs.ravel()], 1) - origin
    q, _ = np.linalg.qr(basis)
    np.testing.assert_allclose(pts - pts @ q @ q.T, 0, atol=1e-10)  # on the plane
    c, corners = (x - origin) @ q, pts @ q
    assert (corners.min(0) <= c.min(0)).all() and (corners.max(0) >= c.max(0)).all()


def test_planes_figure_has_data_both_planes_and_optional_recon(setup):
    x, pca, state = setup
    fig = figures.planes_figure(x, pca, state, show_recon=True)
    kinds = [type(t).__name__ for t in fig.data]
    assert kinds == ["Scatter3d", "Surface", "Surface", "Scatter3d"]
    surf = fig.data[1]  # PCA's plane: normal vector is the third principal direction
    normal = fit_pca(x, 3).components[2]
    pts = np.stack([np.ravel(surf.x), np.ravel(surf.y), np.ravel(surf.z)], 1)
    np.testing.assert_allclose((pts - pca.mu) @ normal, 0, atol=1e-10)
    assert len(figures.planes_figure(x, pca, None).data) == 2


def test_training_figure_reference_line_is_pca_mse(setup):
    _, _, state = setup
    fig = figures.training_figure(state)
    ref = next(t for t in fig.data if t.name.startswith("PCA"))
    assert list(ref.y) == [state.pca_mse] * 2
    assert len(fig.data[0].x) == state.epoch + 1


def test_decimate_keeps_last_point_and_limit():
    a = np.arange(10_000)
    (d,) = figures._decimate(a, limit=100)
    assert len(d) <= 101 and d[-1] == 9999 and d[0] == 0


def test_codings_and_manifold_figures_build(setup):
    x, pca, state = setup
    z_pca, z_ae, fit = codings_vs_pca(state, x, pca)
    assert isinstance(figures.codings_figure(z_pca, z_ae, fit, z_pca[:, 0]), go.Figure)
    cfg = ManifoldAEConfig(steps=2)
    ms = list(train_manifold_steps(cfg, every=1))[-1]
    from models.pca_ae.nonlinear_ae import manifold_data

    xm, t = manifold_data(cfg)
    p = fit_pca(xm, 2)
    assert len(figures.manifold_figure(xm, t, ms, p.reconstruct(xm)).data) == 3
    assert len(figures.manifold_codes_figure(p.encode(xm), ms, t).data) == 4
    by_height = figures.manifold_codes_figure(p.encode(xm), ms, t, colour=xm[:, 1])
    assert np.array_equal(by_height.data[1].marker.color, xm[:, 1])
    assert np.array_equal(figures.manifold_codes_figure(p.encode(xm), ms, t).data[1].marker.color, t)


def test_montage_places_images_and_grid_labels():
    rows = [np.full((3, 4), 0.2), np.full((3, 4), 0.7)]
    grid = image_figures.montage(rows, (2, 2), gap=1)
    assert grid.shape == (5, 8)
    assert grid[0, 0] == 0.2 and grid[3, 0] == 0.7 and grid[2, 0] == 1.0
    fig = image_figures.reconstructions_figure({"original": rows[0], "PCA": rows[1]}, (2, 2))
    assert list(fig.layout.yaxis.ticktext) == ["original", "PCA"]


def test_k_sweep_and_tsne_figures():
    fig = image_figures.k_sweep_figure({1: 0.1, 2: 0.05}, {"linear": {2: 0.06}, "stacked": {2: 0.04}}, 2)
    assert [t.name for t in fig.data][0] == "PCA" and len(fig.data) == 3
    emb = np.random.default_rng(0).standard_normal((20, 2))
    fig = image_figures.tsne_figure(emb, np.arange(20) % 3, ("a", "b", "c", "d"))
    assert [t.name for t in fig.data] == ["a", "b", "c"]
