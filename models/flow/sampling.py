"""Sampling a flow with Euler steps, and what the trajectories say: straightness and distance to the target."""

from __future__ import annotations

import numpy as np
import torch

from .pairing import w2_distance


@torch.no_grad()
def euler(model, x0: torch.Tensor, steps: int) -> torch.Tensor:
    """Integrate dx/dt = v(x, t) from t = 0 to 1 with ``steps`` Euler steps: x_{n+1} = x_n + h v(x_n, t_n).

    Returns the trajectory (steps + 1, n, d); its last row holds the samples.
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1 (got {steps}).")
    h = 1.0 / steps
    xs = [x0.float()]
    x = x0.float()
    for n in range(steps):
        t = torch.full((x.shape[0],), n * h)
        x = x + h * model(x, t)
        xs.append(x)
    return torch.stack(xs)


@torch.no_grad()
def straightness(model, x0: torch.Tensor, steps: int = 100) -> float:
    """S = int_0^1 E || (Z1 - Z0) - v(Z_t, t) ||^2 dt along the model's own ODE trajectories
    (Liu et al. 2023, def. 2.3), on an Euler grid of ``steps``. 0 means every trajectory is a straight line
    travelled at constant speed, so a single Euler step is exact."""
    traj = euler(model, x0, steps)
    chord = traj[-1] - traj[0]  # Z1 - Z0
    h = 1.0 / steps
    total = 0.0
    for n in range(steps):
        t = torch.full((x0.shape[0],), n * h)
        total += float((chord - model(traj[n], t)).pow(2).sum(dim=1).mean()) * h
    return total


def quality(model, source: np.ndarray, target: np.ndarray, steps: int) -> float:
    """W2 between ``steps``-step Euler samples from ``source`` points and equally many ``target`` points."""
    x = euler(model, torch.from_numpy(np.asarray(source, np.float32)), steps)[-1].numpy()
    return w2_distance(x, target)


@torch.no_grad()
def field_grid(model, t: float, lo: float, hi: float, n: int = 17) -> tuple[np.ndarray, np.ndarray]:
    """The field on an n x n grid over [lo, hi]^2 at time t: (points (n*n, 2), velocities (n*n, 2))."""
    g = np.linspace(lo, hi, n, dtype=np.float32)
    pts = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    v = model(torch.from_numpy(pts), torch.full((len(pts),), float(t))).numpy()
    return pts, v
