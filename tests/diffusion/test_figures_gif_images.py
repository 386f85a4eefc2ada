"""Figures, GIF export and upload conversion: checked against what they must contain."""

import io

import numpy as np
import pytest
from PIL import Image

from models.diffusion import figures
from models.diffusion.gif import timeline_gif
from models.diffusion.images import to_model_input
from models.diffusion.schedules import make_schedule
from models.diffusion.timeline import keep_indices, psnr


def test_schedule_figure_plots_the_schedule_values():
    s = make_schedule("cosine", 100)
    fig = figures.schedule_figure([make_schedule("linear", 100), s], t_mark=10)
    assert len(fig.data) == 6
    np.testing.assert_allclose(fig.data[4].y, s.alpha_bar.astype(np.float32))


def test_animation_has_one_frame_per_step():
    ts = np.arange(0, 11)
    fig = figures.animation_figure(ts, np.random.rand(11, 8, 8))
    assert len(fig.frames) == 11 and fig.layout.sliders[0].steps[-1].label == "10"


def test_tile_places_images():
    x = np.arange(6 * 2 * 2, dtype=np.float32).reshape(6, 2, 2)
    out = figures.tile(x, cols=4, pad=1)
    assert out.shape == (2 * 3, 4 * 3)
    np.testing.assert_array_equal(out[3:5, 3:5], x[5])


def test_decimate_keeps_the_mean():
    y = np.random.default_rng(0).random(10_000)
    steps, d = figures.decimate(y, 1000)
    assert len(d) == 1000 and d.mean() == pytest.approx(y.mean())
    assert len(figures.loss_figure(y).data[0].x) <= 1500


def test_gif_round_trips_frames():
    frames = np.stack([np.full((4, 8, 8), v, np.float32) for v in (0.0, 0.5, 1.0)])
    data = timeline_gif(frames, cols=2, scale=2)
    img = Image.open(io.BytesIO(data))
    assert img.format == "GIF" and img.n_frames == 3
    assert img.size == (2 * 9 * 2, 2 * 9 * 2)
    img.seek(2)
    assert np.asarray(img.convert("L"))[0, 0] == 255
    with pytest.raises(ValueError, match="K, N, H, W"):
        timeline_gif(np.zeros((8, 8)))


def test_upload_conversion_inverts_dark_on_light_and_resizes():
    rgb = np.ones((100, 80, 3), np.float32)
    rgb[30:70, 35:45] = 0.0  # a dark stroke on white paper
    x, inverted = to_model_input(rgb, 28)
    assert inverted and x.shape == (1, 1, 28, 28)
    assert x[0, 0, 14, 14] > 0.8 and x[0, 0, 1, 1] < 0.05
    _, inv2 = to_model_input(1 - rgb[..., 0], 28)
    assert not inv2
    with pytest.raises(ValueError, match="shape"):
        to_model_input(np.zeros((2, 2, 2, 2)), 28)


def test_psnr_and_keep_indices():
    a = np.zeros((4, 4))
    assert psnr(a, a) == float("inf")
    assert psnr(a + 0.1, a) == pytest.approx(20.0)
    assert keep_indices(1000, 10) == {1, 112, 223, 334, 445, 556, 667, 778, 889, 1000}
    assert keep_indices(3, 10) == {1, 2, 3}
