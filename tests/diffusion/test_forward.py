"""The forward process: closed form and Markov chain agree in distribution; the posterior is Bayes' rule."""

import numpy as np
import pytest
import torch
from scipy import stats

from models.diffusion.forward import predict_x0, q_iterate, q_posterior, q_sample
from models.diffusion.schedules import make_schedule
from models.diffusion.timeline import forward_demo, pooled_theory


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Element-wise work on small tensors: one thread avoids OpenMP waits on a busy 2-core machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def x0():
    from models.data import load_images

    return load_images("digits", "test").x[3:4] * 2 - 1  # (1, 1, 8, 8) in [-1, 1]


@pytest.mark.parametrize("kind, t", [("linear", 1), ("linear", 50), ("linear", 1000), ("cosine", 50),
                                     ("cosine", 1000)])
def test_closed_form_and_iterated_agree_in_distribution(x0, kind, t):
    sched = make_schedule(kind, 1000)
    n = 3000
    xb = x0.expand(n, -1, -1, -1).double()
    gen = torch.Generator().manual_seed(t)
    closed, _ = q_sample(xb, torch.full((n,), t), sched, generator=gen)
    for _, iterated in q_iterate(xb, sched, t, gen):
        pass
    ab = sched.alpha_bar[t - 1]
    mean_th, var_th = np.sqrt(ab) * x0[0].double().numpy(), 1 - ab
    for x in (closed, iterated):
        x = x.numpy()
        # per-pixel mean within 5 standard errors, per-pixel variance within 5 standard errors of s^2
        assert np.all(np.abs(x.mean(0) - mean_th) < 5 * np.sqrt(var_th / n))
        assert np.all(np.abs(x.var(0, ddof=1) - var_th) < 5 * var_th * np.sqrt(2 / (n - 1)))
    # the two samplers' standardised values come from the same distribution
    z_c = ((closed.numpy() - mean_th) / np.sqrt(var_th)).ravel()[::7]
    z_i = ((iterated.numpy() - mean_th) / np.sqrt(var_th)).ravel()[::7]
    assert stats.ks_2samp(z_c, z_i).pvalue > 1e-3


def test_posterior_is_bayes_rule_of_two_gaussians(x0):
    sched = make_schedule("linear", 1000)
    t = torch.tensor([1, 5, 300, 1000])
    x_t = torch.randn(4, 1, 8, 8, generator=torch.Generator().manual_seed(0)).double()
    x0b = x0.expand(4, -1, -1, -1).double()
    mu, var = q_posterior(x0b, x_t, t, sched)
    for i, tv in enumerate(t.tolist()):
        ab_prev = sched.alpha_bar[tv - 2] if tv > 1 else 1.0
        a, b = sched.alpha[tv - 1], sched.beta[tv - 1]
        if tv == 1:  # q(x_0 | x_1, x_0) is a point mass at x_0
            torch.testing.assert_close(mu[i], x0b[i])
            assert float(var[i]) == 0
            continue
        # prior N(sqrt(ab_prev) x0, 1 - ab_prev) times likelihood N(x_t; sqrt(a) x_{t-1}, b)
        prec = 1 / (1 - ab_prev) + a / b
        mean = (np.sqrt(ab_prev) * x0b[i].numpy() / (1 - ab_prev) + np.sqrt(a) * x_t[i].numpy() / b) / prec
        np.testing.assert_allclose(mu[i].numpy(), mean, rtol=1e-9, atol=1e-12)
        assert float(var[i]) == pytest.approx(1 / prec, rel=1e-9)


def test_predict_x0_inverts_q_sample(x0):
    sched = make_schedule("cosine", 1000)
    t = torch.tensor([1, 500, 990])
    xb = x0.expand(3, -1, -1, -1).double()
    x_t, eps = q_sample(xb, t, sched, generator=torch.Generator().manual_seed(1))
    torch.testing.assert_close(predict_x0(x_t, t, eps, sched), xb)


def test_forward_demo_statistics_match_theory(x0):
    sched = make_schedule("linear", 1000)
    demo = forward_demo((x0 + 1) / 2, sched, 1000, seed=0, draws=256)
    for row in demo.stats:  # at t = T, x_t is N(0, 1) up to sqrt(alpha_bar_T) ~ 6e-3
        assert row["mean"] == pytest.approx(0, abs=0.05) and row["variance"] == pytest.approx(1, abs=0.05)
    mid = forward_demo((x0 + 1) / 2, sched, 100, seed=0, draws=256)
    for row in mid.stats:
        assert row["mean"] == pytest.approx(row["theory mean"], abs=0.05)
        assert row["variance"] == pytest.approx(row["theory variance"], rel=0.06)
    assert pooled_theory(x0, 1.0)[1] == pytest.approx(float(x0.double().var(unbiased=False)))
    np.testing.assert_array_equal(forward_demo((x0 + 1) / 2, sched, 0).closed[0], x0[0, 0].numpy())
