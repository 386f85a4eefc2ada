"""Schedules against the published formulas, recomputed independently in plain Python float64."""

import math

import numpy as np
import pytest

from models.diffusion.schedules import make_schedule


def _alpha_bar_linear_reference(T=1000):
    # Ho et al. 2020, sec. 4: beta_t linear from 1e-4 to 0.02; alpha_bar_t = prod (1 - beta_s)
    out, prod = [], 1.0
    for i in range(T):
        beta = 1e-4 + (0.02 - 1e-4) * i / (T - 1)
        prod *= 1.0 - beta
        out.append(prod)
    return np.array(out)


def _alpha_bar_cosine_reference(T=1000, s=0.008):
    # Nichol & Dhariwal 2021, eq. 17: alpha_bar_t = f(t) / f(0), f(t) = cos(((t/T + s) / (1 + s)) pi / 2)^2
    f = lambda t: math.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2  # noqa: E731
    return np.array([f(t) / f(0) for t in range(1, T + 1)])


def test_linear_alpha_bar_matches_ho_et_al():
    s = make_schedule("linear", 1000)
    assert s.alpha_bar.dtype == np.float64
    np.testing.assert_allclose(s.alpha_bar, _alpha_bar_linear_reference(), atol=1e-6, rtol=0)
    assert s.beta[0] == pytest.approx(1e-4) and s.beta[-1] == pytest.approx(0.02)


def test_cosine_alpha_bar_matches_nichol_dhariwal():
    s = make_schedule("cosine", 1000)
    np.testing.assert_allclose(s.alpha_bar, _alpha_bar_cosine_reference(), atol=1e-6, rtol=0)
    assert s.beta.max() <= 0.999 and s.beta[-1] == pytest.approx(0.999)  # the last beta is clipped


@pytest.mark.parametrize("kind", ["linear", "cosine"])
@pytest.mark.parametrize("T", [10, 100, 1000, 4000])
def test_derived_quantities(kind, T):
    s = make_schedule(kind, T)
    assert s.beta.shape == (T,) and np.all((s.beta > 0) & (s.beta < 1))
    assert np.all(np.diff(s.alpha_bar) < 0)  # strictly decreasing
    assert np.all(np.diff(s.log_snr) < 0)
    np.testing.assert_allclose(s.log_snr, np.log(s.alpha_bar / (1 - s.alpha_bar)), rtol=1e-10)
    # posterior variance, Ho et al. eq. 7, and its bounds 0 <= beta_tilde <= beta
    ref = np.array([(1 - (s.alpha_bar[i - 1] if i else 1.0)) / (1 - s.alpha_bar[i]) * s.beta[i] for i in range(T)])
    np.testing.assert_allclose(s.beta_tilde, ref, rtol=1e-12)
    assert s.beta_tilde[0] == 0 and np.all(s.beta_tilde <= s.beta + 1e-15)


def test_tensors_are_cast_once():
    import torch

    tens = make_schedule("linear", 1000).tensors()
    assert tens["alpha_bar"].dtype == torch.float32 and tens["beta"].shape == (1000,)


@pytest.mark.parametrize("kind, T, word", [("quadratic", 1000, "linear, cosine"), ("linear", 0, "between")])
def test_bad_arguments_explain(kind, T, word):
    with pytest.raises(ValueError, match=word):
        make_schedule(kind, T)
