"""The page's "denoise an image" demo: SDEdit from t* with the PSNR of each stage."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from .forward import to_model_range
from .samplers import EpsFn, SampleStep, sdedit_steps
from .schedules import Schedule
from .timeline import Timeline, collect, psnr


@dataclass
class DenoiseResult:
    """Original, noisy and denoised images (H, W) in [0, 1] with PSNRs in dB against the original.

    Attributes:
        noisy: x_{t*} / sqrt(alpha_bar_{t*}) = x0 + sigma eps (the usual "noisy image"), shown clipped.
        sigma_pix: the noise standard deviation of ``noisy`` in [0, 1] pixel units,
            sqrt((1 - alpha_bar) / alpha_bar) / 2.
        timeline: the reverse run from t* (x_t and x0_hat frames).
    """

    original: np.ndarray
    noisy: np.ndarray
    denoised: np.ndarray
    psnr_noisy: float
    psnr_denoised: float
    t_star: int
    sigma_pix: float
    timeline: Timeline


def sdedit_demo(eps_fn: EpsFn, sched: Schedule, x0_pixels: torch.Tensor, t_star: int, method: str = "ddim",
                steps: int = 50, variance: str = "beta_tilde", seed: int = 0,
                on_step: Callable[[SampleStep], None] | None = None,
                device: torch.device | str = "cpu") -> DenoiseResult:
    """Noise one image to t* with q(x_{t*} | x0), denoise it from t* (Meng et al. 2022), measure PSNRs.

    Args:
        x0_pixels: (1, 1, H, W) in [0, 1].
        device: the network's device.
        t_star: 1..T.
    """
    gen = torch.Generator().manual_seed(int(seed))
    x0 = to_model_range(x0_pixels.float()).to(device)
    tl = collect(sdedit_steps(eps_fn, sched, x0, t_star, method, steps, variance, True, gen), keep=8,
                 on_step=on_step)
    ab = float(sched.alpha_bar[t_star - 1])
    original = x0_pixels[0, 0].cpu().numpy()
    # the same seed draws the same noise, so this is the x_{t*} the run started from
    noisy = np.clip((_first_x_t(eps_fn, sched, x0, t_star, seed) / math.sqrt(ab) + 1) / 2, 0, 1)
    denoised = tl.final[0]
    return DenoiseResult(original, noisy, denoised, psnr(noisy, original), psnr(denoised, original), t_star,
                         math.sqrt((1 - ab) / ab) / 2, tl)


def _first_x_t(eps_fn, sched, x0, t_star, seed) -> np.ndarray:
    """x_{t*} (H, W) as the run drew it (same seed, so the same noise), in model range."""
    gen = torch.Generator().manual_seed(int(seed))
    step = next(sdedit_steps(eps_fn, sched, x0, t_star, "ddim", 1, "beta_tilde", True, gen))
    return step.x_t[0, 0].cpu().numpy()
