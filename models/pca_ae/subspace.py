"""Comparing subspaces and codings: principal angles, and the best linear map between two codings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def principal_angles(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Principal angles between the column spaces of a and b, in degrees, largest first.

    cos(theta_i) = sigma_i(Q_a^T Q_b), with Q_a, Q_b orthonormal bases from the SVD (Bjorck & Golub 1973).
    Small angles are computed from sines, sin(theta_i) = sigma_i((I - Q_a Q_a^T) Q_b), because the
    cosine loses all precision near 0 (1 degree gives cos = 0.99985).

    Args:
        a: (D, p) columns spanning the first subspace (need not be orthonormal).
        b: (D, q) columns spanning the second.

    Returns:
        (min(p, q),) angles in [0, 90] degrees, in decreasing order (as scipy.linalg.subspace_angles).
    """
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[0]:
        raise ValueError(f"a and b must be (D, p) and (D, q) with the same D, got {a.shape} and {b.shape}.")
    qa, qb = _orth(a), _orth(b)
    if qa.shape[1] == 0 or qb.shape[1] == 0:
        raise ValueError("A subspace is empty: its spanning columns are all zero.")
    if qa.shape[1] < qb.shape[1]:
        qa, qb = qb, qa
    cos = np.clip(np.linalg.svd(qa.T @ qb, compute_uv=False), -1.0, 1.0)  # decreasing
    sin = np.clip(np.linalg.svd(qb - qa @ (qa.T @ qb), compute_uv=False), -1.0, 1.0)  # decreasing
    # Combine: the i-th largest angle from sin where it is small, from cos where it is large.
    theta_cos = np.arccos(cos)[::-1]  # increasing cos order reversed: largest angle first
    theta_sin = np.arcsin(sin)  # largest first
    theta = np.where(sin**2 <= 0.5, theta_sin, theta_cos)
    return np.degrees(theta)


def _orth(a: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the column space of a (D, p) -> (D, rank), dropping tiny singular values."""
    u, s, _ = np.linalg.svd(a, full_matrices=False)
    tol = max(a.shape) * np.finfo(np.float64).eps * (s[0] if len(s) else 0.0)
    return u[:, s > tol]


@dataclass(frozen=True)
class LinearMap:
    """z_target ~ z_source A + c, fitted by least squares.

    Attributes:
        a: (p, q) the linear part.
        c: (q,) the offset.
        mapped: (n, q) z_source A + c.
        residual: ||z_target - mapped||^2 / ||z_target - mean||^2 (0 = exact, 1 = no better than the mean).
        condition: condition number of a (finite: the map is invertible).
    """

    a: np.ndarray
    c: np.ndarray
    mapped: np.ndarray
    residual: float
    condition: float


def best_linear_map(z_source: np.ndarray, z_target: np.ndarray) -> LinearMap:
    """The affine map that best sends one coding onto another, and how much it misses.

    Solves min_{A, c} ||z_target - (z_source A + c)||_F^2 with numpy.linalg.lstsq. When an autoencoder
    has found PCA's subspace, its codings equal PCA's scores up to an invertible linear transform
    (Baldi & Hornik 1989), so the residual goes to 0.

    Args:
        z_source: (n, p) codings, e.g. the autoencoder's.
        z_target: (n, q) codings, e.g. PCA's scores.
    """
    zs = np.asarray(z_source, np.float64)
    zt = np.asarray(z_target, np.float64)
    if zs.shape[0] != zt.shape[0]:
        raise ValueError(f"Both codings need the same number of points, got {zs.shape[0]} and {zt.shape[0]}.")
    design = np.hstack([zs, np.ones((len(zs), 1))])  # (n, p + 1)
    coef, *_ = np.linalg.lstsq(design, zt, rcond=None)  # (p + 1, q)
    mapped = design @ coef
    spread = float(((zt - zt.mean(axis=0)) ** 2).sum())
    residual = float(((zt - mapped) ** 2).sum()) / spread if spread > 0 else 0.0
    s = np.linalg.svd(coef[:-1], compute_uv=False)
    condition = float(s[0] / s[-1]) if s[-1] > 0 else float("inf")
    return LinearMap(a=coef[:-1], c=coef[-1], mapped=mapped, residual=residual, condition=condition)
