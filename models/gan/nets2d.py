"""Small multilayer perceptrons for 2D toy GANs: G maps z to a point, D maps a point to one logit."""

from __future__ import annotations

import math

import torch
from torch import nn

from .config import ToyConfig

_ACT = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh}


def mlp(d_in: int, d_out: int, hidden_layers: int, width: int, activation: str) -> nn.Sequential:
    """Linear layers of ``width`` units with ``activation`` between them; the last layer is linear."""
    dims = [d_in] + [width] * hidden_layers + [d_out]
    layers: list[nn.Module] = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(_ACT[activation]())
    return nn.Sequential(*layers)


def init_(module: nn.Module, generator: torch.Generator) -> nn.Module:
    """Re-draw every Linear layer's weights from PyTorch's default U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    Uses an explicit generator so a training thread is reproducible whatever other threads draw.
    """
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.Linear):
                bound = 1.0 / math.sqrt(m.in_features)
                m.weight.uniform_(-bound, bound, generator=generator)
                m.bias.uniform_(-bound, bound, generator=generator)
    return module


def build_toy_nets(config: ToyConfig, generator: torch.Generator) -> tuple[nn.Module, nn.Module]:
    """(G: (B, z_dim) -> (B, 2), D: (B, 2) -> (B, 1) logit or critic value), seeded by ``generator``."""
    g_net = mlp(config.z_dim, 2, config.hidden_layers, config.width, config.activation)
    d_net = mlp(2, 1, config.hidden_layers, config.width, config.activation)
    return init_(g_net, generator), init_(d_net, generator)


def sample_z(n: int, z_dim: int, dist: str, generator: torch.Generator | None = None,
             device: torch.device | str = "cpu") -> torch.Tensor:
    """Noise z: (n, z_dim) from N(0, I) (``gaussian``) or U(-1, 1) (``uniform``)."""
    # drawn where the generator lives (a CPU generator cannot draw on CUDA), then moved to ``device``
    where = generator.device if generator is not None else None
    if dist == "uniform":
        return (torch.rand(n, z_dim, generator=generator, device=where) * 2 - 1).to(device)
    return torch.randn(n, z_dim, generator=generator, device=where).to(device)
