"""The VAE's maths against torch.distributions (an independent implementation) and a Monte-Carlo ELBO."""

import math

import torch
from torch.distributions import Bernoulli, Normal, kl_divergence as torch_kl

from models.latent.ae import reconstruction_loss
from models.latent.config import LatentConfig
from models.latent.training import build
from models.latent.vae import elbo, kl_divergence, reparameterize


def test_kl_matches_torch_distributions():
    g = torch.Generator().manual_seed(0)
    mu, logvar = torch.randn(64, 5, generator=g) * 2, torch.randn(64, 5, generator=g)
    ref = torch_kl(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0)).sum(1)
    torch.testing.assert_close(kl_divergence(mu, logvar), ref, rtol=1e-5, atol=1e-5)
    assert torch.all(kl_divergence(torch.zeros(3, 4), torch.zeros(3, 4)) == 0)  # q = p


def test_reparameterize_samples_have_the_posterior_moments_and_gradients():
    mu = torch.tensor([[1.5, -2.0, 0.0]], requires_grad=True)
    logvar = torch.log(torch.tensor([[0.25, 4.0, 1.0]])).requires_grad_()
    eps = torch.randn(200_000, 3, generator=torch.Generator().manual_seed(1))
    z = reparameterize(mu, logvar, eps)  # (N, 3)
    torch.testing.assert_close(z.mean(0), mu[0].detach(), atol=0.02, rtol=0)
    torch.testing.assert_close(z.std(0), torch.tensor([0.5, 2.0, 1.0]), atol=0.02, rtol=0)
    z.sum().backward()  # dz/dmu = 1 per sample; dz/dlogvar = eps * sigma / 2
    torch.testing.assert_close(mu.grad, torch.full((1, 3), 200_000.0))
    torch.testing.assert_close(logvar.grad[0], (eps * torch.tensor([0.5, 2.0, 1.0]) / 2).sum(0), rtol=1e-4, atol=1e-2)


def test_reconstruction_loss_is_the_bernoulli_negative_log_likelihood():
    g = torch.Generator().manual_seed(2)
    logits = torch.randn(8, 1, 4, 4, generator=g) * 3
    x0 = (torch.rand(8, 1, 4, 4, generator=g) > 0.5).float()
    ref = -Bernoulli(logits=logits).log_prob(x0).flatten(1).sum(1)
    torch.testing.assert_close(reconstruction_loss(logits, x0), ref)
    # grey levels: the cross-entropy formula written out in float64
    x = torch.rand(8, 1, 4, 4, generator=g)
    p = torch.sigmoid(logits.double())
    manual = -(x * p.log() + (1 - x) * (1 - p).log()).flatten(1).sum(1)
    torch.testing.assert_close(reconstruction_loss(logits, x).double(), manual, rtol=1e-5, atol=1e-5)


def test_elbo_matches_a_monte_carlo_estimate_with_log_densities():
    """ELBO = E_q[log p(x|z) + log p(z) - log q(z|x)]: estimate it with many samples and torch densities."""
    model = build(LatentConfig(kind="vae", dataset="digits", latent_dim=3)).eval()
    x0 = torch.rand(4, 1, 8, 8, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        ours = elbo(model, x0.repeat(4000, 1, 1, 1), torch.Generator().manual_seed(4))["elbo"]
        mu, logvar = model.posterior(x0)
        q = Normal(mu, (0.5 * logvar).exp())
        z = q.sample((4000,))  # (S, 4, d)
        logits = model.decoder(z.reshape(-1, 3)).reshape(4000, 4, -1)
        log_px = Bernoulli(logits=logits, validate_args=False).log_prob(x0.flatten(1)[None]).sum(-1)
        mc = (log_px + Normal(0.0, 1.0).log_prob(z).sum(-1) - q.log_prob(z).sum(-1)).mean()
    assert math.isclose(ours, float(mc), abs_tol=0.15), (ours, float(mc))
