"""The distribution catalogue: parametrisation against textbook closed forms, convergence of samples."""

import math

import numpy as np
import pytest
from models.gendisc import distributions as D

# Textbook closed forms, written independently of scipy's parametrisation (loc/scale/s), for the defaults
# and one other setting of each family.
CASES = [
    ("bernoulli", {"p": 0.3}, 0.3, 0.3 * 0.7),
    ("binomial", {"n": 20, "p": 0.3}, 6.0, 20 * 0.3 * 0.7),
    ("binomial", {"n": 7, "p": 0.9}, 6.3, 7 * 0.9 * 0.1),
    ("poisson", {"lam": 4.0}, 4.0, 4.0),
    ("poisson", {"lam": 0.5}, 0.5, 0.5),
    ("geometric", {"p": 0.2}, 1 / 0.2, 0.8 / 0.2**2),
    ("uniform", {"a": 0.0, "b": 1.0}, 0.5, 1 / 12),
    ("uniform", {"a": -3.0, "b": 5.0}, 1.0, 64 / 12),
    ("gaussian", {"mu": 0.0, "sigma": 1.0}, 0.0, 1.0),
    ("gaussian", {"mu": -2.5, "sigma": 3.0}, -2.5, 9.0),
    ("exponential", {"lam": 1.0}, 1.0, 1.0),
    ("exponential", {"lam": 4.0}, 0.25, 1 / 16),
    ("lognormal", {"mu": 0.0, "sigma": 0.5}, math.exp(0.125), (math.exp(0.25) - 1) * math.exp(0.25)),
    ("lognormal", {"mu": 1.0, "sigma": 0.3}, math.exp(1.045), (math.exp(0.09) - 1) * math.exp(2.09)),
    ("beta", {"alpha": 2.0, "beta": 5.0}, 2 / 7, 10 / (49 * 8)),
]


@pytest.mark.parametrize("name,params,mean,var", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_theory_matches_closed_form(name, params, mean, var):
    m = D.moments(name, params)
    assert m.mean == pytest.approx(mean, rel=1e-9, abs=1e-12)
    assert m.var == pytest.approx(var, rel=1e-9)


@pytest.mark.parametrize("name,params,mean,var", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_sample_moments_converge_within_statistical_tolerance(name, params, mean, var):
    """With n draws the sample mean is within 5 standard errors sqrt(var / n) of E[X], and the sample
    variance within 5 of its own standard error sqrt((mu4 - sigma^4 (n-3)/(n-1)) / n)."""
    n = 200_000
    x = D.sample(name, params, n, np.random.default_rng(123))
    kurt = float(D.frozen(name, params).stats(moments="k"))  # excess kurtosis
    mu4 = (kurt + 3) * var**2
    se_mean = math.sqrt(var / n)
    se_var = math.sqrt((mu4 - var**2 * (n - 3) / (n - 1)) / n)
    assert abs(x.mean() - mean) < 5 * se_mean
    assert abs(x.var(ddof=1) - var) < 5 * se_var
    # The error shrinks with n: 100x fewer draws are, on average, about 10x further off.
    errors_small = [abs(D.sample(name, params, 2000, np.random.default_rng(s)).mean() - mean) for s in range(20)]
    assert abs(x.mean() - mean) < np.mean(errors_small)


def test_running_moments_match_numpy():
    x = np.random.default_rng(0).normal(1e4, 0.1, size=5000)  # a large offset: catastrophic cancellation test
    ns = D.checkpoints(len(x), 30)
    means, variances = D.running_moments(x, ns)
    assert ns[0] == 1 and ns[-1] == len(x)
    np.testing.assert_allclose(means, [x[:n].mean() for n in ns], rtol=1e-12)
    np.testing.assert_allclose(variances[1:], [x[:n].var(ddof=1) for n in ns[1:]], rtol=1e-6)
    assert np.isnan(variances[0])


def test_same_seed_same_draws_and_integers_for_discrete():
    a = D.sample("poisson", {"lam": 3.0}, 100, np.random.default_rng(7))
    b = D.sample("poisson", {"lam": 3.0}, 100, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    assert np.all(a == np.round(a))


@pytest.mark.parametrize("name", D.DISTRIBUTIONS)
def test_density_grid_holds_almost_all_the_mass(name):
    params = D.defaults(name)
    x, f = D.density_grid(name, params)
    if D.spec(name).discrete:
        assert f.sum() == pytest.approx(1.0, abs=2e-3)
        assert np.all(x == np.round(x))
    else:
        assert np.trapezoid(f, x) == pytest.approx(1.0, abs=5e-3)


@pytest.mark.parametrize("name", ["binomial", "gaussian"])
def test_histogram_estimates_the_pmf_pdf(name):
    params = D.defaults(name)
    x, f = D.density_grid(name, params)
    draws = D.sample(name, params, 400_000, np.random.default_rng(1))
    centres, heights, width = D.histogram(draws, x, D.spec(name).discrete)
    if D.spec(name).discrete:
        np.testing.assert_array_equal(centres, x)
        np.testing.assert_allclose(heights, f, atol=3e-3)
    else:
        truth = D.frozen(name, params).pdf(centres)
        np.testing.assert_allclose(heights, truth, atol=0.01)
        assert heights.sum() * width == pytest.approx(1.0, abs=2e-3)


def test_binomial_pmf_is_the_counting_formula():
    x, f = D.density_grid("binomial", {"n": 10, "p": 0.4})
    expected = [math.comb(10, int(k)) * 0.4**k * 0.6 ** (10 - k) for k in x]
    np.testing.assert_allclose(f, expected, rtol=1e-10)


def test_convergence_frames_end_at_n():
    conv = D.convergence("exponential", {"lam": 2.0}, 3000, seed=0)
    assert [fr[0] for fr in conv.frames] == [10, 30, 100, 300, 1000, 3000]
    assert conv.ns[-1] == 3000 and conv.theory.mean == pytest.approx(0.5)


def test_bad_parameters_raise_clear_messages():
    with pytest.raises(ValueError, match="a < b"):
        D.frozen("uniform", {"a": 2.0, "b": 1.0})
    with pytest.raises(ValueError, match=r"outside \[0.01, 0.99\]"):
        D.frozen("bernoulli", {"p": 1.5})
    with pytest.raises(ValueError, match="whole number"):
        D.frozen("binomial", {"n": 2.5, "p": 0.5})
    with pytest.raises(ValueError, match="choose one of"):
        D.spec("cauchy")
    with pytest.raises(ValueError, match="between 1 and"):
        D.sample("gaussian", D.defaults("gaussian"), 0, np.random.default_rng(0))
