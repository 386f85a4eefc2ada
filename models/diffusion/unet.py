"""A small U-Net eps_theta(x_t, t) with a sinusoidal time embedding (Ho et al. 2020, appendix B, scaled down).

Two downsamplings, so it works on 8x8 digits (8 -> 4 -> 2) and 28x28 MNIST (28 -> 14 -> 7). Each level has
one residual block (GroupNorm, SiLU, 3x3 conv, plus the time embedding); the bottleneck has self-attention.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal embedding of integer steps (Vaswani et al. 2017, sec. 3.5; used by Ho et al. 2020).

    emb[:, i] = cos(t * w_i), emb[:, dim/2 + i] = sin(t * w_i), w_i = max_period^(-i / (dim/2)).

    Args:
        t: (B,) steps (int or float), 0..T-1.
        dim: even embedding size.
    Returns:
        (B, dim) float32.
    """
    half = dim // 2
    w = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    arg = t.float()[:, None] * w[None]  # (B, half)
    return torch.cat([torch.cos(arg), torch.sin(arg)], dim=1)


def _norm(ch: int) -> nn.GroupNorm:
    return nn.GroupNorm(min(8, ch), ch)


class ResBlock(nn.Module):
    """h = conv(SiLU(GN(x))) + Linear(temb); out = x' + conv(SiLU(GN(h)))."""

    def __init__(self, c_in: int, c_out: int, t_dim: int):
        super().__init__()
        self.norm1, self.conv1 = _norm(c_in), nn.Conv2d(c_in, c_out, 3, padding=1)
        self.temb = nn.Linear(t_dim, c_out)
        self.norm2, self.conv2 = _norm(c_out), nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))  # (B, c_out, H, W)
        h = h + self.temb(temb)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return self.skip(x) + h


class Attention(nn.Module):
    """Single-head self-attention over the H*W positions, with a residual connection."""

    def __init__(self, ch: int):
        super().__init__()
        self.norm, self.qkv, self.proj = _norm(ch), nn.Conv2d(ch, 3 * ch, 1), nn.Conv2d(ch, ch, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, C, H, W = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(B, 3, C, H * W).unbind(1)  # each (B, C, HW)
        h = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return x + self.proj(h.transpose(1, 2).reshape(B, C, H, W))


class UNet(nn.Module):
    """eps_theta(x_t, t): predicts the noise eps in x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps.

    Args:
        in_ch: image channels (1 for digits and MNIST).
        base: channels at full resolution; level i has base * mults[i].
        mults: channel multipliers, one per resolution (len(mults) - 1 downsamplings).
        patch: fold patch x patch pixel blocks into channels first (pixel unshuffle; 1 = off).
    Input: x_t (B, in_ch, H, W) with H, W divisible by patch * 2^(len(mults) - 1); t (B,) steps 0..T-1.
    Output: (B, in_ch, H, W) eps_hat.
    """

    def __init__(self, in_ch: int = 1, base: int = 32, mults: tuple[int, ...] = (1, 2, 2), patch: int = 1):
        super().__init__()
        self.base, self.patch, t_dim = base, patch, base * 4
        in_ch = in_ch * patch * patch
        self.t_mlp = nn.Sequential(nn.Linear(base, t_dim), nn.SiLU(), nn.Linear(t_dim, t_dim))
        chans = [base * m for m in mults]
        self.conv_in = nn.Conv2d(in_ch, base, 3, padding=1)
        self.down, self.pool = nn.ModuleList(), nn.ModuleList()
        c = base
        for i, ch in enumerate(chans):
            self.down.append(ResBlock(c, ch, t_dim))
            self.pool.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1) if i < len(chans) - 1 else nn.Identity())
            c = ch
        self.mid1, self.attn, self.mid2 = ResBlock(c, c, t_dim), Attention(c), ResBlock(c, c, t_dim)
        self.up, self.unpool = nn.ModuleList(), nn.ModuleList()
        for i, ch in reversed(list(enumerate(chans))):
            self.up.append(ResBlock(c + ch, ch, t_dim))
            self.unpool.append(nn.Conv2d(ch, chans[i - 1], 3, padding=1) if i > 0 else nn.Identity())
            c = chans[i - 1] if i > 0 else ch
        self.norm_out, self.conv_out = _norm(c), nn.Conv2d(c, in_ch, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, x_t: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return self._body(x_t, self.t_mlp(timestep_embedding(t, self.base)))  # temb (B, 4 base)

    def _body(self, x_t: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        """The network after the time embedding (a conditional subclass adds its label's vector to temb)."""
        # patch > 1: fold p x p pixel blocks into channels (pixel unshuffle) so the U-Net runs at 1/p resolution
        h = self.conv_in(F.pixel_unshuffle(x_t, self.patch) if self.patch > 1 else x_t)
        skips = []
        for block, pool in zip(self.down, self.pool):
            h = block(h, temb)
            skips.append(h)
            h = pool(h)
        h = self.mid2(self.attn(self.mid1(h, temb)), temb)
        for block, unpool in zip(self.up, self.unpool):
            skip = skips.pop()
            h = block(torch.cat([h, skip], dim=1), temb)
            if not isinstance(unpool, nn.Identity):
                h = unpool(F.interpolate(h, size=skips[-1].shape[-2:], mode="nearest"))
        out = self.conv_out(F.silu(self.norm_out(h)))
        return F.pixel_shuffle(out, self.patch) if self.patch > 1 else out
