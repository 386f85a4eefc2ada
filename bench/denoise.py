"""Denoising benchmark: quality on held-out data against classical filters, and photo denoising speed.

Rows: DAE PSNR on held-out MNIST digits at sigma = 0.5 (goal: blur and median + 2 dB); photo denoiser
PSNR on held-out photos at sigma = 25 (goal: best classical + 1 dB; published BSD68 figures as a
reference), and what its x8 self-ensemble adds on the gray ones; seconds to denoise a 512x512 RGB photo
(goal <= 2 s) and a 4000x3000 one in tiles.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from PIL import Image

from bench.stats import first_round, repeat, row, summary

AREA = "denoise"


def _dae_rows(quick: bool) -> list[dict]:
    from models.denoise import classical, dae
    from models.denoise.evaluate import heldout_digits
    from models.denoise.metrics import psnr
    from models.denoise.nets import load_dae

    x0 = heldout_digits(200 if quick else 2000)
    y = x0 + 0.5 * np.random.default_rng(0).standard_normal(x0.shape).astype(np.float32)
    mean = lambda est: float(np.mean([psnr(e, c) for e, c in zip(est, x0)]))  # noqa: E731
    blur = mean([classical.gaussian_blur(im[0], 1.0)[None] for im in y])
    med = mean([classical.median(im[0], 3)[None] for im in y])
    rows = []
    for kind in ("dense", "conv"):
        ours = mean(dae.denoise_batch(load_dae(kind, "gaussian", torch.device("cpu")).model, y))
        rows.append(row(AREA, f"{kind} DAE PSNR, {len(x0)} held-out MNIST digits, sigma 0.5", ours, "dB",
                        anchor="Gaussian blur (std 1)", anchor_value=blur, ratio=ours - blur,
                        goal=">= +2 dB over blur and median", note=f"median 3x3 {med:.2f} dB; ratio = dB gained"))
    return rows


def _photo_rows(quick: bool) -> list[dict]:
    from models.denoise import classical, dncnn
    from models.denoise.card import PUBLISHED_BSD68_SIGMA25
    from models.denoise.config import DNCNN_CONFIG
    from models.denoise.evaluate import heldout_photos
    from models.denoise.metrics import psnr
    from models.denoise.nets import load_dncnn
    from models.denoise.noise import add_gaussian

    model = load_dncnn(torch.device("cpu")).model
    photos = heldout_photos(DNCNN_CONFIG)
    gray, colour = [p for p in photos if p[1].ndim == 2], [p for p in photos if p[1].ndim == 3]
    sets = [("gray", gray[:1])] if quick else [("gray", gray), ("colour", colour)]
    sigma, rows = 25 / 255, []
    for label, subset in sets:
        ours, nlm, margins, x8 = [], [], [], []
        for k, (_, x0) in enumerate(subset):
            y = add_gaussian(x0, sigma, np.random.default_rng(10 + k))
            ours.append(psnr(dncnn.denoise_array(model, y, sigma), x0))
            nlm.append(psnr(classical.non_local_means(y, sigma), x0))
            best = max(nlm[-1], psnr(classical.gaussian_blur(y, 1.0), x0), psnr(classical.median(y, 3), x0))
            margins.append(ours[-1] - best)
            if label == "gray":  # the self-ensemble on the small gray photos only: 8 passes each
                x8.append(psnr(dncnn.denoise_ensemble(model, y, sigma), x0))
        rows.append(row(AREA, f"photo denoiser mean PSNR, {len(subset)} held-out {label} photos, sigma 25",
                        float(np.mean(ours)), "dB", anchor="non-local means (scikit-image)",
                        anchor_value=float(np.mean(nlm)), ratio=float(np.mean(ours) - np.mean(nlm)),
                        goal=">= +1 dB over the best classical filter on every photo",
                        note=f"smallest margin {min(margins):+.2f} dB; published BSD68 (other photos): "
                             + ", ".join(f"{k} {v}" for k, v in PUBLISHED_BSD68_SIGMA25.items())))
        if x8:
            rows.append(row(AREA, f"photo denoiser x8 self-ensemble mean PSNR, {len(subset)} held-out gray photos, "
                                  "sigma 25", float(np.mean(x8)), "dB", anchor="one pass of the same network",
                            anchor_value=float(np.mean(ours)), ratio=float(np.mean(x8) - np.mean(ours)),
                            note="mean of the 8 flipped and rotated passes (8 times the time); ratio = dB gained"))
    return rows


class _EnoughTiles(Exception):
    """Raised from the progress callback to stop a long photo after the tiles that were timed."""


def _extrapolated(ticks: list[tuple[int, int, float]], y: np.ndarray) -> tuple[list[float], str]:
    """Whole-photo times of runs stopped after a few tiles, from their progress ticks.

    ``ticks`` holds, per run, (0, 0, start) then (done, total, time) after each tile. A run's estimate is
    its time to the first tile (the colour transform of the whole photo, then one tile), plus the other
    ``total - 1`` tiles at the rate of tiles 2..done, plus the final colour transform back, timed here on
    the same photo. (Scaling the whole time by total/done would count the first transform 8 times over.)
    """
    from models.denoise.colour import from_opponent, to_opponent

    yuv = to_opponent(y)
    t0 = time.perf_counter()
    np.clip(from_opponent(yuv), 0.0, 1.0)
    finish = time.perf_counter() - t0
    runs, out = [], []
    for done, total, t in ticks:
        if done == 0:
            runs.append([])
        runs[-1].append((done, total, t))
    for r in runs:
        (_, _, start), (_, total, first), (done, _, last) = r[0], r[1], r[-1]
        out.append((first - start) + (total - 1) * (last - first) / (done - 1) + finish)
    return out, (f"; extrapolated: setup and tile 1 timed, the other {total - 1} tiles at the rate of tiles "
                 f"2-{done}, plus the colour transform back ({finish:.2f} s)")


def _speed_rows(quick: bool) -> list[dict]:
    from sklearn.datasets import load_sample_images

    from models.denoise import classical, dncnn
    from models.denoise.nets import load_dncnn
    from models.threads import DEFAULT_THREADS

    torch.set_num_threads(DEFAULT_THREADS)  # what the page's script thread uses
    model = load_dncnn(torch.device("cpu")).model
    flower = load_sample_images().images[1]
    sigma = 25 / 255
    rows = []
    for w, h, n, goal in ((512, 512, 1 if quick else 3, "<= 2 s"), (4000, 3000, 0 if quick else 1, "tiles + progress")):
        if n == 0:
            continue
        img = np.asarray(Image.fromarray(flower).resize((w, h), Image.BICUBIC), dtype=np.float32) / 255
        y = img + sigma * np.random.default_rng(0).standard_normal(img.shape).astype(np.float32)
        ticks, cpu = [], []
        cap = 6 if w > 1000 else None  # the 12-megapixel photo: time its first 6 tiles, extrapolate the rest

        def progress(done: int, total: int) -> None:
            ticks.append((done, total, time.perf_counter()))
            if cap is not None and done >= cap:
                raise _EnoughTiles

        def run() -> None:
            start = time.process_time()
            ticks.append((0, 0, time.perf_counter()))
            try:
                dncnn.denoise_array(model, y, sigma, on_progress=progress)
            except _EnoughTiles:
                pass
            cpu.append(time.process_time() - start)

        times = repeat(run, n, warmup=0 if quick or w > 1000 else 1)
        done, total = ticks[-1][0], ticks[-1][1]
        how = ""
        if done < total:
            times, how = _extrapolated(ticks, y)
        med, spread = summary(times)
        rows.append(row(AREA, f"photo denoiser (DnCNN family), {w}x{h} RGB", med, "s", goal=goal,
                        note=f"{spread}{how}; CPU time {np.median(cpu):.2f} s (all threads; wall time on a loaded "
                             f"machine is larger); {total} tiles of 512x512 with progress after each; threads "
                             f"{torch.get_num_threads()}"))
        if w > 1000 or quick:
            continue
        # the classical baselines on the same 512x512 photo, as the page runs them
        for label, fn in (("non-local means (scikit-image)", lambda: classical.non_local_means(y, sigma)),
                          ("Gaussian blur (std 1)", lambda: classical.gaussian_blur(y, 1.0)),
                          ("median 3x3", lambda: classical.median(y, 3))):
            t_med, t_note = summary(repeat(fn, n, warmup=0 if quick else 1))
            rows.append(row(AREA, f"{label}, {w}x{h} RGB", t_med, "s", anchor="photo denoiser", anchor_value=med,
                            ratio=t_med / med, note=f"{t_note}; ratio = this filter's time / the network's"))
        from models.denoise import bm3d_baseline

        if bm3d_baseline.available():  # one call a round: it takes tens of seconds
            t_bm3d = repeat(lambda: bm3d_baseline.bm3d_denoise(y, sigma), 1, warmup=0)
            t_med, t_note = summary(t_bm3d)
            rows.append(row(AREA, f"BM3D (bm3d 4.0.3, CBM3D colour), {w}x{h} RGB", t_med, "s",
                            anchor="photo denoiser", anchor_value=med, ratio=t_med / med,
                            note=f"{t_note}; the authors' package, as the page runs it; ratio = BM3D's time / "
                                 f"the network's"))
    return rows


def rows(quick: bool) -> list[dict]:
    """All denoising rows (``quick``: fewer images and repeats, no 12-megapixel run)."""
    quality = _dae_rows(quick) + _photo_rows(quick) if first_round() else []  # the same PSNR in every round
    return quality + _speed_rows(quick)
