"""Figures are pure functions of arrays: check their traces without a browser."""

import numpy as np
import plotly.graph_objects as go

from models.zoo import figures, uses_figures
from models.zoo.pretraining import Curve


def test_image_grid_places_every_image():
    rows = [np.zeros((4, 8, 8)), np.ones((4, 8, 8))]
    fig = figures.image_grid(rows, ["a", "b"], "t")
    z = np.asarray(fig.data[0].z, dtype=float)
    assert z.shape == (2 * 9, 4 * 9)
    assert np.nansum(z) == 4 * 64  # the second row of images is all ones, the gaps are NaN


def test_zoo_figures_have_one_trace_per_variant_and_the_target_line():
    steps = {"stacked": np.arange(1, 4), "tied": np.arange(1, 4)}
    fig = figures.loss_curves(steps, {"stacked": np.ones(3), "tied": np.ones(3)})
    assert [t.name for t in fig.data] == ["Stacked (MLP)", "Tied weights"]
    hist = figures.activation_histogram(np.full(8, 0.1), 0.1)
    assert isinstance(hist, go.Figure) and any("target" in (a.text or "") for a in hist.layout.annotations)
    l1 = figures.activation_histogram(np.array([0.0, 0.0, 2.5, 4.0]), None, "sparse_l1")  # ReLU codes: no target
    assert not any("target" in (a.text or "") for a in l1.layout.annotations)
    assert l1.layout.xaxis.range[1] >= 4.0
    bars = figures.bars({"tied": 10, "stacked": 20}, "t", "y", highlight=["tied"])
    assert list(bars.data[0].y) == [10, 20]
    seq = figures.rows_as_sequence(np.zeros((8, 8)), np.zeros((8, 5)))
    assert len(seq.data) == 2
    assert len(figures.greedy_stages(np.arange(10), np.ones(10), (4, 8), 10, ("a", "b", "c")).layout.shapes) == 3


def test_uses_figures():
    scores, labels = np.r_[np.linspace(0.01, 0.1, 50), np.linspace(0.05, 0.3, 10)], np.r_[np.zeros(50), np.ones(10)]
    hist = uses_figures.error_histogram(scores, labels, 0.08)
    assert [t.name for t in hist.data] == ["normal (50)", "anomaly (10)"]
    assert sum(hist.data[0].y) == 1.0 or abs(sum(hist.data[0].y) - 1) < 1e-6
    roc = uses_figures.roc_figure(np.array([0, 0.5, 1]), np.array([0, 0.9, 1]), 0.7, (0.5, 0.9))
    assert roc.data[1].name == "AUC = 0.700" and roc.data[2].x == (0.5,)
    curves = [Curve(0.01, "pretrained", 80, np.array([0, 10]), np.array([0.1, 0.7])),
              Curve(0.01, "scratch", 80, np.array([0, 10]), np.array([0.1, 0.5]))]
    fig = uses_figures.pretrain_curves(curves)
    assert [t.line.dash for t in fig.data] == ["solid", "dash"]


def test_log_ticks_are_one_two_five_and_labelled_in_full():
    assert figures.log_ticks(np.array([14.0, 230.0])) == [10.0, 20.0, 50.0, 100.0, 200.0]
    assert figures.log_ticks(np.array([np.nan, -1.0])) == []
    fig = figures.loss_curves({"stacked": np.arange(3)}, {"stacked": np.array([230.0, 40.0, 14.0])})
    assert list(fig.layout.yaxis.ticktext) == ["10", "20", "50", "100", "200"]
