"""Which source point travels to which target point in a training batch.

Independent pairing (Lipman et al. 2023) draws x0 and x1 separately: paths cross, so the marginal velocity
averages over crossing directions and its trajectories curve. Mini-batch optimal-transport pairing (Tong et
al. 2024; Pooladian et al. 2023) reorders each batch's targets to minimise the total squared distance

    sigma* = argmin_sigma sum_i || x0_i - x1_sigma(i) ||^2          (an assignment problem, solved exactly)

so paths within a batch do not cross, and the learned flow is straighter: fewer Euler steps sample well.
"""

from __future__ import annotations

import numpy as np
import torch

PAIRINGS = ("independent", "ot")


def pair(x0: torch.Tensor, x1: torch.Tensor, how: str) -> tuple[torch.Tensor, torch.Tensor]:
    """(x0, x1 reordered) for pairing ``how`` (``independent`` or ``ot``); x0, x1 (B, d)."""
    if how == "independent":
        return x0, x1
    if how != "ot":
        raise ValueError(f"Unknown pairing {how!r}; choose one of {', '.join(PAIRINGS)}.")
    from scipy.optimize import linear_sum_assignment

    cost = torch.cdist(x0.double(), x1.double()).pow(2).numpy()
    rows, cols = linear_sum_assignment(cost)
    return x0[torch.as_tensor(rows)], x1[torch.as_tensor(cols)]


def transport_cost(x0: torch.Tensor, x1: torch.Tensor) -> float:
    """Mean squared length of the pairs' paths, E || x1 - x0 ||^2."""
    return float((x1 - x0).double().pow(2).sum(dim=1).mean())


def w2_distance(a: np.ndarray, b: np.ndarray) -> float:
    """The 2-Wasserstein distance between two equal-size point sets (exact optimal assignment):
    W2 = sqrt( min_sigma 1/n sum_i || a_i - b_sigma(i) ||^2 ). Used as the sample quality of a flow."""
    from scipy.optimize import linear_sum_assignment

    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"W2 here needs two sets of the same size; got {a.shape} and {b.shape}.")
    cost = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    r, c = linear_sum_assignment(cost)
    return float(np.sqrt(cost[r, c].mean()))
