"""The forward (noising) process of a DDPM, and its posterior: closed forms, no parameters.

All functions take the schedule's arrays (see :mod:`models.diffusion.schedules`) and integer steps t in
1..T (paper indexing; array position t - 1). x0 is an image scaled to [-1, 1].
"""

from __future__ import annotations

from typing import Iterator

import torch

from .schedules import Schedule


def _at(sched: Schedule, name: str, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """sched.<name>[t - 1] as a (B, 1, 1, 1) tensor of like's dtype and device."""
    arr = torch.as_tensor(getattr(sched, name), dtype=torch.float64)[t.long().cpu() - 1]
    return arr.to(device=like.device, dtype=like.dtype).reshape(-1, *([1] * (like.dim() - 1)))


def q_sample(x0: torch.Tensor, t: torch.Tensor, sched: Schedule, eps: torch.Tensor | None = None,
             generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Sample x_t ~ q(x_t | x0) in one step (Ho et al. 2020, eq. 4).

    x_t = sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * eps,  eps ~ N(0, I).

    Args:
        x0: (B, C, H, W) clean images in [-1, 1].
        t: (B,) integer steps in 1..T.
        eps: (B, C, H, W) the noise to use; drawn from ``generator`` when None.
    Returns:
        (x_t, eps), both (B, C, H, W).
    """
    if eps is None:
        eps = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    ab = _at(sched, "alpha_bar", t, x0)
    return ab.sqrt() * x0 + (1 - ab).sqrt() * eps, eps


def q_step(x_prev: torch.Tensor, t: int, sched: Schedule, generator: torch.Generator | None = None) -> torch.Tensor:
    """One forward step x_t ~ q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I) (Ho et al. eq. 2).

    Args:
        x_prev: (B, C, H, W) x_{t-1}.
        t: the step to take, 1..T.
    Returns:
        (B, C, H, W) x_t.
    """
    beta = float(sched.beta[t - 1])
    noise = torch.randn(x_prev.shape, generator=generator, dtype=x_prev.dtype).to(x_prev.device)
    return (1.0 - beta) ** 0.5 * x_prev + beta ** 0.5 * noise


def q_iterate(x0: torch.Tensor, sched: Schedule, t_end: int | None = None,
              generator: torch.Generator | None = None) -> Iterator[tuple[int, torch.Tensor]]:
    """Iterate the Markov chain q(x_t | x_{t-1}) from x0: yields (t, x_t) for t = 1..t_end.

    Its marginal at t equals the closed form :func:`q_sample` (Ho et al. eq. 4); the tests check this.
    """
    x = x0
    for t in range(1, (t_end or sched.T) + 1):
        x = q_step(x, t, sched, generator)
        yield t, x


def q_moments(x0: torch.Tensor, t: int, sched: Schedule) -> tuple[torch.Tensor, float]:
    """Mean and variance of q(x_t | x0): (sqrt(alpha_bar_t) x0, 1 - alpha_bar_t) (Ho et al. eq. 4)."""
    ab = float(sched.alpha_bar[t - 1])
    return ab ** 0.5 * x0, 1.0 - ab


def q_posterior(x0: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor, sched: Schedule) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and variance of q(x_{t-1} | x_t, x0) (Ho et al. 2020, eqs. 6-7).

    mu_tilde = sqrt(alpha_bar_{t-1}) beta_t / (1 - alpha_bar_t) * x0 + sqrt(alpha_t) (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t) * x_t
    beta_tilde = (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t) * beta_t

    Args:
        x0, x_t: (B, C, H, W).
        t: (B,) integer steps in 1..T.
    Returns:
        (mu_tilde (B, C, H, W), beta_tilde (B, 1, 1, 1)).
    """
    ab = _at(sched, "alpha_bar", t, x_t)
    ab_prev = _at(sched, "alpha_bar_prev", t, x_t)
    beta = _at(sched, "beta", t, x_t)
    alpha = _at(sched, "alpha", t, x_t)
    mu = ab_prev.sqrt() * beta / (1 - ab) * x0 + alpha.sqrt() * (1 - ab_prev) / (1 - ab) * x_t
    return mu, _at(sched, "beta_tilde", t, x_t)


def predict_x0(x_t: torch.Tensor, t: torch.Tensor, eps_hat: torch.Tensor, sched: Schedule) -> torch.Tensor:
    """x0_hat = (x_t - sqrt(1 - alpha_bar_t) eps_hat) / sqrt(alpha_bar_t): eq. 4 solved for x0 (Ho et al. eq. 15)."""
    ab = _at(sched, "alpha_bar", t, x_t)
    return (x_t - (1 - ab).sqrt() * eps_hat) / ab.sqrt()


def to_model_range(x: torch.Tensor) -> torch.Tensor:
    """[0, 1] pixels -> [-1, 1], the range the process works in (Ho et al. sec. 3.3)."""
    return x * 2.0 - 1.0


def to_pixels(x: torch.Tensor) -> torch.Tensor:
    """[-1, 1] -> [0, 1] pixels, clamped."""
    return ((x + 1.0) / 2.0).clamp(0.0, 1.0)
