"""Perceptual path length (PPL): how smoothly a generator's output changes as its latent code moves.

Karras et al. 2019 (StyleGAN, sec. 3 and appendix; eq. 2 for paths in Z):

    PPL = E_{z1, z2 ~ prior, t ~ U(0, 1)} [ d( G(slerp(z1, z2; t)), G(slerp(z1, z2; t + eps)) ) / eps^2 ]

with eps = 1e-4. A small PPL means that equal steps in the code give small, even changes in the image; a
large one means that somewhere on the way the image jumps (a code region that decodes to non-images, or a
sharp switch between modes). The "end" variant sets t = 0 (paths that start at the sampled codes only);
StyleGAN drops the values outside the 1st and 99th percentiles before averaging ("filtered"), as here.

Where GenLab differs from the original, and says so on the page:
    - d is the squared Euclidean distance between images (``pixels``) or between the MNIST classifier's
      penultimate features (``mnist``), not LPIPS (VGG features calibrated on human judgements, a download
      this app cannot rely on offline). So the numbers compare GenLab's generators with each other, not with
      published PPLs.
    - the generators run in float64 here: at eps = 1e-4 the difference of two float32 images is mostly
      rounding.

Interpolation: ``lerp`` z = (1 - t) z1 + t z2; ``slerp`` the great-circle interpolation of Shoemake (1985),
which keeps |z| near that of a Gaussian code (what Karras et al. use in Z). For a linear generator
G(z) = A z with lerp and the squared pixel distance, every sample equals ||A (z2 - z1)||^2 and the
expectation is 2 tr(A^T A) for z1, z2 ~ N(0, I) (z2 - z1 ~ N(0, 2I)): the closed form the tests check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

EPS = 1e-4
SPACES = ("lerp", "slerp")
SAMPLINGS = ("full", "end")
DISTANCES = ("pixels", "mnist")

Decode = Callable[[torch.Tensor], torch.Tensor]  # (n, d) float64 codes -> (n, C, H, W) images


@dataclass(frozen=True)
class PPLResult:
    """PPL and the per-pair values it averages.

    Attributes:
        ppl: mean of the (filtered) values.
        values: (n,) every pair's d / eps^2, before filtering.
        kept: how many values the 1%-99% filter kept (n when unfiltered).
        space, sampling, distance, eps: the options used.
    """

    ppl: float
    values: np.ndarray
    kept: int
    space: str
    sampling: str
    distance: str
    eps: float

    @property
    def n(self) -> int:
        return int(self.values.shape[0])


def lerp(z1: torch.Tensor, z2: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """(1 - t) z1 + t z2, row by row; z1, z2 (n, d), t (n,)."""
    return z1 + t[:, None] * (z2 - z1)


def slerp(z1: torch.Tensor, z2: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation of the directions, with the norm interpolated linearly (Shoemake 1985;
    StyleGAN's ``slerp`` normalises the codes, which would ignore their length).

    omega = arccos(<u1, u2>), u_i = z_i / |z_i|;
    direction(t) = sin((1-t) omega)/sin(omega) u1 + sin(t omega)/sin(omega) u2.
    """
    n1, n2 = z1.norm(dim=1, keepdim=True), z2.norm(dim=1, keepdim=True)
    u1, u2 = z1 / n1, z2 / n2
    cos = (u1 * u2).sum(dim=1, keepdim=True).clamp(-1 + 1e-12, 1 - 1e-12)
    omega = torch.arccos(cos)
    tt = t[:, None]
    direction = (torch.sin((1 - tt) * omega) * u1 + torch.sin(tt * omega) * u2) / torch.sin(omega)
    return direction * ((1 - tt) * n1 + tt * n2)


