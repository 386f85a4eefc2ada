"""t-SNE of autoencoder codings, as in HOML ch. 17 (30-D codings of the stacked autoencoder, 2D map).

t-SNE (van der Maaten & Hinton 2008) places points in 2D so that neighbours in the code space stay
neighbours: it matches p_ij (Gaussian affinities in code space, set by the perplexity) with
q_ij proportional to (1 + ||y_i - y_j||^2)^-1 by minimising KL(P || Q). scikit-learn's TSNE does the work;
this module picks the points and reports progress in stages, for a page to show.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np

MAX_POINTS = 3000


@dataclass(frozen=True)
class TSNEProgress:
    """Where a t-SNE computation stands.

    Attributes:
        stage: 1-based stage number out of ``stages``; message: what is happening.
        elapsed_s: seconds since the start.
        embedding: (n, 2) the result (last stage only), labels: (n,) the chosen points' labels.
    """

    stage: int
    stages: int
    message: str
    elapsed_s: float
    embedding: np.ndarray | None = None
    labels: np.ndarray | None = None
    indices: np.ndarray | None = None


def pick_points(y: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """Indices of n points drawn uniformly without replacement (sorted), so classes keep their proportions."""
    y = np.asarray(y)
    n = min(int(n), len(y))
    rng = np.random.default_rng(seed)
    return np.sort(rng.permutation(len(y))[:n])


def tsne_steps(codes: np.ndarray, y: np.ndarray, n: int = 1000, perplexity: float = 30.0,
               seed: int = 0, max_iter: int = 1000) -> Iterator[TSNEProgress]:
    """Embed up to ``n`` codings in 2D with scikit-learn's TSNE, yielding progress in three stages.

    Args:
        codes: (N, k) codings, e.g. of the stacked autoencoder with k = 30.
        y: (N,) class labels (only carried along, for colouring).
        n: how many points to embed, at most :data:`MAX_POINTS` (t-SNE is O(n log n) per iteration
            with Barnes-Hut, but still tens of seconds for thousands of points on two CPU cores).
        perplexity: the effective number of neighbours, below n.
        seed: which points and the initialisation.
        max_iter: gradient steps (scikit-learn's default 1000; at least 250).

    Yields:
        :class:`TSNEProgress`; the last one has the embedding.
    """
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    t0 = time.perf_counter()
    if not 2 <= n <= MAX_POINTS:
        raise ValueError(f"t-SNE here embeds between 2 and {MAX_POINTS} points, got {n}; pick fewer.")
    idx = pick_points(y, n, seed)
    z = np.asarray(codes, np.float64)[idx]  # (n, k)
    labels = np.asarray(y)[idx]
    perplexity = float(min(perplexity, (len(idx) - 1) / 3))
    yield TSNEProgress(1, 3, f"Picked {len(idx):,} codings of dimension {z.shape[1]}.", time.perf_counter() - t0)
    yield TSNEProgress(2, 3, f"Running t-SNE (perplexity {perplexity:g}, Barnes-Hut, PCA initialisation)...",
                       time.perf_counter() - t0)
    # One OpenMP/BLAS thread: in a background thread on a busy 2-core machine, scikit-learn's OpenMP team
    # spin-waits against every other thread and t-SNE ran 8x slower than in the main thread.
    with threadpool_limits(limits=1):
        emb = TSNE(n_components=2, perplexity=perplexity, init="pca", learning_rate="auto", max_iter=max_iter,
                   random_state=seed).fit_transform(z)  # (n, 2)
    yield TSNEProgress(3, 3, f"Done: {len(idx):,} points embedded.", time.perf_counter() - t0,
                       emb.astype(np.float32), labels, idx)
