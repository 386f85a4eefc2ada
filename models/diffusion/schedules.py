"""Noise schedules: beta_t, alpha_bar_t and log SNR for T steps, computed in float64.

A schedule is a pure function of (T, kind). Everything is computed in float64 with NumPy and cast to
a tensor once, at the end (:meth:`Schedule.tensors`), because 1 - alpha_bar_t near t = 0 and alpha_bar_t
near t = T lose digits in float32.

- linear (Ho, Jain & Abbeel 2020, sec. 4): beta_t evenly spaced from 1e-4 to 0.02 for T = 1000.
  For other T the end points are rescaled by 1000 / T so that the schedule keeps the same shape
  (Nichol & Dhariwal 2021, as in improved-diffusion's ``get_named_beta_schedule``).
- cosine (Nichol & Dhariwal 2021, eq. 17): alpha_bar_t = f(t) / f(0),
  f(t) = cos(((t / T + s) / (1 + s)) * pi / 2)^2, s = 0.008, and beta_t = 1 - alpha_bar_t / alpha_bar_{t-1}
  clipped at 0.999.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

KINDS = ("linear", "cosine")
COSINE_S = 0.008
MAX_BETA = 0.999


def linear_betas(T: int) -> np.ndarray:
    """beta_1..beta_T of Ho et al. (2020): linspace(1e-4, 0.02) for T = 1000, rescaled by 1000 / T.

    Args:
        T: number of diffusion steps, >= 1.
    Returns:
        (T,) float64 in (0, 1).
    """
    scale = 1000.0 / T
    return np.linspace(scale * 1e-4, min(scale * 0.02, MAX_BETA), T, dtype=np.float64)


def cosine_alpha_bar(t: np.ndarray, T: int, s: float = COSINE_S) -> np.ndarray:
    """Unclipped alpha_bar(t) = f(t) / f(0), f(t) = cos(((t/T + s) / (1 + s)) * pi/2)^2 (Nichol & Dhariwal eq. 17).

    Args:
        t: times in [0, T] (any shape), float64.
    Returns:
        same shape, float64 in [0, 1].
    """
    f = lambda u: np.cos((u / T + s) / (1 + s) * math.pi / 2) ** 2  # noqa: E731
    return f(np.asarray(t, dtype=np.float64)) / f(0.0)


def cosine_betas(T: int, s: float = COSINE_S) -> np.ndarray:
    """beta_t = 1 - alpha_bar(t) / alpha_bar(t - 1), clipped at 0.999 (Nichol & Dhariwal 2021, sec. 3.2).

    Returns:
        (T,) float64 in (0, 0.999].
    """
    t = np.arange(T + 1, dtype=np.float64)
    ab = cosine_alpha_bar(t, T, s)
    return np.minimum(1.0 - ab[1:] / ab[:-1], MAX_BETA)


@dataclass(frozen=True)
class Schedule:
    """The quantities a DDPM needs, indexed by t = 1..T at positions 0..T-1 (float64 NumPy arrays).

    Attributes:
        beta: (T,) beta_t.
        alpha: (T,) alpha_t = 1 - beta_t.
        alpha_bar: (T,) prod_{s<=t} alpha_s.
        alpha_bar_prev: (T,) alpha_bar_{t-1}, with alpha_bar_0 = 1.
        beta_tilde: (T,) posterior variance (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t) * beta_t (Ho et al. eq. 7).
        log_snr: (T,) log(alpha_bar_t / (1 - alpha_bar_t)).
    """

    kind: str
    T: int
    beta: np.ndarray
    alpha: np.ndarray
    alpha_bar: np.ndarray
    alpha_bar_prev: np.ndarray
    beta_tilde: np.ndarray
    log_snr: np.ndarray

    def tensors(self, device: torch.device | str = "cpu", dtype: torch.dtype = torch.float32) -> dict:
        """All arrays as tensors on ``device``: the one cast from float64."""
        names = ("beta", "alpha", "alpha_bar", "alpha_bar_prev", "beta_tilde", "log_snr")
        return {n: torch.as_tensor(getattr(self, n), dtype=dtype, device=device) for n in names}


def make_schedule(kind: str = "linear", T: int = 1000) -> Schedule:
    """Build a :class:`Schedule`.

    Args:
        kind: ``"linear"`` or ``"cosine"``.
        T: number of steps, 1 <= T <= 10000.
    Raises:
        ValueError: unknown kind or T out of range (the message says what is allowed).
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown schedule {kind!r}: choose one of {', '.join(KINDS)}.")
    if not 1 <= int(T) <= 10000:
        raise ValueError(f"T must be between 1 and 10,000 steps, got {T}.")
    T = int(T)
    beta = linear_betas(T) if kind == "linear" else cosine_betas(T)
    alpha = 1.0 - beta
    alpha_bar = np.cumprod(alpha)
    alpha_bar_prev = np.concatenate([[1.0], alpha_bar[:-1]])
    beta_tilde = (1.0 - alpha_bar_prev) / (1.0 - alpha_bar) * beta
    log_snr = np.log(alpha_bar) - np.log1p(-alpha_bar)
    return Schedule(kind, T, beta, alpha, alpha_bar, alpha_bar_prev, beta_tilde, log_snr)
