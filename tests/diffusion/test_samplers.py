"""Reverse samplers against exact denoisers: a one-image dataset and a Gaussian dataset (closed-form eps)."""

import numpy as np
import pytest
import torch

from models.diffusion.samplers import (ddim_sample, ddim_timesteps, ddpm_sample, last, sample_steps,
                                       sdedit_steps, t_for_sigma)
from models.diffusion.schedules import make_schedule


def exact_eps_one_image(x0, sched):
    """For the dataset {x0}, E[eps | x_t] = (x_t - sqrt(alpha_bar_t) x0) / sqrt(1 - alpha_bar_t)."""
    def eps_fn(x_t, t):
        ab = torch.as_tensor(sched.alpha_bar, dtype=x_t.dtype)[t - 1].reshape(-1, 1, 1, 1)
        return (x_t - ab.sqrt() * x0) / (1 - ab).sqrt()
    return eps_fn


def exact_eps_gaussian(mu, s, sched):
    """For x0 ~ N(mu, s^2 I): x_t ~ N(sqrt(ab) mu, ab s^2 + 1 - ab), and
    E[eps | x_t] = sqrt(1 - ab) (x_t - sqrt(ab) mu) / (ab s^2 + 1 - ab) (Tweedie's formula)."""
    def eps_fn(x_t, t):
        ab = torch.as_tensor(sched.alpha_bar, dtype=x_t.dtype)[t - 1].reshape(-1, 1, 1, 1)
        return (1 - ab).sqrt() * (x_t - ab.sqrt() * mu) / (ab * s ** 2 + 1 - ab)
    return eps_fn


@pytest.fixture(scope="module")
def x0():
    from models.data import load_images

    return (load_images("digits", "test").x[:1] * 2 - 1).double()  # (1, 1, 8, 8)


@pytest.mark.parametrize("kind", ["linear", "cosine"])
@pytest.mark.parametrize("variance", ["beta", "beta_tilde"])
def test_ddpm_with_exact_denoiser_returns_the_image(x0, kind, variance):
    sched = make_schedule(kind, 1000)
    x_T = torch.randn(4, 1, 8, 8, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    out = last(ddpm_sample(exact_eps_one_image(x0, sched), sched, x_T, variance,
                           generator=torch.Generator().manual_seed(1)))
    assert out.t == 0 and out.nfe == 1000
    torch.testing.assert_close(out.x_t, x0.expand(4, -1, -1, -1), atol=1e-6, rtol=0)


@pytest.mark.parametrize("steps", [10, 20, 50, 100, 1000])
def test_ddim_with_exact_denoiser_returns_the_image(x0, steps):
    sched = make_schedule("linear", 1000)
    x_T = torch.randn(4, 1, 8, 8, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    out = last(ddim_sample(exact_eps_one_image(x0, sched), sched, x_T, steps))
    assert out.nfe == steps
    torch.testing.assert_close(out.x_t, x0.expand(4, -1, -1, -1), atol=1e-6, rtol=0)


@pytest.mark.parametrize("method, steps, tol", [("ddpm", 1000, 0.06), ("ddim", 100, 0.06)])
def test_samplers_reach_the_gaussian_data_distribution(method, steps, tol):
    """With the exact eps of N(mu, s^2), samples have mean mu and std s (up to sampling error)."""
    sched = make_schedule("linear", 1000)
    mu, s = 0.3, 0.5
    x_T = torch.randn(1000, 1, 2, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    eps_fn = exact_eps_gaussian(mu, s, sched)
    # no clipping of x0_hat to [-1, 1]: this data distribution has tails beyond the image range
    run = (ddpm_sample(eps_fn, sched, x_T, "beta_tilde", generator=torch.Generator().manual_seed(1), clip_x0=False)
           if method == "ddpm" else ddim_sample(eps_fn, sched, x_T, steps, clip_x0=False))
    out = last(run)
    x = out.x_t.numpy()
    assert x.mean() == pytest.approx(mu, abs=0.02)
    assert x.std() == pytest.approx(s, rel=tol)


def test_ddim_timesteps():
    assert ddim_timesteps(1000, 10) == [1000, 889, 778, 667, 556, 445, 334, 223, 112, 1]
    assert ddim_timesteps(1000, 1000) == list(range(1000, 0, -1))
    assert ddim_timesteps(1000, 50, t_start=20) == list(range(20, 0, -1))
    with pytest.raises(ValueError, match="at least 1"):
        ddim_timesteps(1000, 0)


@pytest.mark.parametrize("method", ["ddim", "ddpm"])
def test_sdedit_with_exact_denoiser_returns_the_image(x0, method):
    sched = make_schedule("linear", 1000)
    steps = list(sdedit_steps(exact_eps_one_image(x0, sched), sched, x0, 300, method, 50,
                              generator=torch.Generator().manual_seed(2)))
    assert steps[0].nfe == 0 and steps[0].t == 300
    assert steps[-1].nfe == (15 if method == "ddim" else 300)
    torch.testing.assert_close(steps[-1].x_t, x0, atol=1e-6, rtol=0)
    with pytest.raises(ValueError, match="between 1 and T"):
        next(sdedit_steps(exact_eps_one_image(x0, sched), sched, x0, 0))


def test_t_for_sigma_inverts_the_noise_level():
    sched = make_schedule("linear", 1000)
    for t in (10, 100, 500):
        sigma = np.sqrt((1 - sched.alpha_bar[t - 1]) / sched.alpha_bar[t - 1])
        assert t_for_sigma(sigma, sched) == t


def test_unknown_sampler_options_explain(x0):
    sched = make_schedule("linear", 10)
    with pytest.raises(ValueError, match="ddpm' or 'ddim"):
        sample_steps(exact_eps_one_image(x0, sched), sched, x0, "euler")
    with pytest.raises(ValueError, match="beta_tilde"):
        next(ddpm_sample(exact_eps_one_image(x0, sched), sched, x0, "fixed"))
