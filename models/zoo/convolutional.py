"""Convolutional autoencoder (HOML ch. 17, "Convolutional Autoencoders"; Masci et al. 2011).

Two stride-2 convolutions halve the image twice (8x8 -> 2x2, 28x28 -> 7x7), a linear layer maps the
feature maps to the k (linear) codes; the decoder mirrors it with transposed convolutions. Weight sharing
across positions gives far fewer parameters than a dense layer on the pixels.
"""

from __future__ import annotations

import torch
from torch import nn


class ConvAE(nn.Module):
    """Conv(1->c1, s2) -> Conv(c1->c2, s2) -> Linear -> z; mirrored decoder.

    Args:
        shape: (C, H, W) with H and W divisible by 4.
        code: coding layer size k.
        channels: (c1, c2) feature maps of the two convolutions.
    """

    def __init__(self, shape: tuple[int, int, int], code: int, channels: tuple[int, int] = (8, 16)):
        super().__init__()
        c, h, w = self.shape = tuple(shape)
        if h % 4 or w % 4:
            raise ValueError(f"The convolutional autoencoder needs sides divisible by 4, got {h}x{w}.")
        c1, c2 = channels
        self.grid = (c2, h // 4, w // 4)
        flat = c2 * (h // 4) * (w // 4)
        self.encoder = nn.Sequential(
            nn.Conv2d(c, c1, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(c1, c2, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(flat, code))
        self.decoder = nn.Sequential(
            nn.Linear(code, flat), nn.ReLU(), nn.Unflatten(1, self.grid),
            nn.ConvTranspose2d(c2, c1, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(c1, c, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())

    def encode(self, x0: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) -> z (B, k)."""
        return self.encoder(x0)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """(B, k) -> x_hat (B, C, H, W) in (0, 1)."""
        return self.decoder(z)

    def forward(self, x0: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.encode(x0)
        return self.decode(z), z
