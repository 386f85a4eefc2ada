"""PCA vs autoencoder: seconds for the linear autoencoder to reach PCA's plane (< 1 degree), next to the
book's recipe (SGD, learning rate 0.5, batches of 32, 500 epochs) timed in the same run; PCA fitting."""

from __future__ import annotations

import time

import torch

from .stats import repeat, row, summary


def _time_to_angle(config, threshold: float = 1.0) -> tuple[float, int, float]:
    """(seconds until the largest principal angle first drops below threshold, epoch, total seconds)."""
    from models.pca_ae.linear_ae import train_linear_steps

    t0 = time.perf_counter()
    hit_s, hit_epoch = float("nan"), -1
    for state in train_linear_steps(config):
        if hit_epoch < 0 and state.max_angle < threshold:
            hit_s, hit_epoch = time.perf_counter() - t0, state.epoch
    return hit_s, hit_epoch, time.perf_counter() - t0


def _linear_rows(quick: bool) -> list[dict]:
    import dataclasses

    from models.pca_ae.linear_ae import LinearAEConfig

    torch.set_num_threads(1)
    book = LinearAEConfig()  # the page's default: SGD 0.5, batch 32, 500 epochs
    fast = LinearAEConfig(optimizer="adam", lr=0.05, batch_size=0, epochs=500)  # the page's "Fast recipe"
    seeds = range(1 if quick else 3)
    results = {"book": [], "fast": []}
    for seed in seeds:  # interleaved, so both recipes see the same machine load
        for name, cfg in (("book", book), ("fast", fast)):
            results[name].append(_time_to_angle(dataclasses.replace(cfg, seed=seed)))
    book_total, book_note = summary([r[2] for r in results["book"]])
    out = []
    for name, label in (("fast", "Adam lr 0.05, full batch"), ("book", "book: SGD lr 0.5, batch 32")):
        hits = [r[0] for r in results[name]]
        med, note = summary(hits)
        epochs = sorted(r[1] for r in results[name])
        out.append(row("pca_ae", f"linear AE 3-2-3 on HOML 3D data: seconds to < 1 degree from PCA ({label})",
                       med, "s", anchor="book recipe, 500 epochs, same run", anchor_value=book_total,
                       ratio=med / book_total, goal="≤ 1 s",
                       note=f"CPU, 1 thread, seeds 0-{len(seeds) - 1}; {note}; epochs to < 1°: {epochs}"))
    out.append(row("pca_ae", "book recipe: 500 epochs of SGD lr 0.5, batch 32 (total)", book_total, "s",
                   note=f"CPU, 1 thread; {book_note}; includes per-epoch angle/MSE bookkeeping"))
    return out


def _pca_rows(quick: bool) -> list[dict]:
    from models.data import load_images
    from models.pca_ae.image_ae import flatten
    from models.pca_ae.pca import fit_pca

    x = flatten(load_images("mnist", "train").x)
    out = []
    for method in ("eigh",) if quick else ("eigh", "svd"):
        med, note = summary(repeat(lambda: fit_pca(x, 64, method=method), 1 if quick else 2, warmup=0))
        out.append(row("pca_ae", f"fit PCA, 64 components, MNIST 8,000 x 784 ({method})", med, "s", note=note))
    return out


def rows(quick: bool) -> list[dict]:
    return _linear_rows(quick) + _pca_rows(quick)
