"""The adversarial autoencoder (Makhzani et al. 2016, "Adversarial Autoencoders").

An autoencoder whose *aggregate* posterior q(z) = E_x[q(z | x0)] is pushed toward a prior p(z) = N(0, I)
by a GAN played in code space (section 2): a discriminator D tells prior samples z ~ p(z) from codes of
the data, and the encoder, acting as the generator, learns to fool it. Each minibatch runs two phases:

    reconstruction:  min_{q, p}  -log p(x0 | z),  z ~ q(z | x0)
    regularisation:  max_D  log D(z_prior) + log(1 - D(z))   then   min_q  -log D(z)

We use the paper's "Gaussian posterior" choice of q(z | x0) = N(mu(x0), sigma(x0)^2) with the
reparameterisation trick (section 2, second option): it has the VAE's encoder, but the VAE's per-image
KL term is replaced by the adversarial match of the aggregate posterior. The deterministic choice
(sigma = 0) matched N(0, I) poorly in 16 dimensions on our small training sets (per-dimension code
variances of 0.02 to 0.9 after 400 epochs on digits).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .config import LatentConfig
from .networks import CodeDiscriminator
from .vae import VAE


def discriminator_loss(d_prior: torch.Tensor, d_codes: torch.Tensor) -> torch.Tensor:
    """-[log D(z_prior) + log(1 - D(z))], mean over the batch (Goodfellow et al. 2014, eq. 1).

    Args:
        d_prior: (B,) logits of D on samples of p(z).
        d_codes: (B,) logits of D on encoder codes.
    """
    return (F.binary_cross_entropy_with_logits(d_prior, torch.ones_like(d_prior))
            + F.binary_cross_entropy_with_logits(d_codes, torch.zeros_like(d_codes)))


def generator_loss(d_codes: torch.Tensor) -> torch.Tensor:
    """-log D(z), mean over the batch: the non-saturating loss of the encoder-as-generator."""
    return F.binary_cross_entropy_with_logits(d_codes, torch.ones_like(d_codes))


class AdversarialAutoencoder(VAE):
    """The VAE's Gaussian encoder and decoder plus a code discriminator D (B, d) -> (B,) logits.

    Only the training differs from the VAE (see ``models.latent.training.aae_step``): no KL term, an
    adversarial regularisation phase instead. ``encode`` returns mu; ``terms`` samples z = mu + sigma * eps.
    """

    kind = "aae"

    def __init__(self, config: LatentConfig):
        super().__init__(config)
        self.discriminator = CodeDiscriminator(config.latent_dim, config.d_hidden)
