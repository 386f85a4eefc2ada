"""Perceptual path length (models/fid/ppl.py): the closed form of a linear generator, the interpolations, and
the shipped generators."""

import math

import numpy as np
import pytest
import torch

from models.fid.ppl import lerp, path_lengths, ppl, slerp
from models.fid.ppl_generators import PPL_KEYS, classifier_embedding, latent_generator


def _linear(seed=0, d=4, shape=(1, 4, 5)):
    A = torch.randn((math.prod(shape), d), generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    return A, (lambda z: (z @ A.T).view(-1, *shape))


def test_linear_generator_with_lerp_meets_the_closed_form():
    """G(z) = A z, lerp, squared pixel distance: every value is ||A (z2 - z1)||^2, mean 2 tr(A^T A)."""
    A, G = _linear()
    M = A.T @ A
    n = 4000
    r = ppl(G, 4, n, space="lerp", filtered=False, seed=1)
    expected = 2 * float(torch.trace(M))
    stderr = math.sqrt(8 * float(torch.trace(M @ M)) / n)  # Var(w^T M w) = 2 tr((M 2I)^2) for w ~ N(0, 2I)
    assert abs(r.ppl - expected) < 4 * stderr, (r.ppl, expected, stderr)
    assert r.kept == n and r.n == n


def test_each_linear_value_is_exactly_the_squared_step():
    A, G = _linear(seed=3)
    g = torch.Generator().manual_seed(0)
    z1, z2 = torch.randn((50, 4), generator=g, dtype=torch.float64), torch.randn((50, 4), generator=g, dtype=torch.float64)
    t = torch.rand(50, generator=g, dtype=torch.float64)
    v = path_lengths(G, z1, z2, t, space="lerp")
    exact = ((z2 - z1) @ A.T).pow(2).sum(1)
    assert torch.allclose(v, exact, rtol=1e-6)


def test_slerp_ends_norms_and_midpoint():
    g = torch.Generator().manual_seed(0)
    z1, z2 = torch.randn((10, 6), generator=g, dtype=torch.float64), torch.randn((10, 6), generator=g, dtype=torch.float64)
    assert torch.allclose(slerp(z1, z2, torch.zeros(10, dtype=torch.float64)), z1)
    assert torch.allclose(slerp(z1, z2, torch.ones(10, dtype=torch.float64)), z2)
    t = torch.full((10,), 0.3, dtype=torch.float64)
    assert torch.allclose(slerp(z1, z2, t).norm(dim=1), 0.7 * z1.norm(dim=1) + 0.3 * z2.norm(dim=1))
    e1, e2 = torch.tensor([[1.0, 0.0]], dtype=torch.float64), torch.tensor([[0.0, 1.0]], dtype=torch.float64)
    half = torch.tensor([0.5], dtype=torch.float64)
    assert torch.allclose(slerp(e1, e2, half), torch.tensor([[1.0, 1.0]], dtype=torch.float64) / math.sqrt(2))
    assert torch.allclose(lerp(e1, e2, half), torch.tensor([[0.5, 0.5]], dtype=torch.float64))


def test_end_sampling_starts_every_path_at_its_code_and_the_filter_drops_two_percent():
    calls = []
    A, G = _linear()

    def spy(z):
        calls.append(z.clone())
        return G(z)

    r = ppl(spy, 4, 500, sampling="end", space="lerp", seed=2, batch=500)
    g = torch.Generator().manual_seed(2)
    z1 = torch.randn((500, 4), generator=g, dtype=torch.float64)
    assert torch.allclose(calls[0], z1)  # t = 0: the first image of each pair is G(z1)
    assert 480 <= r.kept <= 492  # the 1% and 99% tails are dropped
    assert r.ppl == pytest.approx(float(np.mean(np.sort(r.values)[5:-5])), rel=0.02)


@pytest.mark.parametrize("kwargs, message", [({"n": 1}, "at least 2"), ({"eps": 0.5}, "eps"),
                                             ({"space": "linear"}, "interpolation"), ({"sampling": "mid"}, "sampling")])
def test_bad_options_get_messages(kwargs, message):
    _, G = _linear()
    with pytest.raises(ValueError, match=message):
        ppl(G, 4, **{"n": 10, **kwargs})


@pytest.mark.parametrize("key", PPL_KEYS)
def test_shipped_generators_have_finite_non_negative_path_lengths(key):
    gen = latent_generator(key, "mnist")
    for embed in (None, classifier_embedding("mnist")):
        r = ppl(gen.decode, gen.z_dim, 200, prior=gen.prior, embed=embed, seed=0)
        assert np.isfinite(r.values).all() and (r.values >= 0).all() and r.ppl > 0, (key, r.ppl)


def test_report_draws_one_path_and_its_local_lengths():
    from models.fid.ppl_generators import ppl_report

    r = ppl_report("vae", "mnist", n=50, steps=5)
    assert r.strip.shape == (5, 28, 28) and 0 <= r.strip.min() and r.strip.max() <= 1
    assert r.strip_lengths.shape == (5,) and (r.strip_lengths >= 0).all() and r.ppl > 0
    with pytest.raises(ValueError, match="distance"):
        ppl_report("vae", distance="lpips")
