"""The explorer's helpers: PCA views against NumPy's SVD, grids, tiles, prior codes, figures."""

import numpy as np
import pytest
import torch

from models.latent import explore, figures


def test_pca_view_matches_an_svd_and_maps_back_to_codes():
    rng = np.random.default_rng(0)
    codes = (rng.normal(size=(500, 6)) * [3, 2, 1, 0.5, 0.2, 0.1]).astype(np.float32) + 1.0
    view = explore.view_2d(codes, "pca")
    centred = codes - codes.mean(0)
    s = np.linalg.svd(centred, compute_uv=False)
    assert view.explained == pytest.approx((s[:2] ** 2).sum() / (s ** 2).sum(), rel=1e-4)
    np.testing.assert_allclose(np.abs(view.coords).std(0), np.abs(centred @ view.basis.T).std(0), rtol=1e-4)
    u = np.array([[0.7, -1.2]], np.float32)  # a point of the picture -> a code -> the same point
    np.testing.assert_allclose(explore.project(view, view.to_latent(u)[0]), u[0], atol=1e-5)


def test_two_dimensional_codes_are_their_own_picture():
    codes = np.random.default_rng(1).normal(size=(50, 2)).astype(np.float32)
    view = explore.view_2d(codes)
    assert view.method == "identity"
    np.testing.assert_array_equal(view.coords, codes)
    np.testing.assert_array_equal(view.to_latent(codes[:3]), codes[:3])


def test_tsne_view_has_no_inverse():
    codes = np.random.default_rng(2).normal(size=(60, 4)).astype(np.float32)
    view = explore.view_2d(codes, "tsne")
    assert view.coords.shape == (60, 2)
    with pytest.raises(ValueError, match="PCA"):
        view.to_latent(np.zeros((1, 2)))


def test_grid_codes_put_the_top_row_at_the_largest_second_coordinate():
    view = explore.view_2d(np.zeros((3, 2), np.float32))
    grid = explore.grid_codes(view, (-1, -2), (1, 2), 3)
    np.testing.assert_allclose(grid[0], [-1, 2])
    np.testing.assert_allclose(grid[2], [1, 2])
    np.testing.assert_allclose(grid[-1], [1, -2])


def test_tile_and_sheet_lay_images_out_row_by_row():
    images = torch.arange(6, dtype=torch.float32).view(6, 1, 1, 1).expand(6, 1, 2, 2) / 10
    t = explore.tile(images, 2, 3, pad=1)
    assert t.shape == (5, 8) and t[0, 0] == 0 and t[0, 3] == pytest.approx(0.1) and t[3, 0] == pytest.approx(0.3)
    assert t[2, 0] == 1.0  # the white line between rows
    s = explore.sheet(images, 2, 3, width=40)
    assert s.dtype == np.uint8 and s.shape == (25, 40)
    with pytest.raises(ValueError, match="rows \\* cols"):
        explore.tile(images, 2, 2)


def test_prior_codes_use_n01_or_the_ae_code_fit():
    z = explore.prior_codes("vae", {}, 3, 20000, seed=0)
    np.testing.assert_allclose(z.mean(0), 0, atol=0.03)
    np.testing.assert_allclose(z.std(0), 1, atol=0.03)
    metrics = {"code_mean": [5.0, -3.0], "code_std": [2.0, 0.5]}
    z = explore.prior_codes("ae", metrics, 2, 20000, seed=0)
    np.testing.assert_allclose(z.mean(0), [5, -3], atol=0.05)
    np.testing.assert_allclose(z.std(0), [2, 0.5], atol=0.05)
    torch.testing.assert_close(explore.prior_codes("vae", {}, 2, 4, 9), explore.prior_codes("vae", {}, 2, 4, 9))


def test_slider_ranges():
    assert explore.slider_range("vae", {}, 2) == ([-4.0, -4.0], [4.0, 4.0])
    lo, hi = explore.slider_range("ae", {"code_lo": [-10.0], "code_hi": [10.0]}, 1)
    assert lo[0] < -10 and hi[0] > 10


def test_code_map_has_one_trace_per_class_plus_click_grid_and_star():
    coords = np.random.default_rng(3).normal(size=(30, 2)).astype(np.float32)
    labels = np.arange(30) % 3
    fig = figures.code_map(coords, labels, ("a", "b", "c", "d"), "t", point=np.zeros(2), clickable=True)
    names = [t.name for t in fig.data]
    assert names == ["click", "a", "b", "c", "current z"]
    assert len(fig.data[0].x) == figures.CLICK_GRID ** 2 and fig.data[0].hoverinfo == "none"


def test_loss_curves_put_the_kl_on_the_second_axis():
    fig = figures.loss_curves({"step": [1, 2], "recon": [5.0, 4.0], "kl": [1.0, 2.0]}, "t")
    assert [t.yaxis for t in fig.data] == ["y", "y2"]
    bars = figures.internals_bars(np.zeros(2), np.ones(2), np.ones(2), np.ones(2))
    assert len(bars.data) == 4
