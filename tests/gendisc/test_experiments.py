"""The outlier and few-data experiments: seeded, measured against a closed form where one exists."""

import numpy as np
import pytest
from scipy.stats import norm

from models.gendisc import classifiers as C, data2d, learning_curve as L, outliers as O
from models.gendisc.compare import outlier_view


@pytest.fixture(scope="module")
def blob_curve():
    cfg = O.OutlierConfig("blobs", n_train=300, seed=0, counts=(0, 10, 50, 100), models=("logreg", "lda", "gnb"))
    return cfg, O.outlier_curve(cfg)


def test_outliers_sit_where_the_docstring_says():
    train = data2d.make("blobs", 2000, seed=0)
    pts = O.outlier_points(train, 5000, 0, 6.0, np.random.default_rng(0))
    s = train.X.std()
    mu0, mu1 = train.X[train.y == 0].mean(0), train.X[train.y == 1].mean(0)
    u = (mu0 - mu1) / np.linalg.norm(mu0 - mu1)
    np.testing.assert_allclose(pts.mean(0), mu0 + 6.0 * s * u, atol=0.03)
    np.testing.assert_allclose(pts.std(0), 0.3 * s, rtol=0.05)


def test_outlier_curve_starts_clean_and_measures_the_claim(blob_curve):
    cfg, curve = blob_curve
    assert curve.counts.tolist() == [0, 10, 50, 100] and curve.outliers.shape == (100, 2)
    train, test, _ = O.setup(cfg)
    for m in cfg.models:
        assert curve.shift[m][0] == 0.0
        assert curve.accuracy[m][0] == C.accuracy(C.fit(m, train.X, train.y), test.X, test.y)
    # Far, correctly labelled points drag the single-Gaussian models' boundaries; logistic regression's stays.
    assert curve.shift["lda"][-1] > 0.03 and curve.shift["gnb"][-1] > 0.03
    assert curve.shift["logreg"][-1] < 0.01
    assert curve.accuracy["lda"][-1] < curve.accuracy["lda"][0]
    assert np.all(np.diff(curve.shift["lda"]) >= 0)


def test_across_outliers_sit_beyond_the_other_class_and_drag_logistic_regression_too():
    train = data2d.make("blobs", 2000, seed=0)
    pts = O.outlier_points(train, 5000, 0, 6.0, np.random.default_rng(0), side="across")
    s = train.X.std()
    mu0, mu1 = train.X[train.y == 0].mean(0), train.X[train.y == 1].mean(0)
    u = (mu0 - mu1) / np.linalg.norm(mu0 - mu1)
    np.testing.assert_allclose(pts.mean(0), mu1 - 6.0 * s * u, atol=0.03)
    with pytest.raises(ValueError, match="side"):
        O.outlier_points(train, 3, 0, 6.0, np.random.default_rng(0), side="inside")
    cfg = O.OutlierConfig("blobs", n_train=300, seed=0, counts=(0, 10, 50, 100), models=("logreg", "lda"),
                          side="across")
    curve = O.outlier_curve(cfg)
    # mislabelled points on the wrong side: the discriminative boundary moves as well (the claim is one-sided)
    assert curve.shift["logreg"][-1] > 0.03 and curve.shift["lda"][-1] > 0.03
    assert curve.accuracy["logreg"][-1] < curve.accuracy["logreg"][0]


def test_outlier_curve_is_seeded(blob_curve):
    cfg, curve = blob_curve
    again = O.outlier_curve(cfg)
    for m in cfg.models:
        np.testing.assert_array_equal(again.accuracy[m], curve.accuracy[m])


def test_outlier_view_adds_k_points_of_the_chosen_class():
    cfg = O.OutlierConfig("moons", n_train=100, outlier_class=1, counts=(0, 7), models=("lda",))
    res, extra = outlier_view(cfg, 7)
    assert extra.shape == (7, 2) and len(res.train) == 107 and res.train.y[-7:].tolist() == [1] * 7
    with pytest.raises(ValueError, match="between 0 and 7"):
        outlier_view(cfg, 8)
    with pytest.raises(ValueError, match="increasing"):
        O.setup(O.OutlierConfig(counts=(5, 0)))


def test_balanced_subsets_are_nested():
    pool = data2d.make("moons", 400, seed=2)
    small, big = L.balanced_subset(pool, 8), L.balanced_subset(pool, 32)
    assert np.bincount(small.y).tolist() == [4, 4] and np.bincount(big.y).tolist() == [16, 16]
    assert {tuple(p) for p in small.X} <= {tuple(p) for p in big.X}


def test_learning_curve_reaches_the_bayes_accuracy_for_lda():
    """On blobs the Bayes accuracy is Phi(Delta / 2); LDA's curve climbs to within 2 points of it."""
    cfg = L.CurveConfig("blobs", sizes=(4, 16, 256), repeats=3, seed=0, models=("lda", "gnb"))
    curve = L.learning_curve(cfg)
    d = data2d.BLOB_MEANS[1] - data2d.BLOB_MEANS[0]
    bayes = norm.cdf(np.sqrt(d @ np.linalg.solve(data2d.BLOB_COV, d)) / 2)
    assert data2d.bayes_accuracy("blobs") == pytest.approx(bayes)
    assert curve.mean["lda"][-1] == pytest.approx(bayes, abs=0.02)
    assert curve.mean["lda"][0] < curve.mean["lda"][-1]
    # naive Bayes ignores the blobs' correlation, so it levels off below LDA
    assert curve.mean["gnb"][-1] < curve.mean["lda"][-1]
    assert np.all(curve.std["lda"] >= 0) and curve.sizes.tolist() == [4, 16, 256]
    again = L.learning_curve(cfg)
    np.testing.assert_array_equal(again.mean["gnb"], curve.mean["gnb"])


def test_bayes_accuracy_is_an_upper_bound_seen_by_monte_carlo():
    """The Bayes rule (the true posterior) scores Phi(Delta / 2) on fresh blobs, at any spread."""
    from scipy.stats import multivariate_normal as mvn

    for spread in (0.5, 1.5):
        test = data2d.make("blobs", 40_000, seed=8, spread=spread)
        cov = data2d.BLOB_COV * spread**2
        pred = mvn.logpdf(test.X, data2d.BLOB_MEANS[1], cov) > mvn.logpdf(test.X, data2d.BLOB_MEANS[0], cov)
        assert np.mean(pred == test.y) == pytest.approx(data2d.bayes_accuracy("blobs", spread), abs=0.006)
    assert data2d.bayes_accuracy("moons") is None


def test_learning_curve_refuses_bad_sizes():
    with pytest.raises(ValueError, match="even numbers"):
        L.learning_curve(L.CurveConfig(sizes=(3, 8)))
    with pytest.raises(ValueError, match="repeats"):
        L.learning_curve(L.CurveConfig(repeats=0))
