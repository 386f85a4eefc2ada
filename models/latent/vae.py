"""The variational autoencoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes").

The encoder outputs a Gaussian q(z | x0) = N(mu, diag(sigma^2)) instead of a point; training maximises
the evidence lower bound (ELBO) on log p(x0):

    ELBO = E_q[log p(x0 | z)] - KL(q(z | x0) || p(z)),   p(z) = N(0, I)          (eq. 3 and 10)

The beta-VAE (Higgins et al. 2017) minimises recon + beta * KL; beta = 1 is the ELBO itself.
"""

from __future__ import annotations

import torch
from torch import nn

from .ae import reconstruction_loss
from .config import LatentConfig
from .networks import Decoder, Encoder


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """z = mu + sigma * eps with sigma = exp(logvar / 2): a sample of q(z | x0) differentiable in mu, sigma.

    Args:
        mu, logvar: (B, d) encoder outputs.
        eps: (B, d) standard-normal noise.
    Returns:
        z: (B, d).

    Kingma & Welling 2014, section 2.4 (the reparameterisation trick), eq. 10.
    """
    return mu + torch.exp(0.5 * logvar) * eps


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, sigma^2) || N(0, I)) in closed form, summed over the d dimensions: (B,) in nats.

    Formula: -1/2 * sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)   (Kingma & Welling 2014, appendix B).
    """
    return -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)


class VAE(nn.Module):
    """Gaussian encoder q(z | x0), Bernoulli decoder p(x0 | z), standard-normal prior p(z)."""

    kind = "vae"

    def __init__(self, config: LatentConfig):
        super().__init__()
        self.latent_dim = config.latent_dim
        self.beta = float(config.beta)
        self.encoder = Encoder(config.image_shape, config.widths, 2 * config.latent_dim)
        self.decoder = Decoder(config.image_shape, config.widths, config.latent_dim)

    def posterior(self, x0: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(B, C, H, W) -> (mu, logvar), each (B, d): the parameters of q(z | x0)."""
        mu, logvar = self.encoder(x0).chunk(2, dim=1)
        return mu, logvar.clamp(-12.0, 8.0)  # keeps exp(logvar) finite early in training

    def encode(self, x0: torch.Tensor) -> torch.Tensor:
        """The posterior mean mu (B, d): the VAE's deterministic code for an image."""
        return self.posterior(x0)[0]

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """(B, d) -> images (B, C, H, W) in [0, 1]."""
        return torch.sigmoid(self.decoder(z))

    def terms(self, x0: torch.Tensor, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """One-sample ELBO terms per image: mu, logvar, eps, z (B, d); recon, kl (B,) in nats."""
        mu, logvar = self.posterior(x0)
        eps = torch.randn(mu.shape, generator=generator, device="cpu").to(mu.device)
        z = reparameterize(mu, logvar, eps)
        recon = reconstruction_loss(self.decoder(z), x0)
        return {"mu": mu, "logvar": logvar, "eps": eps, "z": z, "recon": recon, "kl": kl_divergence(mu, logvar)}

    def loss(self, x0: torch.Tensor, generator: torch.Generator | None = None) -> tuple[torch.Tensor, dict]:
        """Mean of recon + beta * KL over the batch (the negative ELBO when beta = 1)."""
        t = self.terms(x0, generator)
        recon, kl = t["recon"].mean(), t["kl"].mean()
        return recon + self.beta * kl, {"recon": recon.item(), "kl": kl.item()}


@torch.no_grad()
def elbo(model: VAE, x0: torch.Tensor, generator: torch.Generator | None = None,
         batch_size: int = 1000) -> dict[str, float]:
    """Mean one-sample ELBO on a dataset (nats per image, higher is better) with its two terms.

    Args:
        x0: (N, C, H, W) in [0, 1], on the model's device.
    Returns:
        {"elbo": -(recon + kl), "recon": E[-log p(x0 | z)], "kl": KL(q || p)}, means over the N images.
    """
    recon = kl = 0.0
    for i in range(0, len(x0), batch_size):
        t = model.terms(x0[i:i + batch_size], generator)
        recon += float(t["recon"].sum())
        kl += float(t["kl"].sum())
    n = len(x0)
    return {"elbo": -(recon + kl) / n, "recon": recon / n, "kl": kl / n}
