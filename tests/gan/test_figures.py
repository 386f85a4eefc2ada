"""Figures are built from the data they are given (checked on the Figure objects, no browser)."""

import numpy as np

from models.gan import figures
from models.gan.config import ToyConfig
from models.gan.toy_train import toy_steps


def _state():
    gen = toy_steps(ToyConfig(width=16, batch=64), views_every_s=0)
    next(gen)
    for _ in range(3):
        s = next(gen)
    return s


def test_toy_scene_layers_hold_the_views():
    s = _state()
    v = s.views
    fig = figures.toy_scene(v)
    heat = next(t for t in fig.data if t.type == "heatmap")
    np.testing.assert_array_equal(np.asarray(heat.z), v.d_grid)
    names = [t.name for t in fig.data]
    assert {"real", "generated", "G manifold"} <= set(names)
    fake = next(t for t in fig.data if t.name == "generated")
    np.testing.assert_array_equal(np.asarray(fake.x), v.fake[:, 0])
    only_points = figures.toy_scene(v, ("real", "fake"))
    assert [t.type for t in only_points.data] == ["scatter", "scatter"]
    assert list(fig.layout.xaxis.range) == [v.extent[0], v.extent[1]]
    # both axes label their ticks; the legend sits above the plot, clear of the x axis's tick labels
    assert fig.layout.xaxis.showticklabels and fig.layout.yaxis.showticklabels
    assert fig.layout.legend.y >= 1 and fig.layout.margin.b >= 30


def test_charts_follow_the_history():
    s = _state()
    loss = figures.loss_chart(s.history)
    np.testing.assert_array_equal(np.asarray(loss.data[0].y), s.history["d_loss"])
    modes = figures.modes_chart(s.history["modes"], 8)
    np.testing.assert_allclose(np.asarray(modes.data[1].y), 100 * s.history["modes"]["hq"])
    assert modes.data[1].yaxis == "y2" and modes.layout.yaxis2.overlaying == "y"  # % on its own right axis
    assert list(modes.layout.yaxis.range) == [0, 8.5] and list(modes.layout.yaxis2.range) == [0, 100]
    dout = figures.d_output_chart(s.history)
    assert [t.name for t in dout.data] == ["D(x) real", "D(G(z)) generated"]


def test_image_grid_and_canvas():
    grid = np.random.default_rng(0).random((20, 8, 8)).astype(np.float32)
    fig = figures.image_grid_figure(grid, 10)
    assert np.asarray(fig.data[0].z).shape == (2 * 9 - 1, 10 * 9 - 1)
    canvas = figures.draw_canvas(np.zeros((4, 2)), np.ones((3, 2)))
    assert len(canvas.data) == 2 and canvas.layout.dragmode == "lasso"
