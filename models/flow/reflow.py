"""Reflow (Liu et al. 2023, "rectified flow", sec. 2.3): straighten a flow by retraining on its own pairs.

A trained flow defines a deterministic coupling: each source point z is carried to X1 = ODE(z). Its paths may
curve (independent pairing averages crossing directions), but the coupling (z, X1) itself has no crossings.
Training a new field on these fixed pairs with the same straight-line loss gives a flow whose trajectories
are straighter (Liu et al. Theorem 3.7: straightness does not increase), so fewer Euler steps sample well.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import numpy as np
import torch

from .config import FlowConfig
from .distributions import sample
from .sampling import euler
from .training import FlowStep, TrainedFlow, fit

PAIRS = 4000       # pairs generated from the first flow
ODE_STEPS = 100    # Euler steps used to generate them (close to the exact ODE)


def model_pairs(flow: TrainedFlow, n: int = PAIRS, steps: int = ODE_STEPS,
                seed: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """(z (n, 2), ODE(z) (n, 2)): the coupling the flow defines, from fresh source points."""
    z = torch.from_numpy(sample(flow.config.source, n, np.random.default_rng(seed + 10_000)))
    return z, euler(flow.model, z, steps)[-1]


def reflow(flow: TrainedFlow, on_step: Callable[[FlowStep], None] | None = None) -> TrainedFlow:
    """A 2-rectified flow: trained on ``flow``'s own pairs, starting from its weights, as many steps again."""
    pairs = model_pairs(flow, seed=flow.config.seed)
    config = replace(flow.config, seed=flow.config.seed + 1)
    return fit(config, on_step, pairs=pairs, init=flow.model)
