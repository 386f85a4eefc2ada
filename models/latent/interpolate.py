"""Paths between two codes: linear (lerp) and spherical (slerp) interpolation.

Under a Gaussian prior in d dimensions almost all the mass lies near the sphere of radius sqrt(d); the
straight line between two codes cuts through the low-norm middle, which the decoder rarely saw. Slerp
walks along the great circle instead (Shoemake 1985; White 2016, "Sampling Generative Networks", sec. 2).
"""

from __future__ import annotations

import torch

METHODS = ("lerp", "slerp")


def lerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """(1 - t) z0 + t z1.

    Args:
        z0, z1: (d,) codes.
        t: (n,) fractions in [0, 1].
    Returns:
        (n, d) codes.
    """
    t = t[:, None]  # (n, 1)
    return (1 - t) * z0[None] + t * z1[None]


def slerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """sin((1 - t) omega) / sin(omega) z0 + sin(t omega) / sin(omega) z1, omega the angle between z0 and z1.

    The norm is interpolated along the arc as in White 2016 (which applies the formula to the raw codes):
    for equal norms the path stays on the sphere. Falls back to :func:`lerp` when z0 and z1 are parallel
    (omega ~ 0) or one of them is zero, where the formula is 0/0.

    Args:
        z0, z1: (d,) codes.
        t: (n,) fractions in [0, 1].
    Returns:
        (n, d) codes.
    """
    n0, n1 = z0.norm(), z1.norm()
    if n0 < eps or n1 < eps:
        return lerp(z0, z1, t)
    cos = torch.clamp((z0 @ z1) / (n0 * n1), -1.0, 1.0)
    omega = torch.arccos(cos)
    if omega.abs() < 1e-4:
        return lerp(z0, z1, t)
    so = torch.sin(omega)
    t = t[:, None]  # (n, 1)
    return (torch.sin((1 - t) * omega) / so) * z0[None] + (torch.sin(t * omega) / so) * z1[None]


def path(z0: torch.Tensor, z1: torch.Tensor, n: int, method: str = "lerp") -> torch.Tensor:
    """``n`` evenly spaced codes from z0 to z1 (both included): (n, d)."""
    if method not in METHODS:
        raise ValueError(f"method must be 'lerp' or 'slerp', got {method!r}.")
    if n < 2:
        raise ValueError(f"An interpolation needs at least 2 steps, got {n}.")
    t = torch.linspace(0, 1, n, dtype=z0.dtype)
    return (lerp if method == "lerp" else slerp)(z0, z1, t)
