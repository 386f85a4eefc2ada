"""Classifiers: Bayes' rule against scikit-learn, samples against the fitted parameters, LDA vs logistic regression."""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import norm

from models.gendisc import boundaries, classifiers as C, compare, data2d


@pytest.fixture(scope="module")
def blobs():
    return data2d.train_test("blobs", 400, seed=3)


@pytest.fixture(scope="module")
def moons():
    return data2d.train_test("moons", 300, seed=1)


@pytest.mark.parametrize("name", [g for g in C.GENERATIVE if g != "gmm"])
def test_bayes_rule_posterior_matches_sklearn(name, moons):
    """Our P(y | x) = p(x | y) P(y) / p(x) agrees with scikit-learn's own predict_proba for NB and LDA."""
    train, test = moons
    model = C.fit(name, train.X, train.y)
    np.testing.assert_allclose(model.posterior(test.X), model.predict_proba(test.X), atol=1e-9)
    lj = model.log_joint(test.X)
    np.testing.assert_allclose(model.log_density(test.X), logsumexp(lj, axis=1))


def test_mixture_posterior_is_bayes_rule_over_its_component_gaussians(moons):
    """ClassGMM has no scikit-learn classifier to compare with, so P(y | x) is rebuilt here from scratch:
    p(x | y) = sum_c pi_yc N(x; mu_yc, Sigma_yc) with scipy's multivariate normal, times P(y), normalised."""
    from scipy.stats import multivariate_normal

    train, test = moons
    model = C.fit("gmm", train.X, train.y)
    x = test.X[:50]
    dens = np.stack([sum(w * multivariate_normal(m, S).pdf(x) for w, m, S in zip(g.weights_, g.means_, g.covariances_))
                     for g in model.mixtures_], axis=1)  # (N, classes)
    joint = dens * model.priors_
    np.testing.assert_allclose(model.posterior(x), joint / joint.sum(1, keepdims=True), atol=1e-9)
    np.testing.assert_allclose(model.log_density(x), np.log(joint.sum(1)), rtol=1e-9)
    assert np.isclose(model.priors_.sum(), 1) and np.allclose(model.priors_, np.bincount(train.y) / len(train.y))


def test_naive_bayes_density_is_a_product_of_1d_gaussians(moons):
    train, test = moons
    nb = C.fit("gnb", train.X, train.y)
    x = test.X[:5]
    expected = [[norm.logpdf(x[i, 0], nb.theta_[k, 0], np.sqrt(nb.var_[k, 0]))
                 + norm.logpdf(x[i, 1], nb.theta_[k, 1], np.sqrt(nb.var_[k, 1])) for k in range(2)] for i in range(5)]
    np.testing.assert_allclose(nb.class_log_density(x), expected)


def test_naive_bayes_samples_come_from_its_fitted_parameters(moons):
    """Refit GaussianNB on 40,000 of its own samples: priors, means and variances come back."""
    nb = C.fit("gnb", moons[0].X, moons[0].y)
    Xs, ys = nb.sample(40_000, np.random.default_rng(0))
    re = C.fit("gnb", Xs, ys)
    np.testing.assert_allclose(re.class_prior_, nb.class_prior_, atol=0.01)
    np.testing.assert_allclose(re.theta_, nb.theta_, atol=0.02)
    np.testing.assert_allclose(re.var_, nb.var_, rtol=0.04)
    # Naive Bayes samples have (almost) no correlation within a class, whatever the data had.
    for c in (0, 1):
        assert abs(np.corrcoef(Xs[ys == c].T)[0, 1]) < 0.03


def test_lda_samples_come_from_its_fitted_parameters(blobs):
    lda = C.fit("lda", blobs[0].X, blobs[0].y)
    Xs, ys = lda.sample(40_000, np.random.default_rng(1))
    re = C.fit("lda", Xs, ys)
    np.testing.assert_allclose(re.priors_, lda.priors_, atol=0.01)
    np.testing.assert_allclose(re.means_, lda.means_, atol=0.03)
    np.testing.assert_allclose(re.covariance_, lda.covariance_, atol=0.03)


