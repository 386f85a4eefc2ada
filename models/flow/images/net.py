"""v_theta(x_t, t, y): GenLab's diffusion U-Net with a class embedding added to its time embedding.

The time t in [0, 1] enters the sinusoidal embedding as 1000 t (the U-Net's embedding was designed for
integer steps 0..999). The label y in 0..9 or ``NULL`` (10, no label) picks a learned vector of the time
embedding's size, added to it, so every residual block sees (t, y): the conditioning of Ho & Salimans
(2022) and of minRF/torchcfm's MNIST examples.
"""

from __future__ import annotations

import torch
from torch import nn

from ...diffusion.unet import UNet, timestep_embedding
from .config import NUM_CLASSES


class CondUNet(UNet):
    """The U-Net of :mod:`models.diffusion.unet` plus ``label_emb`` (NUM_CLASSES + 1 vectors)."""

    def __init__(self, base: int, mults: tuple[int, ...], patch: int):
        super().__init__(1, base, mults, patch)
        self.label_emb = nn.Embedding(NUM_CLASSES + 1, 4 * base)

    def forward(self, x_t: torch.Tensor, t: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """x_t (B, 1, 28, 28), t (B,) in [0, 1], y (B,) labels (``NULL`` = none) -> v (B, 1, 28, 28)."""
        temb = self.t_mlp(timestep_embedding(1000.0 * t, self.base)) + self.label_emb(y)
        return self._body(x_t, temb)
