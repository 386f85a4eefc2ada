"""Figures: built from arrays without a browser, with the traces the page relies on."""

import numpy as np
import plotly.graph_objects as go

from models.gendisc import classifiers as C, compare, data2d, distributions as D, figures as F


def test_boundaries_figure_has_a_heatmap_and_a_half_contour_per_model():
    train, test = data2d.train_test("moons", 120, seed=0)
    res = compare.compare(train, test, seed=0, models=("logreg", "lda"), resolution=30)
    fig = F.boundaries_figure(res.grid, res.posteriors, train.X, train.y, extra=np.array([[5.0, 5.0]]))
    heat = [t for t in fig.data if isinstance(t, go.Heatmap)]
    cont = [t for t in fig.data if isinstance(t, go.Contour)]
    assert len(heat) == len(cont) == 2
    assert all(c.contours.start == 0.5 == c.contours.end for c in cont)
    np.testing.assert_allclose(np.asarray(heat[1].z), res.posteriors["lda"], atol=1e-6)
    assert fig.layout.xaxis.range[1] >= 5.0  # the outlier is inside the view
    assert sum(t.name == "outliers" for t in fig.data) == 2


def test_densities_and_samples_figures():
    train = data2d.make("blobs", 100, seed=0)
    res = compare.compare(train, None, seed=0, models=("gnb", "gmm"), resolution=20)
    fig = F.densities_figure(res.grid, res.log_densities, train.X, train.y)
    assert len([t for t in fig.data if isinstance(t, go.Contour)]) == 2
    fig = F.samples_figure(train.X, train.y, res.samples)
    assert len(fig.data) == 2 * 3  # two classes x (real data + two models)
    assert fig.layout.annotations[1].text == "Samples: Naive Bayes"


def test_distribution_figure_animates_the_histograms():
    conv = D.convergence("poisson", {"lam": 3.0}, 1000, seed=0)
    fig = F.distribution_figure(conv.grid, conv.f, conv.frames, True, "Poisson")
    assert [f.name for f in fig.frames] == ["10", "30", "100", "300", "1000"]
    np.testing.assert_allclose(np.asarray(fig.data[0].y), conv.frames[-1][2], atol=1e-6)
    np.testing.assert_allclose(np.asarray(fig.data[1].y), conv.f, atol=1e-6)
    fig = F.moments_figure(conv.ns, conv.means, conv.variances, 3.0, 3.0)
    assert fig.layout.xaxis.type == "log"


def test_curve_figures_use_one_line_per_model_dashed_when_generative():
    counts = np.array([0, 10])
    acc = {m: np.array([0.9, 0.8]) for m in C.MODELS}
    fig = F.outlier_figure(counts, acc, acc)
    assert len(fig.data) == 2 * len(C.MODELS)
    assert {t.line.dash for t in fig.data if t.name == "LDA"} == {"dash"}
    fig = F.learning_curve_figure(np.array([4, 8]), acc, acc)
    assert fig.layout.xaxis.type == "log" and len(fig.data) == len(C.MODELS)
