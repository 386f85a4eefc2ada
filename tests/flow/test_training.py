"""Flow matching in 2-D (models/flow): the learned field against the closed form, OT pairing, reflow,
per-run randomness."""

import numpy as np
import pytest
import torch

from models.flow.config import FlowConfig
from models.flow.distributions import SHIFTED_COV, SHIFTED_MU, sample
from models.flow.pairing import pair, transport_cost, w2_distance
from models.flow.paths import gaussian_velocity, interpolate
from models.flow.reflow import reflow
from models.flow.sampling import euler, quality, straightness
from models.flow.training import fit, train_steps

GAUSS = FlowConfig(source="gaussian", target="shifted", pairing="independent", steps=1500, seed=0)


@pytest.fixture(scope="module")
def gauss_flow():
    return fit(GAUSS)


def test_learned_field_matches_the_closed_form(gauss_flow):
    """Mean squared error between v_theta and the exact marginal field, on the law of x_t, t in (0.05, 0.95)."""
    rng = np.random.default_rng(5)
    errs, norms = [], []
    for t in np.linspace(0.05, 0.95, 10):
        x0, x1 = sample("gaussian", 2000, rng), sample("shifted", 2000, rng)
        xt = (1 - t) * x0 + t * x1
        exact = gaussian_velocity(xt, t, np.zeros(2), np.eye(2), SHIFTED_MU, SHIFTED_COV)
        with torch.no_grad():
            learned = gauss_flow.model(torch.from_numpy(xt.astype(np.float32)), torch.full((2000,), float(t))).numpy()
        errs.append(((learned - exact) ** 2).sum(1).mean())
        norms.append((exact ** 2).sum(1).mean())
    mse, scale = float(np.mean(errs)), float(np.mean(norms))
    assert mse < 0.02 * scale, (mse, scale)  # bound: 2% of E|v|^2 (about 6 here)


def test_samples_reach_the_target_gaussian(gauss_flow):
    z = torch.from_numpy(sample("gaussian", 4000, np.random.default_rng(9)))
    x = euler(gauss_flow.model, z, 50)[-1].numpy().astype(np.float64)
    assert np.allclose(x.mean(0), SHIFTED_MU, atol=0.06)
    assert np.allclose(np.cov(x, rowvar=False), SHIFTED_COV, atol=0.06)


def test_minibatch_ot_pairing_lowers_the_transport_cost():
    rng = np.random.default_rng(0)
    for target in ("ring8", "moons"):
        x0 = torch.from_numpy(sample("gaussian", 256, rng))
        x1 = torch.from_numpy(sample(target, 256, rng))
        a0, a1 = pair(x0, x1, "ot")
        assert transport_cost(a0, a1) < 0.7 * transport_cost(x0, x1)
        assert sorted(map(tuple, a1.tolist())) == sorted(map(tuple, x1.tolist()))  # a permutation


def test_reflow_raises_straightness_and_one_step_quality():
    first = fit(FlowConfig(source="gaussian", target="moons", pairing="independent", steps=1500, seed=0))
    second = reflow(first)
    z = torch.from_numpy(sample("gaussian", 1000, np.random.default_rng(3)))
    s1, s2 = straightness(first.model, z), straightness(second.model, z)
    assert s2 < 0.5 * s1, (s1, s2)  # lower S = straighter
    target = sample("moons", 1000, np.random.default_rng(4))
    assert quality(second.model, z.numpy(), target, 1) < quality(first.model, z.numpy(), target, 1)


def test_same_config_same_losses_whatever_the_global_generator_does():
    cfg = FlowConfig(target="ring8", steps=30, seed=4)
    a = [s.loss for s in train_steps(cfg)]
    torch.manual_seed(123)
    torch.rand(100)  # someone else draws from the global generator meanwhile
    it = train_steps(cfg)
    b = []
    for s in it:
        torch.rand(3)
        b.append(s.loss)
    assert a == b


def test_w2_of_a_set_with_itself_is_zero_and_of_a_shift_is_its_length():
    p = np.random.default_rng(0).normal(size=(100, 2))
    assert w2_distance(p, p[::-1]) == pytest.approx(0.0, abs=1e-12)
    assert w2_distance(p, p + [3.0, 4.0]) == pytest.approx(5.0)


def test_bad_config_gets_a_message():
    with pytest.raises(ValueError, match="pairing"):
        FlowConfig(pairing="greedy")
    with pytest.raises(ValueError, match="at least 2 points"):
        sample("custom", 10, np.random.default_rng(0), ((0.0, 0.0),))
