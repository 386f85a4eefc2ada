"""Corrupted copies of real images, at a level in [0, 1]: the FID should rise with the level.

Each corruption maps x0 (N, C, H, W) in [0, 1] to an image of the same shape in [0, 1]; level 0 returns
the images unchanged. Randomness comes from an explicit ``torch.Generator`` so results repeat.
"""

from __future__ import annotations

import math
from typing import Callable

import torch
import torch.nn.functional as F

CORRUPTIONS = ("noise", "blur", "salt_pepper", "occlusion")
LABELS = {"noise": "Gaussian noise", "blur": "Gaussian blur", "salt_pepper": "Salt and pepper",
          "occlusion": "Occlusion (grey square)"}
# What level 1 means, for the page.
SCALE = {"noise": "noise std 0.5", "blur": "blur std = 15% of the image side",
         "salt_pepper": "50% of pixels", "occlusion": "a square covering 60% of the side"}


def gaussian_noise(x0: torch.Tensor, level: float, gen: torch.Generator) -> torch.Tensor:
    """x = clip(x0 + sigma eps, 0, 1), eps ~ N(0, I), sigma = 0.5 level."""
    eps = torch.randn(x0.shape, generator=gen).to(x0)
    return (x0 + 0.5 * level * eps).clamp(0, 1)


def gaussian_blur(x0: torch.Tensor, level: float, gen: torch.Generator | None = None) -> torch.Tensor:
    """Separable Gaussian blur with std = 0.15 * level * image side (pixels), reflect padding."""
    s = 0.15 * level * x0.shape[-1]
    if s < 1e-3:
        return x0.clone()
    r = max(1, min(int(math.ceil(3 * s)), x0.shape[-1] - 1))
    t = torch.arange(-r, r + 1, dtype=torch.float64)
    k = torch.exp(-0.5 * (t / s) ** 2)
    k = (k / k.sum()).to(x0)
    c = x0.shape[1]
    x = F.pad(x0, (r, r, r, r), mode="reflect")
    x = F.conv2d(x, k.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
    x = F.conv2d(x, k.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)
    return x.clamp(0, 1)


def salt_pepper(x0: torch.Tensor, level: float, gen: torch.Generator) -> torch.Tensor:
    """A fraction 0.5 level of the pixels (all channels together) set to 0 or 1 with equal chance."""
    n, _, h, w = x0.shape
    u = torch.rand((n, 1, h, w), generator=gen).to(x0.device)
    salt = torch.rand((n, 1, h, w), generator=gen).to(x0.device) < 0.5
    hit = u < 0.5 * level
    return torch.where(hit, salt.to(x0.dtype).expand_as(x0), x0)


def occlusion(x0: torch.Tensor, level: float, gen: torch.Generator) -> torch.Tensor:
    """A mid-grey (0.5) square of side round(0.6 level * side) at a random place in each image.

    Grey, not black: on MNIST a black square on the black background would hide almost nothing.
    """
    n, _, h, w = x0.shape
    side = int(round(0.6 * level * min(h, w)))
    x = x0.clone()
    if side == 0:
        return x
    top = torch.randint(0, h - side + 1, (n,), generator=gen)
    left = torch.randint(0, w - side + 1, (n,), generator=gen)
    rows = torch.arange(h).view(1, h, 1)
    cols = torch.arange(w).view(1, 1, w)
    mask = ((rows >= top.view(n, 1, 1)) & (rows < (top + side).view(n, 1, 1))
            & (cols >= left.view(n, 1, 1)) & (cols < (left + side).view(n, 1, 1)))  # (N, H, W)
    x[mask.unsqueeze(1).expand_as(x).to(x.device)] = 0.5
    return x


_FUNCS: dict[str, Callable] = {"noise": gaussian_noise, "blur": gaussian_blur, "salt_pepper": salt_pepper,
                               "occlusion": occlusion}


def corrupt(x0: torch.Tensor, kind: str, level: float, seed: int = 0) -> torch.Tensor:
    """Corrupted copy of x0 (N, C, H, W) in [0, 1] with ``kind`` at ``level`` in [0, 1]."""
    if kind not in _FUNCS:
        raise ValueError(f"Unknown corruption {kind!r}; choose one of {', '.join(CORRUPTIONS)}.")
    if not 0.0 <= float(level) <= 1.0:
        raise ValueError(f"The corruption level must be in [0, 1]; got {level}.")
    if x0.dim() != 4:
        raise ValueError(f"expected images (N, C, H, W); got shape {tuple(x0.shape)}.")
    gen = torch.Generator().manual_seed(int(seed))
    return _FUNCS[kind](x0.float(), float(level), gen)
