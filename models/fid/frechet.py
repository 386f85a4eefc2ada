"""The Fréchet distance between two Gaussians, with an exact and fast trace of the matrix square root.

FID (Heusel et al. 2017, eq. 6) is the Fréchet (2-Wasserstein) distance between N(mu1, S1) and
N(mu2, S2) fitted to two sets of features:

    d^2 = ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^(1/2))      (Dowson & Landau 1982)

pytorch-fid computes (S1 S2)^(1/2) with ``scipy.linalg.sqrtm`` (a complex Schur decomposition of a
non-symmetric matrix), which is slow at d = 2048 and can return complex noise or fail when a
covariance is singular (N <= d). Only the *trace* is needed, and it has a symmetric form:

    write S1 = F1 F1^T, S2 = F2 F2^T with F = U diag(sqrt(lambda)) from each eigendecomposition;
    the non-zero eigenvalues of S1 S2 are those of (F1^T F2)(F1^T F2)^T, so
    Tr((S1 S2)^(1/2)) = sum of the singular values of F1^T F2  (its nuclear norm).

Any factors work, so when both covariances are clearly positive definite (N > d, the usual case)
the factors are Cholesky factors L (d^3 / 3 flops each) and the trace is sum sqrt(eig(C C^T)) with
C = L1^T L2: one symmetric eigenvalue problem without eigenvectors ("cholesky" method, fast).

When a covariance is singular or nearly so (N <= d, duplicated images, a collapsed set), Cholesky's
pivots reveal it and the exact route is taken ("eigh" method): F = U diag(sqrt(lambda)) from each
eigendecomposition, eigenvalues below the numerical-rank threshold (as in ``numpy.linalg.matrix_rank``)
set to zero, and the trace is the sum of the singular values of the (rank1 x rank2) matrix F1^T F2.
That never takes the square root of a rounding-noise eigenvalue, so singular covariances are exact,
not noisy. Everything is float64; nothing becomes complex.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FrechetTerms:
    """The Fréchet distance and its two terms.

    Attributes:
        fid: mean_term + trace_term, >= 0 up to rounding.
        mean_term: ||mu1 - mu2||^2, how far apart the clouds' centres are.
        trace_term: Tr(S1 + S2 - 2 (S1 S2)^(1/2)), how differently they spread.
        tr_sqrt: Tr((S1 S2)^(1/2)).
        rank1, rank2: numerical ranks of S1 and S2 (< d when N <= d).
        d: feature dimension.
    """

    fid: float
    mean_term: float
    trace_term: float
    tr_sqrt: float
    rank1: int
    rank2: int
    d: int


def _psd_factor(sigma: np.ndarray) -> np.ndarray:
    """F (d, r) with F F^T = sigma, dropping eigenvalues below the numerical-rank threshold.

    Threshold: lambda_max * d * eps (numpy.linalg.matrix_rank's default); eigenvalues below it are
    rounding noise of a symmetric eigensolver, and keeping them would add sqrt(noise) terms.
    """
    lam, u = np.linalg.eigh(sigma)  # ascending; sigma symmetric PSD up to rounding
    top = float(lam[-1]) if lam.size else 0.0
    tol = max(top, 0.0) * sigma.shape[0] * np.finfo(np.float64).eps
    keep = lam > tol
    return u[:, keep] * np.sqrt(lam[keep])


def _check(mu1, sigma1, mu2, sigma2) -> tuple[np.ndarray, ...]:
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    sigma1 = np.atleast_2d(np.asarray(sigma1, np.float64))
    sigma2 = np.atleast_2d(np.asarray(sigma2, np.float64))
    d = mu1.shape[0]
    if mu1.ndim != 1 or mu2.shape != (d,):
        raise ValueError(f"The two means must be vectors of one length; got shapes {mu1.shape} and {mu2.shape}. "
                         f"Were the two sets' features computed with the same extractor?")
    if sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(f"Covariances must be ({d}, {d}) to match the means; got {sigma1.shape} and "
                         f"{sigma2.shape}.")
    for name, a in (("mu1", mu1), ("sigma1", sigma1), ("mu2", mu2), ("sigma2", sigma2)):
        if not np.isfinite(a).all():
            raise ValueError(f"{name} contains NaN or infinity: the features overflowed or an image was "
                             f"empty. Check the images and the extractor.")
    # Symmetrise: saved statistics may be asymmetric in the last bits.
    return mu1, (sigma1 + sigma1.T) / 2, mu2, (sigma2 + sigma2.T) / 2


def _cholesky_clear(sigma: np.ndarray) -> np.ndarray | None:
    """Lower Cholesky factor when ``sigma`` is clearly positive definite, else None.

    Pivots L_ii^2 are upper bounds of Schur complements; a pivot below d * eps * max(diag) * 1e3 means
    the matrix is singular to working precision (for a rank-r covariance the pivots after the r-th
    are rounding noise), and the exact eigen route must be used instead.
    """
    try:
        low = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return None
    piv = np.diagonal(low) ** 2
    floor = float(np.max(np.diagonal(sigma), initial=0.0)) * sigma.shape[0] * np.finfo(np.float64).eps * 1e3
    return low if piv.size and float(piv.min()) > floor else None


def trace_sqrt_product(sigma1: np.ndarray, sigma2: np.ndarray, method: str = "auto") -> tuple[float, int, int]:
    """Tr((S1 S2)^(1/2)) for symmetric PSD S1, S2 (d, d), from factors S = F F^T.

    Args:
        method: ``"auto"`` (Cholesky when both are clearly positive definite, else eigen),
            ``"cholesky"`` or ``"eigh"`` (force one route; ``"cholesky"`` falls back when it cannot).
    Returns:
        (trace, rank of S1, rank of S2); ranks are d on the Cholesky route.
    """
    sigma1, sigma2 = np.asarray(sigma1, np.float64), np.asarray(sigma2, np.float64)
    d = sigma1.shape[0]
    if method not in ("auto", "cholesky", "eigh"):
        raise ValueError(f"method must be 'auto', 'cholesky' or 'eigh', not {method!r}.")
    if method != "eigh":
        l1 = _cholesky_clear(sigma1)
        l2 = _cholesky_clear(sigma2) if l1 is not None else None
        if l1 is not None and l2 is not None:
            c = l1.T @ l2  # (d, d); eig(S1 S2) = eig(C C^T)
            mu = np.linalg.eigvalsh(c @ c.T)
            return float(np.sqrt(np.clip(mu, 0.0, None)).sum()), d, d
    f1, f2 = _psd_factor(sigma1), _psd_factor(sigma2)
    if f1.shape[1] == 0 or f2.shape[1] == 0:
        return 0.0, f1.shape[1], f2.shape[1]
    s = np.linalg.svd(f1.T @ f2, compute_uv=False)  # (min(r1, r2),) singular values, >= 0
    return float(s.sum()), f1.shape[1], f2.shape[1]


def frechet_terms(mu1, sigma1, mu2, sigma2) -> FrechetTerms:
    """The Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2), with its two terms.

    Args:
        mu1, mu2: (d,) means. sigma1, sigma2: (d, d) symmetric PSD covariances. Any float dtype;
            computed in float64.
    Returns:
        :class:`FrechetTerms`. Formula: ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^(1/2)).
    Raises:
        ValueError: shapes do not match, or values are not finite.
    """
    mu1, sigma1, mu2, sigma2 = _check(mu1, sigma1, mu2, sigma2)
    diff = mu1 - mu2
    mean_term = float(diff @ diff)
    tr_sqrt, r1, r2 = trace_sqrt_product(sigma1, sigma2)
    trace_term = float(np.trace(sigma1) + np.trace(sigma2) - 2.0 * tr_sqrt)
    return FrechetTerms(mean_term + trace_term, mean_term, trace_term, tr_sqrt, r1, r2, mu1.shape[0])


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """FID value: ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)) (Heusel et al. 2017, eq. 6).

    Same arguments and result as pytorch-fid's ``calculate_frechet_distance``, computed exactly
    also when a covariance is singular (see the module docstring).
    """
    return frechet_terms(mu1, sigma1, mu2, sigma2).fid
