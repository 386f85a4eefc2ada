"""Tied weights: the decoder reuses the transposed encoder matrices (HOML ch. 17, "Tying Weights").

    encoder  z = W2 relu(W1 x + b1) + b2
    decoder  x_hat = sigmoid(W1^T relu(W2^T z + b3) + b4)

Only the biases b3, b4 are the decoder's own, so the model has close to half the weights of its untied
twin :class:`models.zoo.stacked.StackedAE` (same layer sizes), and it tends to overfit less.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .stacked import StackedAE


class TiedAE(StackedAE):
    """:class:`StackedAE` whose decoder weights are the encoder's, transposed.

    Args:
        shape: (C, H, W) of one image.
        hidden: hidden layer width h.
        code: coding layer size k.
    """

    def __init__(self, shape: tuple[int, int, int], hidden: int, code: int, code_act: str = "linear"):
        super().__init__(shape, hidden, code, code_act)
        d = self.shape[0] * self.shape[1] * self.shape[2]
        del self.dec1, self.dec2  # the decoder owns no matrices, only biases
        self.dec1_bias = nn.Parameter(torch.zeros(hidden))
        self.dec2_bias = nn.Parameter(torch.zeros(d))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """x_hat = sigmoid(W1^T relu(W2^T z + b3) + b4): (B, k) -> (B, C, H, W)."""
        h = F.relu(F.linear(z, self.enc2.weight.t(), self.dec1_bias))  # (B, h)
        return torch.sigmoid(F.linear(h, self.enc1.weight.t(), self.dec2_bias)).view(-1, *self.shape)
