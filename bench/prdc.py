"""Precision, recall, density and coverage on 10,000 vs 10,000 MNIST-classifier feature vectors: GenLab's
chunked float64 implementation (models/fid/prdc.py) next to the authors' `prdc` package on the same vectors,
time and peak memory (the full distance matrices are what the reference holds at once)."""

from __future__ import annotations

import contextlib
import io
import threading
import time

import numpy as np

from .stats import first_round, per_round, row, summary


def _features(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Real MNIST features (the test split, 2 x n images when available; else digits upsampled) and a
    noisy copy of the same images as the 'generated' set: realistic feature geometry, known to differ."""
    import torch

    from models.classifier import features
    from models.data import load_images

    x = torch.cat([load_images("mnist", "train").x, load_images("mnist", "test").x])
    reps = -(-2 * n // len(x))
    x = x.repeat(reps, 1, 1, 1)[: 2 * n]
    g = torch.Generator().manual_seed(0)
    real = x[:n]
    fake = (x[n:] + 0.15 * torch.randn(x[n:].shape, generator=g)).clamp(0, 1)
    with torch.no_grad():
        return (torch.cat([features(real[i:i + 1000]) for i in range(0, n, 1000)]).numpy(),
                torch.cat([features(fake[i:i + 1000]) for i in range(0, n, 1000)]).numpy())


@contextlib.contextmanager
def _peak_rss():
    """Peak resident memory above the starting point while the block runs (sampled every 5 ms), in MB."""
    import os

    page = os.sysconf("SC_PAGE_SIZE")

    def rss() -> int:  # Linux: resident pages of this process
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * page

    peak, done = [0], threading.Event()
    start = rss()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], rss() - start)
            time.sleep(0.005)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    out = {}
    try:
        yield out
    finally:
        done.set()
        t.join()
        out["mb"] = peak[0] / 2**20


def rows(quick: bool) -> list[dict]:
    from prdc import compute_prdc

    from models.fid.prdc import prdc

    n = 2000 if quick else 10_000
    real, fake = _features(n)
    ours_t, ref_t, ours_mb, ref_mb = [], [], [], []
    ours = ref = None
    for _ in range(per_round(2, quick, least=1)):
        with _peak_rss() as m:
            t0 = time.perf_counter()
            ours = prdc(real, fake, k=5)
            ours_t.append(time.perf_counter() - t0)
        ours_mb.append(m["mb"])
        with _peak_rss() as m, contextlib.redirect_stdout(io.StringIO()):
            t0 = time.perf_counter()
            ref = compute_prdc(real, fake, 5)
            ref_t.append(time.perf_counter() - t0)
        ref_mb.append(m["mb"])
    t_ours, note_ours = summary(ours_t)
    t_ref, _ = summary(ref_t)
    out = [row("prdc", f"precision/recall/density/coverage, {n:,} vs {n:,} MNIST-classifier features", t_ours,
               "s", anchor="prdc 0.2 compute_prdc, same vectors", anchor_value=t_ref, ratio=t_ref / t_ours,
               goal="at least as fast as prdc", note=f"{note_ours}; k = 5, 128-D features"),
           row("prdc", f"peak extra memory, {n:,} vs {n:,}", max(ours_mb), "MB", anchor="prdc 0.2",
               anchor_value=max(ref_mb), ratio=max(ref_mb) / max(max(ours_mb), 1e-9),
               note=f"min {min(ours_mb):.4g}, max {max(ours_mb):.4g}; resident set sampled every 5 ms")]
    if first_round():
        gap = max(abs(getattr(ours, k) - float(ref[k])) for k in ("precision", "recall", "density", "coverage"))
        out.append(row("prdc", "largest difference from prdc over the four values", gap, "",
                       note=f"precision {ours.precision:.4f}, recall {ours.recall:.4f}, density "
                            f"{ours.density:.4f}, coverage {ours.coverage:.4f}"))
    return out
