"""Using an unconditional diffusion model for inpainting and super-resolution, without retraining it.

Both keep the reverse process of the unconditional eps_theta and, at every step, replace the part of x_t that
the observation determines with a noised copy of the observation, so the sample stays consistent with it.

**Inpainting, RePaint** (Lugmayr et al. 2022, eq. 8-9 and Algorithm 1). With a mask m (1 = known pixel) and
the known image x0:

    x_{t'}^known   = sqrt(alpha_bar_{t'}) x0 + sqrt(1 - alpha_bar_{t'}) eps          (forward process, eq. 8)
    x_{t'}^unknown = one reverse step from x_t                                        (here DDIM with eta = 1)
    x_{t'}         = m * x_{t'}^known + (1 - m) * x_{t'}^unknown                       (eq. 9)

and, r - 1 times per step, "resampling": the combined x_{t'} is noised back to t with q(x_t | x_{t'})
(x_t = sqrt(alpha_bar_t / alpha_bar_{t'}) x_{t'} + sqrt(1 - alpha_bar_t / alpha_bar_{t'}) eps) and the step is
redone, which lets the generated part agree with the known part (RePaint sec. 4.2). GenLab runs it on a
subsequence of the T steps (DDIM's tau), so it takes steps x r network calls.

**Super-resolution, ILVR** (Choi et al. 2021, eq. 5 and Algorithm 1). With a low-pass filter phi_N (average
over N x N blocks, then back up to full size) and a reference y whose low-frequency content is known (the
upsampled small image):

    x'_{t'} = one reverse step from x_t
    x_{t'}  = x'_{t'} - phi_N(x'_{t'}) + phi_N(y_{t'}),   y_{t'} ~ q(y_{t'} | y)

so the sample's N x N block means follow the small image's while the network fills in the detail.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
import torch.nn.functional as F

from .forward import predict_x0
from .samplers import EpsFn, SampleStep, ddim_timesteps
from .schedules import Schedule


def _noise(shape, generator: torch.Generator | None, device) -> torch.Tensor:
    return torch.randn(shape, generator=generator).to(device)


def _ab(sched: Schedule, t: int) -> float:
    return float(sched.alpha_bar[t - 1]) if t > 0 else 1.0


def _reverse(eps_fn: EpsFn, sched: Schedule, x: torch.Tensor, t: int, t_prev: int,
             generator: torch.Generator | None) -> tuple[torch.Tensor, torch.Tensor]:
    """One DDIM step with eta = 1 (ancestral, DDPM-like on the subsequence) from t to t_prev; (x_{t_prev}, x0_hat)."""
    ab, ab_prev = _ab(sched, t), _ab(sched, t_prev)
    tt = torch.full((x.shape[0],), t, dtype=torch.long)
    x0_hat = predict_x0(x, tt, eps_fn(x, tt), sched).clamp(-1.0, 1.0)
    eps_hat = (x - math.sqrt(ab) * x0_hat) / math.sqrt(1.0 - ab)
    sigma = math.sqrt((1 - ab_prev) / (1 - ab) * (1 - ab / ab_prev)) if t_prev > 0 else 0.0
    out = math.sqrt(ab_prev) * x0_hat + math.sqrt(max(1 - ab_prev - sigma ** 2, 0.0)) * eps_hat
    if sigma > 0:
        out = out + sigma * _noise(x.shape, generator, x.device)
    return out, x0_hat


def _noised(x0: torch.Tensor, sched: Schedule, t: int, generator: torch.Generator | None) -> torch.Tensor:
    """A draw of q(x_t | x0) (x0 itself at t = 0)."""
    if t == 0:
        return x0
    ab = _ab(sched, t)
    return math.sqrt(ab) * x0 + math.sqrt(1 - ab) * _noise(x0.shape, generator, x0.device)


@torch.no_grad()
def repaint(eps_fn: EpsFn, sched: Schedule, x0: torch.Tensor, mask: torch.Tensor, steps: int = 50,
            resample: int = 4, generator: torch.Generator | None = None) -> Iterator[SampleStep]:
    """RePaint inpainting (module docstring).

    Args:
        x0: (B, C, H, W) the image in model range [-1, 1]; only its known pixels are used.
        mask: (B or 1, 1 or C, H, W), 1 where the pixel is known, 0 where it is to be filled.
        steps: reverse steps on the subsequence tau; resample: r, passes per step (1 = no resampling).
    Yields:
        :class:`SampleStep` after each step (nfe counts network calls, steps x resample in all).
    """
    if resample < 1:
        raise ValueError(f"resample must be at least 1 (got {resample}).")
    m = mask.to(x0.dtype).to(x0.device)
    taus = ddim_timesteps(sched.T, steps)
    total = len(taus) * resample
    x = _noise(x0.shape, generator, x0.device)
    t0, nfe = time.perf_counter(), 0
    for i, t in enumerate(taus):
        t_prev = taus[i + 1] if i + 1 < len(taus) else 0
        for u in range(resample):
            unknown, x0_hat = _reverse(eps_fn, sched, x, t, t_prev, generator)
            nfe += 1
            x_prev = m * _noised(x0, sched, t_prev, generator) + (1 - m) * unknown
            if u < resample - 1:  # noise back from t_prev to t and redo the step
                ratio = _ab(sched, t) / _ab(sched, t_prev)
                x = math.sqrt(ratio) * x_prev + math.sqrt(1 - ratio) * _noise(x.shape, generator, x.device)
        x = x_prev
        yield SampleStep(t_prev, x, x0_hat, nfe, total, time.perf_counter() - t0)


def low_pass(x: torch.Tensor, factor: int) -> torch.Tensor:
    """phi_N: the mean of each factor x factor block, repeated back to full size; (B, C, H, W) -> same shape."""
    if factor <= 1:
        return x
    return F.interpolate(F.avg_pool2d(x, factor), scale_factor=factor, mode="nearest")


@torch.no_grad()
def ilvr(eps_fn: EpsFn, sched: Schedule, reference: torch.Tensor, factor: int, steps: int = 100,
         generator: torch.Generator | None = None) -> Iterator[SampleStep]:
    """ILVR super-resolution / guided sampling (module docstring).

    Args:
        reference: (B, C, H, W) in model range: a full-size image whose factor x factor block means are the
            observation (e.g. a 7x7 digit repeated up to 28x28).
        factor: N of phi_N (4 for 7x7 -> 28x28, 2 for 14x14 -> 28x28); H and W must be divisible by it.
    """
    H, W = reference.shape[-2:]
    if factor < 1 or H % factor or W % factor:
        raise ValueError(f"The image ({H}x{W}) must be divisible by the factor {factor}.")
    taus = ddim_timesteps(sched.T, steps)
    x = _noise(reference.shape, generator, reference.device)
    t0 = time.perf_counter()
    for i, t in enumerate(taus):
        t_prev = taus[i + 1] if i + 1 < len(taus) else 0
        x_prev, x0_hat = _reverse(eps_fn, sched, x, t, t_prev, generator)
        y_prev = _noised(reference, sched, t_prev, generator)
        x = x_prev - low_pass(x_prev, factor) + low_pass(y_prev, factor)
        yield SampleStep(t_prev, x, x0_hat, i + 1, len(taus), time.perf_counter() - t0)


def downsample(x: torch.Tensor, factor: int) -> torch.Tensor:
    """The small observed image: factor x factor block means, (B, C, H, W) -> (B, C, H/f, W/f)."""
    return F.avg_pool2d(x, factor)


def upsample_reference(small: torch.Tensor, factor: int) -> torch.Tensor:
    """A small image repeated up to full size (its block means are the small image's pixels)."""
    return F.interpolate(small, scale_factor=factor, mode="nearest")


def mask_preset(name: str, size: int = 28) -> torch.Tensor:
    """A (1, 1, size, size) mask, 1 = known: ``bottom`` (lower half missing), ``right``, ``centre`` (a square
    in the middle missing), ``checker`` (every other 7x7 block missing)."""
    m = torch.ones((1, 1, size, size))
    h = size // 2
    if name == "bottom":
        m[..., h:, :] = 0
    elif name == "right":
        m[..., :, h:] = 0
    elif name == "centre":
        q = size // 4
        m[..., q:size - q, q:size - q] = 0
    elif name == "checker":
        b = size // 4
        for i in range(4):
            for j in range(4):
                if (i + j) % 2:
                    m[..., i * b:(i + 1) * b, j * b:(j + 1) * b] = 0
    else:
        raise ValueError(f"Unknown mask {name!r}; choose bottom, right, centre or checker.")
    return m


MASKS = ("bottom", "right", "centre", "checker")


@dataclass
class GuidedResult:
    """What the page shows for one inpainting or super-resolution run: images (H, W) in [0, 1] and PSNRs (dB)
    against the held-out original. ``observed`` is what the model was given (the masked digit, or the small
    image repeated up); ``baseline`` the naive answer (the hole left black, or bilinear upsampling); ``region``
    says where the PSNRs are measured."""

    original: np.ndarray
    observed: np.ndarray
    baseline: np.ndarray
    output: np.ndarray
    psnr_baseline: float
    psnr_output: float
    region: str
    nfe: int
    seconds: float


def _psnr(a: np.ndarray, b: np.ndarray, where: np.ndarray | None = None) -> float:
    d = (a - b) ** 2
    if where is not None:
        d = d[where]
    return float(10 * np.log10(1.0 / max(float(d.mean()), 1e-12)))


def inpaint_demo(eps_fn: EpsFn, sched: Schedule, x0_pixels: torch.Tensor, mask_name: str, steps: int = 50,
                 resample: int = 4, seed: int = 0, on_step=None, device="cpu") -> GuidedResult:
    """RePaint one digit (1, 1, H, W) in [0, 1] with a preset mask; PSNR measured inside the hole."""
    from .forward import to_model_range, to_pixels

    m = mask_preset(mask_name, x0_pixels.shape[-1])
    gen = torch.Generator().manual_seed(int(seed))
    x0 = to_model_range(x0_pixels.float()).to(device)
    step = None
    for step in repaint(eps_fn, sched, x0, m.to(device), steps, resample, gen):
        if on_step is not None:
            on_step(step)
    out = to_pixels(step.x_t)[0, 0].cpu().numpy()
    orig = x0_pixels[0, 0].cpu().numpy()
    known = m[0, 0].numpy().astype(bool)
    observed = np.where(known, orig, 0.5)  # the hole drawn grey, so a student sees where it is
    baseline = np.where(known, orig, 0.0)
    hole = ~known
    return GuidedResult(orig, observed, baseline, out, _psnr(baseline, orig, hole), _psnr(out, orig, hole),
                        "inside the hole", step.nfe, step.elapsed_s)


def superres_demo(eps_fn: EpsFn, sched: Schedule, x0_pixels: torch.Tensor, factor: int, steps: int = 50,
                  seed: int = 0, on_step=None, device="cpu") -> GuidedResult:
    """ILVR: bring one digit down to H/factor and back up; PSNR of the whole image against the original."""
    from .forward import to_model_range, to_pixels

    gen = torch.Generator().manual_seed(int(seed))
    x0 = to_model_range(x0_pixels.float()).to(device)
    small = downsample(x0, factor)
    ref = upsample_reference(small, factor)
    step = None
    for step in ilvr(eps_fn, sched, ref, factor, steps, gen):
        if on_step is not None:
            on_step(step)
    out = to_pixels(step.x_t)[0, 0].cpu().numpy()
    orig = x0_pixels[0, 0].cpu().numpy()
    bilinear = to_pixels(F.interpolate(small, scale_factor=factor, mode="bilinear"))[0, 0].cpu().numpy()
    observed = to_pixels(ref)[0, 0].cpu().numpy()
    return GuidedResult(orig, observed, bilinear, out, _psnr(bilinear, orig), _psnr(out, orig),
                        "over the whole image", step.nfe, step.elapsed_s)
