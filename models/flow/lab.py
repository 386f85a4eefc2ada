"""What the flow-matching page shows, computed from a trained flow: numpy arrays and numbers, never tensors.

The page reads widgets, calls these, and draws the results; every number it prints is measured here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .distributions import sample
from .pairing import pair, transport_cost
from .sampling import euler, field_grid, quality, straightness
from .training import TrainedFlow

VIEW_SEED = 123     # the points drawn on the page (fixed: moving t or the steps does not redraw them)
EVAL_N = 1000       # points behind every number (W2, straightness)
QUALITY_STEPS = (1, 2, 4)


@dataclass(frozen=True)
class PathsView:
    """Pairs x0 -> x1 (n, 2) as the pairing makes them, and the learned field at t on a grid."""

    x0: np.ndarray
    x1: np.ndarray
    t: float
    grid: np.ndarray
    v: np.ndarray
    cost: float  # mean squared path length of these pairs, E|x1 - x0|^2


@dataclass(frozen=True)
class SamplesView:
    """Euler trajectories (steps + 1, n, 2) from source points, the target points, and W2 between them."""

    traj: np.ndarray
    target: np.ndarray
    w2: float
    w2_floor: float  # W2 between two independent target samples of the same size: the best reachable


@dataclass(frozen=True)
class FlowReport:
    """Straightness S (Liu et al. 2023, def. 2.3; 0 = straight) and W2 to the target at 1, 2, 4 steps."""

    straightness: float
    w2: dict[int, float]


def _lim(*sets: np.ndarray) -> tuple[float, float]:
    allp = np.concatenate(sets)
    lo, hi = float(np.floor(allp.min() - 0.3)), float(np.ceil(allp.max() + 0.3))
    return lo, hi


def paths_view(flow: TrainedFlow, t: float, n: int = 160) -> PathsView:
    cfg = flow.config
    rng = np.random.default_rng(VIEW_SEED)
    x0 = torch.from_numpy(sample(cfg.source, n, rng))
    x1 = torch.from_numpy(sample(cfg.target, n, rng, cfg.points))
    x0, x1 = pair(x0, x1, cfg.pairing)
    lo, hi = _lim(x0.numpy(), x1.numpy())
    grid, v = field_grid(flow.model, t, lo, hi, 15)
    return PathsView(x0.numpy(), x1.numpy(), float(t), grid, v, transport_cost(x0, x1))


def samples_view(flow: TrainedFlow, steps: int, n: int = EVAL_N) -> SamplesView:
    cfg = flow.config
    rng = np.random.default_rng(VIEW_SEED + 1)
    z = torch.from_numpy(sample(cfg.source, n, rng))
    target = sample(cfg.target, n, rng, cfg.points)
    traj = euler(flow.model, z, steps).numpy()
    from .pairing import w2_distance

    floor = w2_distance(target, sample(cfg.target, n, rng, cfg.points))
    return SamplesView(traj, target, w2_distance(traj[-1], target), floor)


def report(flow: TrainedFlow, n: int = EVAL_N) -> FlowReport:
    cfg = flow.config
    rng = np.random.default_rng(VIEW_SEED + 2)
    z = sample(cfg.source, n, rng)
    target = sample(cfg.target, n, rng, cfg.points)
    w2 = {k: quality(flow.model, z, target, k) for k in QUALITY_STEPS}
    return FlowReport(straightness(flow.model, torch.from_numpy(z)), w2)