def squared_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Sum of squared differences per row: (n, ...) x (n, ...) -> (n,)."""
    return (a - b).flatten(1).pow(2).sum(dim=1)


def path_lengths(decode: Decode, z1: torch.Tensor, z2: torch.Tensor, t: torch.Tensor, *, eps: float = EPS,
                 space: str = "slerp", embed: Callable[[torch.Tensor], torch.Tensor] | None = None) -> torch.Tensor:
    """d(G(z(t)), G(z(t + eps))) / eps^2 for each row; (n,) float64.

    Args:
        decode: the generator, codes (n, d) float64 -> images.
        z1, z2: (n, d) path end points; t: (n,) positions in [0, 1].
        embed: maps images to the space d is measured in (None: the pixels themselves).
    """
    if space not in SPACES:
        raise ValueError(f"Unknown interpolation {space!r}; choose one of {', '.join(SPACES)}.")
    interp = lerp if space == "lerp" else slerp
    za, zb = interp(z1, z2, t), interp(z1, z2, t + eps)
    xa, xb = decode(za), decode(zb)
    if embed is not None:
        xa, xb = embed(xa), embed(xb)
    return squared_distance(xa.double(), xb.double()) / eps ** 2


def ppl(decode: Decode, z_dim: int, n: int = 1000, *, eps: float = EPS, space: str = "slerp",
        sampling: str = "full", embed: Callable[[torch.Tensor], torch.Tensor] | None = None,
        prior: Callable[[int, torch.Generator], torch.Tensor] | None = None, distance: str = "pixels",
        filtered: bool = True, batch: int = 250, seed: int = 0) -> PPLResult:
    """Perceptual path length of ``decode`` over ``n`` random paths (Karras et al. 2019, eq. 2).

    Args:
        decode: codes (n, z_dim) float64 -> images (n, C, H, W).
        n: number of paths (StyleGAN uses 100,000; a few thousand give about 2 significant digits here).
        space: ``slerp`` (StyleGAN in Z) or ``lerp``.
        sampling: ``full`` (t ~ U(0, 1)) or ``end`` (t = 0).
        embed: images -> features for d; None measures in pixels. ``distance`` only names it.
        prior: (n, generator) -> codes (n, z_dim) float64; default N(0, I).
        filtered: drop values outside the 1st and 99th percentiles before averaging (StyleGAN does).
        seed: fixes codes and positions.
    Returns:
        :class:`PPLResult`.
    """
    if sampling not in SAMPLINGS:
        raise ValueError(f"Unknown sampling {sampling!r}; choose one of {', '.join(SAMPLINGS)}.")
    if n < 2:
        raise ValueError(f"PPL averages over paths: n must be at least 2 (got {n}).")
    if not 0 < eps < 0.1:
        raise ValueError(f"eps must be a small positive step (Karras et al. use 1e-4); got {eps}.")
    gen = torch.Generator().manual_seed(int(seed))
    draw = prior or (lambda m, g: torch.randn((m, z_dim), generator=g, dtype=torch.float64))
    values = []
    with torch.no_grad():
        for i in range(0, n, batch):
            m = min(batch, n - i)
            z1, z2 = draw(m, gen).double(), draw(m, gen).double()
            t = torch.rand(m, generator=gen, dtype=torch.float64) * (1.0 if sampling == "full" else 0.0)
            values.append(path_lengths(decode, z1, z2, t, eps=eps, space=space, embed=embed))
    v = torch.cat(values).numpy()
    if not np.isfinite(v).all():
        raise ValueError("The generator produced NaN or infinite images on some path; PPL is undefined.")
    kept = v
    if filtered:
        lo, hi = np.percentile(v, [1, 99], method="lower"), np.percentile(v, [1, 99], method="higher")
        kept = v[(v >= lo[0]) & (v <= hi[1])]
    return PPLResult(float(kept.mean()), v, int(kept.shape[0]), space, sampling, distance, float(eps))


def interpolation_strip(decode: Decode, z1: torch.Tensor, z2: torch.Tensor, steps: int = 9,
                        space: str = "slerp") -> torch.Tensor:
    """The images along one path, for drawing next to the number: (steps, C, H, W)."""
    t = torch.linspace(0, 1, steps, dtype=torch.float64)
    z1, z2 = z1.double().expand(steps, -1), z2.double().expand(steps, -1)
    with torch.no_grad():
        return decode((lerp if space == "lerp" else slerp)(z1, z2, t)).float()