def test_gmm_samples_come_from_its_fitted_mixtures(moons):
    """Per class: the samples' mean and covariance equal the mixture's closed-form moments, and EM refitted on
    the samples, started at the fitted parameters, stays there (they are a fixed point only for their own data)."""
    from sklearn.mixture import GaussianMixture

    gmm = C.fit("gmm", moons[0].X, moons[0].y, seed=0, gmm_components=4)
    Xs, ys = gmm.sample(40_000, np.random.default_rng(2))
    np.testing.assert_allclose(np.bincount(ys) / len(ys), gmm.priors_, atol=0.01)
    for c, g in enumerate(gmm.mixtures_):
        w, mu, cov = g.weights_, g.means_, g.covariances_
        mean = w @ mu
        second = np.einsum("c,cij->ij", w, cov + np.einsum("ci,cj->cij", mu, mu))
        np.testing.assert_allclose(Xs[ys == c].mean(axis=0), mean, atol=0.02)
        np.testing.assert_allclose(np.cov(Xs[ys == c].T), second - np.outer(mean, mean), atol=0.03)
        re = GaussianMixture(len(w), weights_init=w, means_init=mu, precisions_init=g.precisions_,
                             reg_covar=g.reg_covar).fit(Xs[ys == c])
        np.testing.assert_allclose(re.weights_, w, atol=0.02)
        np.testing.assert_allclose(re.means_, mu, atol=0.05)
        np.testing.assert_allclose(re.covariances_, cov, atol=0.05)
    # Sampling from the wrong class's mixture would not pass: the two classes' moments differ a lot.
    assert np.abs(Xs[ys == 0].mean(axis=0) - Xs[ys == 1].mean(axis=0)).max() > 0.5


def test_sampling_is_seeded(moons):
    model = C.fit("lda", moons[0].X, moons[0].y)
    a, b = model.sample(50, np.random.default_rng(9)), model.sample(50, np.random.default_rng(9))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_lda_and_logistic_regression_boundaries_coincide_on_equal_covariance_blobs():
    """A known result (ESL sec. 4.4.5): with x | y ~ N(mu_y, Sigma), both estimate the Bayes line
    w = Sigma^-1 (mu_1 - mu_0); with 20,000 points they agree with it and with each other."""
    train = data2d.make("blobs", 20_000, seed=0)
    lr, lda = C.fit("logreg", train.X, train.y), C.fit("lda", train.X, train.y)
    w_lr, b_lr = boundaries.linear_boundary(lr)
    w_lda, b_lda = boundaries.linear_boundary(lda)
    w_true, b_true = boundaries.bayes_boundary(data2d.BLOB_MEANS[0], data2d.BLOB_MEANS[1], data2d.BLOB_COV,
                                               pi1=0.5)
    box = train.X[::50]
    angle, offset = boundaries.line_distance(w_lr, b_lr, w_lda, b_lda, box)
    assert angle < 2.0 and offset < 0.05
    for w, b in ((w_lr, b_lr), (w_lda, b_lda)):
        angle, offset = boundaries.line_distance(w, b, w_true, b_true, box)
        assert angle < 2.0 and offset < 0.08
    # and the two classifiers label almost every point the same way
    grid = boundaries.grid_around(train.X, 60)
    assert boundaries.boundary_shift(lr, lda, grid) < 0.01


def test_bayes_accuracy_on_blobs_matches_the_closed_form(blobs):
    """For equal-covariance Gaussians with equal priors the Bayes accuracy is Phi(Delta / 2), Delta the
    Mahalanobis distance between the means; LDA with 400 points gets within a few points of it."""
    d = data2d.BLOB_MEANS[1] - data2d.BLOB_MEANS[0]
    delta = np.sqrt(d @ np.linalg.solve(data2d.BLOB_COV, d))
    test = data2d.make("blobs", 20_000, seed=11)
    lda = C.fit("lda", blobs[0].X, blobs[0].y)
    assert C.accuracy(lda, test.X, test.y) == pytest.approx(norm.cdf(delta / 2), abs=0.02)


def test_only_mixtures_and_mlp_solve_the_ring():
    train, test = data2d.train_test("ring8", 600, seed=0)
    acc = {m: C.accuracy(C.fit(m, train.X, train.y), test.X, test.y) for m in ("logreg", "lda", "gmm")}
    assert acc["gmm"] > 0.95
    assert acc["logreg"] < 0.6 and acc["lda"] < 0.6  # alternate modes: no line separates them


def test_one_class_is_refused_with_a_clear_message():
    X = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match="only one class"):
        C.fit("lda", X, np.zeros(10, dtype=int))
    with pytest.raises(ValueError, match="choose one of"):
        C.make_model("svm")


def test_compare_gives_every_panel(moons):
    train, test = moons
    res = compare.compare(train, test, seed=0, resolution=40)
    assert set(res.posteriors) == set(C.MODELS)
    assert set(res.log_densities) == set(res.samples) == set(C.GENERATIVE)
    for P in res.posteriors.values():
        assert P.shape == (40, 40) and P.min() >= 0 and P.max() <= 1
    for Xs, ys in res.samples.values():
        assert Xs.shape == (len(train), 2) and set(np.unique(ys)) <= {0, 1}
    # the learned density integrates to about one over a box wide enough to hold it
    grid = boundaries.Grid(np.linspace(-5, 6, 200), np.linspace(-4, 4.5, 200))
    for m in C.GENERATIVE:
        model = C.fit(m, train.X, train.y)
        p = np.exp(boundaries.log_density_on(model, grid))
        assert np.trapezoid(np.trapezoid(p, grid.xs, axis=1), grid.ys) == pytest.approx(1.0, abs=0.02)
