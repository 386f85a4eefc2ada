"""Reverse-process samplers: DDPM ancestral sampling, DDIM, and SDEdit-style denoising from t*.

Every sampler is a generator: it yields a :class:`SampleStep` after each network call (x_t and the
predicted x0_hat), so a page can draw the timeline and progress. The network eps_theta is an argument;
the process itself holds no parameters. Steps t use the paper's 1..T indexing; the network sees t - 1.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import torch

from .forward import predict_x0, q_posterior, q_sample
from .schedules import Schedule

# eps_theta(x_t, t) with t in 1..T; a plain nn.Module taking (x_t, t - 1) is wrapped by :func:`as_eps_fn`.
EpsFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
DDIM_STEPS = (10, 20, 50, 100, 1000)
VARIANCES = ("beta", "beta_tilde")


@dataclass
class SampleStep:
    """The state after one reverse step.

    Attributes:
        t: the step of x_t (0 once the sample x0 is reached).
        x_t: (B, C, H, W) current sample in [-1, 1]-ish model range.
        x0_hat: (B, C, H, W) the network's prediction of x0 at this step.
        nfe: network calls so far; total: calls the whole run will take.
        elapsed_s: wall time so far.
    """

    t: int
    x_t: torch.Tensor
    x0_hat: torch.Tensor
    nfe: int
    total: int
    elapsed_s: float


def as_eps_fn(model: torch.nn.Module) -> EpsFn:
    """Wrap a network taking (x_t, t - 1) into eps_theta(x_t, t) with paper steps t in 1..T."""

    def eps_fn(x_t: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return model(x_t, (t - 1).to(x_t.device))

    return eps_fn


def _noise(shape, generator: torch.Generator | None, device) -> torch.Tensor:
    return torch.randn(shape, generator=generator).to(device)


@torch.no_grad()
def ddpm_sample(eps_fn: EpsFn, sched: Schedule, x_T: torch.Tensor, variance: str = "beta",
                t_start: int | None = None, generator: torch.Generator | None = None,
                clip_x0: bool = True) -> Iterator[SampleStep]:
    """Ancestral sampling (Ho et al. 2020, Algorithm 2), one network call per step from t_start to 1.

    x0_hat = (x_t - sqrt(1 - alpha_bar_t) eps_theta) / sqrt(alpha_bar_t), clipped to [-1, 1]
    x_{t-1} = mu_tilde(x_t, x0_hat) + sigma_t z,  z ~ N(0, I) (z = 0 at t = 1)
    with mu_tilde the posterior mean (eq. 7; equal to eq. 11 when x0_hat is not clipped) and
    sigma_t^2 = beta_t or beta_tilde_t (sec. 3.2: the two extremes; both gave similar samples).

    Args:
        x_T: (B, C, H, W) the start, N(0, I) for t_start = T, or a noised image for SDEdit.
        variance: ``"beta"`` or ``"beta_tilde"``.
        t_start: the step x_T is at (default T).
    Yields:
        :class:`SampleStep` after each of the t_start network calls; the last has t = 0.
    """
    if variance not in VARIANCES:
        raise ValueError(f"variance must be 'beta' or 'beta_tilde', got {variance!r}.")
    t_start = t_start or sched.T
    x, t0 = x_T, time.perf_counter()
    for i, t_val in enumerate(range(t_start, 0, -1)):
        t = torch.full((x.shape[0],), t_val, dtype=torch.long)
        x0_hat = predict_x0(x, t, eps_fn(x, t), sched)
        if clip_x0:
            x0_hat = x0_hat.clamp(-1.0, 1.0)
        mu, _ = q_posterior(x0_hat, x, t, sched)
        var = float(sched.beta[t_val - 1] if variance == "beta" else sched.beta_tilde[t_val - 1])
        x = mu + math.sqrt(var) * _noise(x.shape, generator, x.device) if t_val > 1 else mu
        yield SampleStep(t_val - 1, x, x0_hat, i + 1, t_start, time.perf_counter() - t0)


def ddim_timesteps(T: int, steps: int, t_start: int | None = None) -> list[int]:
    """The sub-sequence tau of DDIM (Song et al. 2021, sec. 4.2): ``steps`` evenly spaced t from t_start to 1.

    Returns:
        decreasing list of distinct integers in 1..t_start (at most ``steps`` of them).
    """
    t_start = t_start or T
    if steps < 1:
        raise ValueError(f"DDIM needs at least 1 step, got {steps}.")
    taus = np.unique(np.round(np.linspace(1, t_start, min(steps, t_start))).astype(int))
    return [int(v) for v in taus[::-1]]


@torch.no_grad()
def ddim_sample(eps_fn: EpsFn, sched: Schedule, x_T: torch.Tensor, steps: int = 50, eta: float = 0.0,
                t_start: int | None = None, generator: torch.Generator | None = None,
                clip_x0: bool = True) -> Iterator[SampleStep]:
    """DDIM sampling (Song, Meng & Ermon 2021, eq. 12); deterministic when eta = 0.

    x_{t'} = sqrt(alpha_bar_{t'}) x0_hat + sqrt(1 - alpha_bar_{t'} - sigma^2) eps_hat + sigma z,
    sigma = eta sqrt((1 - alpha_bar_{t'}) / (1 - alpha_bar_t)) sqrt(1 - alpha_bar_t / alpha_bar_{t'}),
    for consecutive t > t' of :func:`ddim_timesteps` (alpha_bar_0 = 1 at the end).

    Args:
        x_T: (B, C, H, W) start at step t_start (default T).
        steps: network calls (10/20/50/100/1000 on the page).
    Yields:
        :class:`SampleStep` after each network call; the last has t = 0.
    """
    taus = ddim_timesteps(sched.T, steps, t_start)
    x, t0 = x_T, time.perf_counter()
    for i, t_val in enumerate(taus):
        t_prev = taus[i + 1] if i + 1 < len(taus) else 0
        t = torch.full((x.shape[0],), t_val, dtype=torch.long)
        ab = float(sched.alpha_bar[t_val - 1])
        ab_prev = float(sched.alpha_bar[t_prev - 1]) if t_prev > 0 else 1.0
        eps_hat = eps_fn(x, t)
        x0_hat = predict_x0(x, t, eps_hat, sched)
        if clip_x0:
            x0_hat = x0_hat.clamp(-1.0, 1.0)
            eps_hat = (x - math.sqrt(ab) * x0_hat) / math.sqrt(1.0 - ab)  # keep eps consistent with x0_hat
        sigma = eta * math.sqrt((1 - ab_prev) / (1 - ab) * (1 - ab / ab_prev))
        x = math.sqrt(ab_prev) * x0_hat + math.sqrt(max(1 - ab_prev - sigma ** 2, 0.0)) * eps_hat
        if sigma > 0:
            x = x + sigma * _noise(x.shape, generator, x.device)
        yield SampleStep(t_prev, x, x0_hat, i + 1, len(taus), time.perf_counter() - t0)


def sample_steps(eps_fn: EpsFn, sched: Schedule, x_T: torch.Tensor, method: str = "ddim", steps: int = 50,
                 variance: str = "beta_tilde", t_start: int | None = None,
                 generator: torch.Generator | None = None) -> Iterator[SampleStep]:
    """Dispatch: ``method="ddim"`` (``steps`` calls) or ``"ddpm"`` (every t, variance beta or beta_tilde)."""
    if method == "ddpm":
        return ddpm_sample(eps_fn, sched, x_T, variance, t_start, generator)
    if method == "ddim":
        return ddim_sample(eps_fn, sched, x_T, steps, 0.0, t_start, generator)
    raise ValueError(f"Unknown sampler {method!r}: choose 'ddpm' or 'ddim'.")


def t_for_sigma(sigma: float, sched: Schedule) -> int:
    """The step t whose noise-to-signal ratio sqrt((1 - alpha_bar_t) / alpha_bar_t) is closest to ``sigma``.

    An image y = x0 + sigma eps (model range [-1, 1]) is then x_t / sqrt(alpha_bar_t) at that t.
    """
    ratio = np.sqrt((1 - sched.alpha_bar) / sched.alpha_bar)
    return int(np.argmin(np.abs(ratio - sigma))) + 1


def sdedit_steps(eps_fn: EpsFn, sched: Schedule, x0: torch.Tensor, t_star: int, method: str = "ddim",
                 steps: int = 50, variance: str = "beta_tilde", add_noise: bool = True,
                 generator: torch.Generator | None = None) -> Iterator[SampleStep]:
    """SDEdit (Meng et al. 2022): noise x0 to x_{t*} with q(x_{t*} | x0), then run the reverse process from t*.

    Args:
        x0: (B, C, H, W) image in [-1, 1]; when ``add_noise`` is False it is taken to be already noisy,
            y = x0 + sigma eps with sigma matching t* (see :func:`t_for_sigma`), and x_{t*} = sqrt(alpha_bar_{t*}) y.
        t_star: 1..T.
        steps: DDIM calls from T (proportionally fewer from t*); DDPM always takes t* calls.
    Yields:
        the first :class:`SampleStep` is x_{t*} itself (nfe 0), then one per network call.
    """
    if not 1 <= int(t_star) <= sched.T:
        raise ValueError(f"t* must be between 1 and T = {sched.T}, got {t_star}.")
    t_star = int(t_star)
    t = torch.full((x0.shape[0],), t_star, dtype=torch.long)
    if add_noise:
        x_t, _ = q_sample(x0, t, sched, generator=generator)
    else:
        x_t = math.sqrt(float(sched.alpha_bar[t_star - 1])) * x0
    n = max(1, math.ceil(steps * t_star / sched.T)) if method == "ddim" else t_star
    yield SampleStep(t_star, x_t, x0, 0, n, 0.0)
    yield from sample_steps(eps_fn, sched, x_t, method, steps=n, variance=variance, t_start=t_star,
                            generator=generator)


def last(steps: Iterator[SampleStep]) -> SampleStep:
    """Run a sampler to the end and return its final step (x_t is then the sample x0)."""
    out = None
    for out in steps:
        pass
    return out
