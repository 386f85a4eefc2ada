"""Sparsity penalties on the coding layer (HOML ch. 17, "Sparse Autoencoders"; Ng, CS294A notes, 2011).

With z in (0, 1)^k the mean activation of unit j over a batch is rho_hat_j = (1/B) sum_b z_bj.

    L1:  Omega(z) = lambda * (1/B) sum_b sum_j |z_bj|
    KL:  Omega(z) = beta * sum_j KL(rho || rho_hat_j),
         KL(rho || rho_hat) = rho log(rho / rho_hat) + (1 - rho) log((1 - rho) / (1 - rho_hat))
         (Ng's notes, section 2.2). It is 0 only when rho_hat_j = rho and grows without bound as
         rho_hat_j -> 0 or 1, so it pushes every unit to be active a fraction rho of the time.
"""

from __future__ import annotations

import torch

EPS = 1e-6


def l1_penalty(z: torch.Tensor, weight: float) -> torch.Tensor:
    """lambda * mean_b sum_j |z_bj| for codes z of shape (B, k)."""
    return weight * z.abs().sum(dim=1).mean()


def kl_divergence(rho: float, rho_hat: torch.Tensor) -> torch.Tensor:
    """KL between Bernoulli(rho) and Bernoulli(rho_hat), elementwise.

    Args:
        rho: target activation in (0, 1).
        rho_hat: (k,) mean activations, clamped into (eps, 1 - eps).
    Returns:
        (k,) non-negative divergences.
    """
    rho_hat = rho_hat.clamp(EPS, 1 - EPS)
    return rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))


def kl_penalty(z: torch.Tensor, rho: float, beta: float) -> torch.Tensor:
    """beta * sum_j KL(rho || rho_hat_j), rho_hat_j = mean over the batch of z_bj; z: (B, k)."""
    return beta * kl_divergence(rho, z.mean(dim=0)).sum()


def mean_activations(z: torch.Tensor) -> torch.Tensor:
    """rho_hat: the mean activation of each coding unit over the data, (N, k) -> (k,)."""
    return z.mean(dim=0)
