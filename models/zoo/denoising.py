"""Denoising autoencoders: corrupt the input, reconstruct the clean image (Vincent et al. 2008, 2010).

The loss compares g(f(x~)) with the *clean* x0, so the code cannot just copy pixels; it must capture
structure that survives the noise. Two corruptions (HOML ch. 17, "Denoising Autoencoders"):

    Gaussian:          x~ = clip(x0 + sigma * eps, 0, 1),   eps ~ N(0, I)
    dropout / masking: x~ = x0 * m,                         m_i ~ Bernoulli(1 - p)  (no rescaling,
                                                            Vincent et al. 2010, "masking noise")
"""

from __future__ import annotations

import torch


def gaussian_noise(x0: torch.Tensor, sigma: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """x~ = clip(x0 + sigma * eps, 0, 1).

    Args:
        x0: (B, C, H, W) clean images in [0, 1].
        sigma: noise standard deviation (>= 0).
        generator: a CPU torch.Generator for reproducible noise.
    Returns:
        (B, C, H, W) corrupted images in [0, 1].
    """
    eps = torch.randn(x0.shape, generator=generator).to(x0.device)
    return (x0 + sigma * eps).clamp(0.0, 1.0)


def masking_noise(x0: torch.Tensor, p: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """x~ = x0 * m with m_i ~ Bernoulli(1 - p): each pixel is dropped (set to 0) with probability p.

    Args:
        x0: (B, C, H, W) clean images in [0, 1].
        p: drop probability in [0, 1).
    Returns:
        (B, C, H, W) corrupted images.
    """
    keep = torch.rand(x0.shape, generator=generator) >= p
    return x0 * keep.to(x0.device, x0.dtype)


def corrupt(x0: torch.Tensor, variant: str, *, sigma: float, p: float,
            generator: torch.Generator | None = None) -> torch.Tensor:
    """The training input of a variant: noisy for the denoising ones, x0 itself for every other."""
    if variant == "denoise_gauss":
        return gaussian_noise(x0, sigma, generator)
    if variant == "denoise_dropout":
        return masking_noise(x0, p, generator)
    return x0
