"""Feature statistics (mean and covariance) and their .npz files, compatible with pytorch-fid."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class FeatureStats:
    """The Gaussian fitted to a set of features.

    Attributes:
        mu: (d,) float64 mean.
        sigma: (d, d) float64 unbiased covariance (divides by N - 1, as ``np.cov``).
        n: number of feature vectors (0 when loaded from a file that does not say).
    """

    mu: np.ndarray
    sigma: np.ndarray
    n: int = 0

    @property
    def d(self) -> int:
        return int(self.mu.shape[0])


def feature_stats(features: np.ndarray) -> FeatureStats:
    """Mean and covariance of features, in float64, without losing digits to a common offset.

    Args:
        features: (N, d), N >= 2, any float dtype.
    Returns:
        :class:`FeatureStats` with mu = mean(x), sigma = (x - mu)^T (x - mu) / (N - 1).

    The data are first shifted by their first row (exact in float64 for float32 input) so that a large
    offset shared by all vectors never enters a sum; the mean of the shifted data is added back once.
    """
    x = np.asarray(features, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"features must be a (N, d) array; got shape {x.shape}.")
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"A covariance needs at least 2 images; this set has {n}. Add more images.")
    if not np.isfinite(x).all():
        raise ValueError("Some features are NaN or infinite; an image or the extractor is broken.")
    shift = x[0]
    xs = x - shift
    m = xs.mean(axis=0)
    xc = xs - m
    sigma = (xc.T @ xc) / (n - 1)
    return FeatureStats(shift + m, (sigma + sigma.T) / 2, n)


def save_stats(path: str | Path, stats: FeatureStats) -> Path:
    """Write ``mu`` and ``sigma`` (and ``n``) to an .npz file readable by pytorch-fid."""
    buf = io.BytesIO()
    np.savez_compressed(buf, mu=stats.mu, sigma=stats.sigma, n=np.int64(stats.n))
    path = Path(path)
    path.write_bytes(buf.getvalue())
    return path


def load_stats(source: str | Path | bytes) -> FeatureStats:
    """Read ``mu`` and ``sigma`` from an .npz file (pytorch-fid's layout), a path or its bytes.

    Raises:
        ValueError: not an .npz, keys missing, or shapes inconsistent; the message says which.
    """
    name = "the uploaded file" if isinstance(source, bytes) else str(source)
    try:
        f = np.load(io.BytesIO(source) if isinstance(source, bytes) else source, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise ValueError(f"{name}: not a readable .npz statistics file ({exc}).") from exc
    with f:
        if "mu" not in f or "sigma" not in f:
            raise ValueError(f"{name}: an FID statistics file must hold arrays 'mu' and 'sigma' "
                             f"(found: {', '.join(f.files) or 'nothing'}).")
        mu, sigma = np.asarray(f["mu"], np.float64), np.asarray(f["sigma"], np.float64)
        n = int(f["n"]) if "n" in f else 0
    if mu.ndim != 1 or sigma.shape != (mu.shape[0], mu.shape[0]):
        raise ValueError(f"{name}: mu has shape {mu.shape} and sigma {sigma.shape}; expected (d,) and (d, d).")
    return FeatureStats(mu, sigma, n)
