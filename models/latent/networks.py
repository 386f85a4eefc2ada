"""Encoder, decoder and code discriminator: small MLPs shared by the AE, the VAE and the AAE.

The same classes serve 8x8 digits (64 pixels) and 28x28 MNIST (784 pixels): the image is flattened,
so only the input width changes. The decoder returns *logits*; ``sigmoid`` gives pixel means in [0, 1].
"""

from __future__ import annotations

import math

import torch
from torch import nn


def mlp(widths: list[int]) -> nn.Sequential:
    """Linear layers of the given widths with LeakyReLU(0.2) between them (none after the last)."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


class Encoder(nn.Module):
    """x (B, C, H, W) in [0, 1] -> (B, out_dim): a code z, or [mu, logvar] for the VAE (out_dim = 2d)."""

    def __init__(self, image_shape: tuple[int, int, int], hidden: tuple[int, ...], out_dim: int):
        super().__init__()
        self.net = mlp([math.prod(image_shape), *hidden, out_dim])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.flatten(1))  # (B, out_dim)


class Decoder(nn.Module):
    """z (B, d) -> logits (B, C, H, W); ``torch.sigmoid`` of them are the pixel means in [0, 1]."""

    def __init__(self, image_shape: tuple[int, int, int], hidden: tuple[int, ...], latent_dim: int):
        super().__init__()
        self.image_shape = tuple(image_shape)
        self.net = mlp([latent_dim, *reversed(hidden), math.prod(image_shape)])

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(-1, *self.image_shape)  # (B, C, H, W) logits


class CodeDiscriminator(nn.Module):
    """D(z) (B, d) -> (B,) logit that z was drawn from the prior p(z) rather than produced by the encoder.

    Each code is shown together with its minibatch's per-dimension mean and standard deviation
    (minibatch features: Salimans et al. 2016, sec. 3.2; the minibatch-stddev layer of Karras et al. 2018,
    sec. 3), so D sees at once when the codes' moments differ from the prior's; a D looking at single
    codes let 16-D codes drift by 2 standard deviations unnoticed in our runs.
    """

    def __init__(self, latent_dim: int, hidden: int):
        super().__init__()
        self.net = mlp([3 * latent_dim, hidden, hidden, 1])

    def forward(self, z: torch.Tensor, stats: torch.Tensor | None = None) -> torch.Tensor:
        """Logits (B,) for codes z (B, d); ``stats`` (2d,) = [mean, std] replaces the batch's own moments
        (the page asks what D says about single codes in a batch whose moments are the prior's, [0, 1])."""
        if stats is None:
            stats = torch.cat([z.mean(0), z.std(0)])
        stats = stats.to(z).expand(len(z), -1)  # (B, 2d), the same for every row
        return self.net(torch.cat([z, stats], 1)).squeeze(-1)  # (B,)
