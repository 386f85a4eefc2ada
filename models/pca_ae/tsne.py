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
        embedding: (n, 2) the result (last stage only), labels: (n,) the chosen points' labels,
            indices: (n,) which of the N codings they are.
        elapsed_s: seconds since the start (:func:`tsne_steps`; NaN in a run's snapshots, whose runner
            keeps the time, so that the same job gives the same snapshots).
    """

    stage: int
    stages: int
    message: str
    embedding: np.ndarray | None = None
    labels: np.ndarray | None = None
    indices: np.ndarray | None = None
    elapsed_s: float = float("nan")


def pick_points(y: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """Indices of n points drawn uniformly without replacement (sorted), so classes keep their proportions."""
    y = np.asarray(y)
    n = min(int(n), len(y))
    rng = np.random.default_rng(seed)
    return np.sort(rng.permutation(len(y))[:n])


def check_n(n: int) -> None:
    if not 2 <= n <= MAX_POINTS:
        raise ValueError(f"t-SNE here embeds between 2 and {MAX_POINTS} points, got {n}; pick fewer.")


def effective_perplexity(perplexity: float, n: int) -> float:
    """The perplexity used: at most (n - 1) / 3, as scikit-learn requires fewer neighbours than points."""
    return float(min(perplexity, (n - 1) / 3))


def embed(z: np.ndarray, perplexity: float, seed: int = 0, max_iter: int = 1000) -> np.ndarray:
    """scikit-learn's Barnes-Hut TSNE of codings z (n, k) with PCA initialisation; returns (n, 2) float32.

    One OpenMP/BLAS thread: in a background thread on a busy 2-core machine, scikit-learn's OpenMP team
    spin-waits against every other thread and t-SNE ran 8x slower than in the main thread (and one thread
    sums the gradients in one order, so the same seed gives the same map).
    """
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        emb = TSNE(n_components=2, perplexity=perplexity, init="pca", learning_rate="auto", max_iter=max_iter,
                   random_state=seed).fit_transform(z)  # (n, 2)
    return emb.astype(np.float32)


def tsne_steps(codes: np.ndarray, y: np.ndarray, n: int = 1000, perplexity: float = 30.0,
               seed: int = 0, max_iter: int = 1000) -> Iterator[TSNEProgress]:
    """Embed up to ``n`` codings in 2D with scikit-learn's TSNE, yielding progress in three stages.

    (The page runs the same steps as a run of the ``tsne`` family, :class:`models.pca_ae.trainers.TSNETrainer`,
    which computes the codings itself from a job.)

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
    t0 = time.perf_counter()
    check_n(n)
    idx = pick_points(y, n, seed)
    z = np.asarray(codes, np.float64)[idx]  # (n, k)
    labels = np.asarray(y)[idx]
    perplexity = effective_perplexity(perplexity, len(idx))
    yield TSNEProgress(1, 3, f"Picked {len(idx):,} codings of dimension {z.shape[1]}.",
                       elapsed_s=time.perf_counter() - t0)
    yield TSNEProgress(2, 3, f"Running t-SNE (perplexity {perplexity:g}, Barnes-Hut, PCA initialisation)...",
                       elapsed_s=time.perf_counter() - t0)
    emb = embed(z, perplexity, seed, max_iter)
    yield TSNEProgress(3, 3, f"Done: {len(idx):,} points embedded.", emb, labels, idx,
                       elapsed_s=time.perf_counter() - t0)
