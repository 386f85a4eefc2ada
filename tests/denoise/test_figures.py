"""Figures are built from the numbers given, without a browser."""

import numpy as np

from models.denoise import figures


def test_scores_figure_has_one_bar_per_denoiser_and_the_noisy_line():
    fig = figures.scores_figure(["a", "b"], [20.0, None], [0.5, None], [0.1, 0.2], noisy_psnr=14.0)
    assert [t.type for t in fig.data] == ["bar", "bar", "bar"]
    assert list(fig.data[0].x) == ["a", "b"] and fig.data[0].y[0] == 20.0 and np.isnan(fig.data[0].y[1])
    assert list(fig.data[2].y) == [0.1, 0.2]
    assert any("14.00" in (a.text or "") for a in fig.layout.annotations)


def test_residual_figure_shows_y_minus_output_decimated():
    y = np.random.default_rng(0).random((600, 300, 3)).astype(np.float32)
    fig = figures.residual_figure(y, [("zero", np.zeros_like(y)), ("same", y)])
    assert len(fig.data) == 2
    z = np.asarray(fig.data[0].z)
    assert z.shape == (200, 100)  # 600 / ceil(600 / 256) = 200
    np.testing.assert_allclose(z, y.mean(axis=2)[::3, ::3][::-1], atol=1e-6)
    assert np.abs(np.asarray(fig.data[1].z)).max() == 0
