"""Straight conditional paths and the exact marginal velocity between two Gaussians.

Flow matching with the "conditional optimal transport" path (Lipman et al. 2023, eq. 20 with sigma_min = 0;
Liu et al. 2023, rectified flow) joins a source point x0 ~ p0 and a target point x1 ~ p1 by a straight line:

    x_t = (1 - t) x0 + t x1,        d/dt x_t = u_t(x_t | x0, x1) = x1 - x0,        t in [0, 1].

A network v_theta(x, t) regressed on x1 - x0 at x_t (the conditional flow-matching loss, Lipman et al. eq. 9)
learns the *marginal* velocity v(x, t) = E[x1 - x0 | x_t = x], whose ODE dx/dt = v(x, t) carries p0 to p1.

For independent Gaussians x0 ~ N(mu0, S0), x1 ~ N(mu1, S1) the pair (x_t, x1 - x0) is jointly Gaussian, so
the conditional mean is linear in x:

    m_t = (1 - t) mu0 + t mu1,              C_t = (1 - t)^2 S0 + t^2 S1          (the law of x_t)
    Cov(x1 - x0, x_t) = t S1 - (1 - t) S0
    v(x, t) = (mu1 - mu0) + (t S1 - (1 - t) S0) C_t^{-1} (x - m_t)

which the tests compare the learned field with. Because v is affine in x, one Euler step maps a Gaussian to a
Gaussian, and its mean and covariance can be propagated exactly (:func:`euler_moments`).
"""

from __future__ import annotations

import numpy as np
import torch


def interpolate(x0: torch.Tensor, x1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """x_t = (1 - t) x0 + t x1 for rows x0, x1 (n, d) and times t (n,)."""
    return x0 + t[:, None] * (x1 - x0)


def conditional_velocity(x0: torch.Tensor, x1: torch.Tensor) -> torch.Tensor:
    """u_t(x_t | x0, x1) = x1 - x0: constant along each straight path; (n, d)."""
    return x1 - x0


def gaussian_velocity(x: np.ndarray, t: float, mu0, S0, mu1, S1) -> np.ndarray:
    """The exact marginal velocity v(x, t) for independent N(mu0, S0) -> N(mu1, S1) pairing; x (n, d).

    v(x, t) = (mu1 - mu0) + (t S1 - (1 - t) S0) C_t^{-1} (x - m_t)  (module docstring), float64.
    """
    mu0, mu1 = np.asarray(mu0, np.float64), np.asarray(mu1, np.float64)
    S0, S1 = np.asarray(S0, np.float64), np.asarray(S1, np.float64)
    K, c = _affine(t, mu0, S0, mu1, S1)
    return np.asarray(x, np.float64) @ K.T + c


def _affine(t: float, mu0, S0, mu1, S1) -> tuple[np.ndarray, np.ndarray]:
    """v(x, t) = K x + c: K = (t S1 - (1 - t) S0) C_t^{-1}, c = (mu1 - mu0) - K m_t."""
    m_t = (1 - t) * mu0 + t * mu1
    C_t = (1 - t) ** 2 * S0 + t ** 2 * S1
    K = np.linalg.solve(C_t.T, (t * S1 - (1 - t) * S0).T).T  # (t S1 - (1-t) S0) C_t^{-1}
    return K, (mu1 - mu0) - K @ m_t


def euler_moments(mu0, S0, mu1, S1, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance after ``steps`` Euler steps of the exact Gaussian field, starting from N(mu0, S0).

    x_{n+1} = x_n + h v(x_n, t_n) = (I + h K_n) x_n + h c_n, so m <- (I + h K) m + h c and
    S <- (I + h K) S (I + h K)^T exactly (no sampling). Returns (mean (d,), covariance (d, d)).
    """
    mu0, mu1 = np.asarray(mu0, np.float64), np.asarray(mu1, np.float64)
    S0, S1 = np.asarray(S0, np.float64), np.asarray(S1, np.float64)
    m, S, h = mu0.copy(), S0.copy(), 1.0 / steps
    eye = np.eye(len(m))
    for n in range(steps):
        K, c = _affine(n * h, mu0, S0, mu1, S1)
        A = eye + h * K
        m, S = A @ m + h * c, A @ S @ A.T
    return m, S
