"""v_theta(x, t): a small MLP velocity field for 2-D flows."""

from __future__ import annotations

import math

import torch
from torch import nn


class VelocityMLP(nn.Module):
    """v_theta(x, t) -> (B, d): an MLP on [x, sinusoidal features of t].

    Args:
        dim: data dimension (2 here).
        width, depth: hidden layer width and count (SiLU activations).
        t_features: number of sin/cos pairs encoding t (frequencies 1, 2, 4, ... times pi).
    """

    def __init__(self, dim: int = 2, width: int = 128, depth: int = 3, t_features: int = 4):
        super().__init__()
        self.t_features = t_features
        layers, inp = [], dim + 2 * t_features
        for _ in range(depth):
            layers += [nn.Linear(inp, width), nn.SiLU()]
            inp = width
        layers.append(nn.Linear(inp, dim))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """x (B, d), t (B,) in [0, 1] -> velocity (B, d)."""
        freqs = (2.0 ** torch.arange(self.t_features, dtype=x.dtype, device=x.device)) * math.pi
        tt = t.to(x.dtype)[:, None] * freqs[None, :]
        return self.net(torch.cat([x, torch.sin(tt), torch.cos(tt)], dim=1))
