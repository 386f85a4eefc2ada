"""Sparse, contractive and denoising parts checked against closed forms and reference code."""

import numpy as np
import pytest
import torch
from scipy.stats import entropy

from models.zoo import denoising, sparse
from models.zoo.contractive import jacobian_frobenius_sq, jacobian_frobenius_sq_autograd
from models.zoo.stacked import StackedAE
from models.zoo.tied import TiedAE


def test_kl_matches_scipy_bernoulli_divergence():
    rho_hat = torch.tensor([0.01, 0.05, 0.1, 0.3, 0.9], dtype=torch.float64)
    ours = sparse.kl_divergence(0.1, rho_hat).numpy()
    ref = [entropy([0.1, 0.9], [r, 1 - r]) for r in rho_hat.numpy()]
    np.testing.assert_allclose(ours, ref, rtol=1e-10)
    assert float(sparse.kl_divergence(0.1, torch.tensor([0.1]))) == pytest.approx(0.0, abs=1e-7)


def test_kl_penalty_uses_batch_means():
    z = torch.tensor([[0.0, 1.0], [0.2, 1.0]])  # rho_hat = (0.1, 1.0 -> clamped)
    expected = 2.0 * (sparse.kl_divergence(0.1, torch.tensor([0.1, 1.0])).sum())
    torch.testing.assert_close(sparse.kl_penalty(z, 0.1, 2.0), expected)
    torch.testing.assert_close(sparse.l1_penalty(torch.tensor([[-1.0, 2.0], [0.5, 0.5]]), 0.1), torch.tensor(0.2))


@pytest.mark.parametrize("cls,act", [(StackedAE, "linear"), (StackedAE, "sigmoid"), (StackedAE, "relu"), (TiedAE, "linear")])
def test_contractive_closed_form_matches_autograd_jacobian(cls, act):
    torch.manual_seed(0)
    model = cls((1, 8, 8), 20, 5, code_act=act).double()
    x0 = torch.rand(4, 1, 8, 8, dtype=torch.float64)
    closed = jacobian_frobenius_sq(model, x0)
    # Reference: the full Jacobian of one image from torch.autograd.functional.jacobian.
    full = [torch.autograd.functional.jacobian(lambda x: model.encode(x[None])[0], x0[i]).pow(2).sum()
            for i in range(4)]
    torch.testing.assert_close(closed, torch.stack(full))
    torch.testing.assert_close(jacobian_frobenius_sq_autograd(model.encode, x0), closed)


def test_single_sigmoid_layer_matches_rifai_closed_form():
    """Rifai et al. (2011) eq. 7: ||J||^2 = sum_j (z_j(1-z_j))^2 sum_i W_ji^2, for z = sigmoid(W x + b)."""
    torch.manual_seed(1)
    layer = torch.nn.Linear(10, 3).double()
    x = torch.rand(6, 10, dtype=torch.float64)
    z = torch.sigmoid(layer(x))
    rifai = ((z * (1 - z)) ** 2 * layer.weight.pow(2).sum(1)).sum(1)
    torch.testing.assert_close(jacobian_frobenius_sq_autograd(lambda v: torch.sigmoid(layer(v)), x), rifai)


def test_masking_noise_drops_a_fraction_p_of_pixels():
    x0 = torch.ones(200, 1, 28, 28)
    x_tilde = denoising.masking_noise(x0, 0.3, torch.Generator().manual_seed(0))
    dropped = float((x_tilde == 0).float().mean())
    n = x0.numel()
    assert abs(dropped - 0.3) < 5 * (0.3 * 0.7 / n) ** 0.5  # five binomial standard errors
    assert set(torch.unique(x_tilde).tolist()) == {0.0, 1.0}  # masking, no rescaling


def test_gaussian_noise_has_the_asked_standard_deviation_and_stays_in_range():
    x0 = torch.full((100, 1, 28, 28), 0.5)
    x_tilde = denoising.gaussian_noise(x0, 0.1, torch.Generator().manual_seed(0))
    assert float((x_tilde - x0).std()) == pytest.approx(0.1, rel=0.02)  # clipping at 0/1 is 5 sigma away
    big = denoising.gaussian_noise(x0, 2.0, torch.Generator().manual_seed(0))
    assert float(big.min()) == 0.0 and float(big.max()) == 1.0


def test_only_denoising_variants_corrupt_their_input():
    x0 = torch.rand(4, 1, 8, 8)
    assert denoising.corrupt(x0, "stacked", sigma=0.5, p=0.5) is x0
    assert not torch.equal(denoising.corrupt(x0, "denoise_gauss", sigma=0.5, p=0.5), x0)
