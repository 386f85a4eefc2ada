"""The plain autoencoder: a deterministic code z = f(x0) and a decoder trained to give x0 back.

Nothing shapes where the codes go, so the code space has holes: a z drawn from N(0, I) (or any other
simple distribution) often decodes to something that is not a digit. The VAE and the AAE fix that.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .config import LatentConfig
from .networks import Decoder, Encoder


def reconstruction_loss(logits: torch.Tensor, x0: torch.Tensor) -> torch.Tensor:
    """Bernoulli negative log-likelihood -log p(x0 | z), summed over pixels: (B,) in nats.

    Args:
        logits: (B, C, H, W) decoder outputs before the sigmoid.
        x0: (B, C, H, W) images in [0, 1] (grey levels are used as Bernoulli means, as in
            Kingma & Welling 2014, appendix C.1).

    Formula: -sum_i [x0_i log s(l_i) + (1 - x0_i) log(1 - s(l_i))], s the logistic sigmoid.
    """
    bce = F.binary_cross_entropy_with_logits(logits, x0, reduction="none")  # (B, C, H, W)
    return bce.flatten(1).sum(1)  # (B,)


class Autoencoder(nn.Module):
    """x0 -> z = encoder(x0) -> x0_hat = sigmoid(decoder(z)); trained on the reconstruction loss only."""

    kind = "ae"

    def __init__(self, config: LatentConfig):
        super().__init__()
        self.latent_dim = config.latent_dim
        self.encoder = Encoder(config.image_shape, config.widths, config.latent_dim)
        self.decoder = Decoder(config.image_shape, config.widths, config.latent_dim)

    def encode(self, x0: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) in [0, 1] -> codes z (B, d)."""
        return self.encoder(x0)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """(B, d) -> images (B, C, H, W) in [0, 1]."""
        return torch.sigmoid(self.decoder(z))

    def loss(self, x0: torch.Tensor, generator: torch.Generator | None = None) -> tuple[torch.Tensor, dict]:
        """Mean reconstruction loss over the batch (nats per image) and its logged parts."""
        recon = reconstruction_loss(self.decoder(self.encoder(x0)), x0).mean()
        return recon, {"recon": recon.item()}
