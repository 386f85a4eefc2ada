"""What the DDPM page computes: the forward demo (closed form next to the Markov chain) and reverse timelines.

Pure orchestration over :mod:`forward` and :mod:`samplers`; results are small dataclasses of NumPy
arrays the page can draw directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np
import torch

from .forward import q_iterate, q_sample, to_model_range, to_pixels
from .samplers import SampleStep
from .schedules import Schedule


@dataclass
class ForwardDemo:
    """x_t of one image at one t, by the closed form and by iterating, for ``draws`` independent noises.

    Attributes:
        t: the step (0 = the clean image).
        x0: (H, W) the image in [-1, 1].
        closed, iterated: (draws, H, W) samples of x_t (model range).
        stats: rows {"method", "mean", "theory mean", "variance", "theory variance"} over all pixels and draws.
    """

    t: int
    x0: np.ndarray
    closed: np.ndarray
    iterated: np.ndarray
    stats: list[dict] = field(default_factory=list)


def pooled_theory(x0: torch.Tensor, alpha_bar: float) -> tuple[float, float]:
    """Mean and variance of a random pixel of x_t pooled over pixels and noise (law of total variance).

    E = sqrt(alpha_bar) mean(x0);  Var = alpha_bar var(x0) + (1 - alpha_bar), var over the image's pixels.
    """
    x0 = x0.double()
    return float(alpha_bar ** 0.5 * x0.mean()), float(alpha_bar * x0.var(unbiased=False) + 1 - alpha_bar)


@torch.no_grad()
def forward_demo(x0_pixels: torch.Tensor, sched: Schedule, t: int, seed: int = 0, draws: int = 64) -> ForwardDemo:
    """Sample x_t ~ q(x_t | x0) both ways (Ho et al. eq. 4 and eq. 2 iterated t times).

    Args:
        x0_pixels: (1, H, W) or (1, 1, H, W) image in [0, 1].
        t: 0..T (0 returns x0 itself).
        draws: independent noise draws (for the histogram and the statistics).
    """
    x0 = to_model_range(x0_pixels.reshape(1, 1, *x0_pixels.shape[-2:]).float())  # (1, 1, H, W)
    xb = x0.expand(draws, -1, -1, -1)
    gen = torch.Generator().manual_seed(int(seed))
    if t == 0:
        closed = iterated = xb.clone()
    else:
        closed, _ = q_sample(xb, torch.full((draws,), t), sched, generator=gen)
        iterated = xb
        for _, iterated in q_iterate(xb, sched, t, gen):
            pass
    ab = float(sched.alpha_bar[t - 1]) if t > 0 else 1.0
    mean_th, var_th = pooled_theory(x0, ab)
    stats = [{"method": name, "mean": float(x.double().mean()), "theory mean": mean_th,
              "variance": float(x.double().var(unbiased=False)), "theory variance": var_th}
             for name, x in (("closed form q(x_t | x_0)", closed), ("iterated q(x_t | x_t-1)", iterated))]
    return ForwardDemo(t, x0[0, 0].numpy(), closed[:, 0].numpy(), iterated[:, 0].numpy(), stats)


@torch.no_grad()
def forward_chain(x0_pixels: torch.Tensor, sched: Schedule, seed: int = 0, every: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """One Markov chain x_0, x_1, ..., x_T of one image, kept every ``every`` steps.

    Returns:
        (ts (K,), frames (K, H, W) in model range), ts starting at 0 and ending at T.
    """
    x0 = to_model_range(x0_pixels.reshape(1, 1, *x0_pixels.shape[-2:]).float())
    gen = torch.Generator().manual_seed(int(seed))
    ts, frames = [0], [x0[0, 0].numpy().copy()]
    for t, x in q_iterate(x0, sched, None, gen):
        if t % every == 0 or t == sched.T:
            ts.append(t)
            frames.append(x[0, 0].numpy().copy())
    return np.array(ts), np.stack(frames)


@dataclass
class Timeline:
    """Frames of a reverse run kept at a few steps, and the result.

    Attributes:
        ts: (K,) the step t of each kept frame (decreasing, ending at 0).
        x_t, x0_hat: (K, N, H, W) in [0, 1] (x_t clamped for display).
        final: (N, H, W) the samples in [0, 1].
        nfe: network calls; elapsed_s: wall time of the run.
    """

    ts: np.ndarray
    x_t: np.ndarray
    x0_hat: np.ndarray
    final: np.ndarray
    nfe: int
    elapsed_s: float


def keep_indices(total: int, keep: int) -> set[int]:
    """Which of the calls 1..total to keep: about ``keep`` evenly spaced ones, always the last."""
    return {int(round(v)) for v in np.linspace(1, total, min(keep, total))}


def collect(steps: Iterator[SampleStep], keep: int = 8,
            on_step: Callable[[SampleStep], None] | None = None) -> Timeline:
    """Run a sampler to the end, keeping about ``keep`` frames; ``on_step`` sees every step (for progress)."""
    ts, xs, x0s, chosen, s = [], [], [], None, None
    for s in steps:
        if chosen is None:
            chosen = keep_indices(s.total, keep) | ({0} if s.nfe == 0 else set())
        if s.nfe in chosen:
            ts.append(s.t)
            xs.append(to_pixels(s.x_t)[:, 0].cpu().numpy())
            x0s.append(to_pixels(s.x0_hat)[:, 0].cpu().numpy())
        if on_step is not None:
            on_step(s)
    return Timeline(np.array(ts), np.stack(xs), np.stack(x0s), xs[-1], s.nfe, s.elapsed_s)


def psnr(x: np.ndarray, ref: np.ndarray, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio 10 log10(range^2 / MSE) in dB (inf when identical)."""
    mse = float(np.mean((np.asarray(x, np.float64) - np.asarray(ref, np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(data_range ** 2 / mse)
