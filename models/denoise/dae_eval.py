"""The digit autoencoders on held-out MNIST digits: their own noise, and a sweep over the page's sigma slider.

Scores are mean PSNR in dB over the held-out digits (the last 2,000 of MNIST's test split, never trained
on), every denoiser given the same unclipped noisy input y = x0 + sigma * eps (or y = x0 * m for masking):
    PSNR(x_hat, x0) = 10 log10(1 / mean((x_hat - x0)^2)).
The sweep shows where a denoising autoencoder pays off: an undercomplete one can only output what its code
can describe, so its PSNR has a ceiling (measured by feeding it the clean digits, sigma = 0) and non-local
means, which keeps every pixel it cannot tell from noise, wins when the noise is light.

Run ``python -m models.denoise.train --only dae --reevaluate`` to recompute the stored figures of the
shipped weights without retraining them.
"""

from __future__ import annotations

import numpy as np

from .config import DAEConfig
from .evaluate import heldout_digits  # the last 2,000 of MNIST's test split (N, 1, 28, 28)
from .metrics import psnr
from .noise import corrupt

# The sigma slider's marks the sweep measures (0-255 scale); 128 is the page's digit default (sigma ~ 0.5).
SWEEP_SIGMA255 = (25, 50, 75, 100, 128)
CLASSICAL = ("nlm", "blur", "median")


def mean_psnr(est: np.ndarray, x0: np.ndarray) -> float:
    """Mean over images of PSNR(est_i, x0_i) in dB (rounded to 4 decimals), for (N, 1, H, W) arrays."""
    return round(float(np.mean([psnr(e, c) for e, c in zip(est, x0)])), 4)


def classical_scores(y: np.ndarray, x0: np.ndarray, sigma: float) -> dict[str, float]:
    """Mean PSNR of non-local means (given the true sigma), Gaussian blur (std 1 px) and median 3x3 on y."""
    from .classical import gaussian_blur, median, non_local_means

    return {"nlm": mean_psnr(np.stack([non_local_means(im[0], sigma)[None] for im in y]), x0),
            "blur": mean_psnr(np.stack([gaussian_blur(im[0], 1.0)[None] for im in y]), x0),
            "median": mean_psnr(np.stack([median(im[0], 3)[None] for im in y]), x0)}


def sigma_sweep(model, x0: np.ndarray, sigmas255=SWEEP_SIGMA255, seed: int = 4321,
                baselines: dict | None = None) -> list[dict]:
    """The DAE, the noisy input and the classical filters at each Gaussian sigma (0-255 scale).

    Args:
        baselines: {(len(x0), seed, sigma_255): classical scores} reused across models (the same noisy
            digits for each), filled as computed.

    Returns:
        one dict per sigma: {"sigma_255", "noisy", "dae", "nlm", "blur", "median"} (mean PSNR, dB).
    """
    from .dae import denoise_batch

    baselines = {} if baselines is None else baselines
    rows = []
    for s255 in sigmas255:
        sigma = s255 / 255.0
        y = corrupt(x0, "gaussian", sigma, np.random.default_rng(seed + s255))
        key = (len(x0), seed, s255)
        if key not in baselines:
            baselines[key] = {"noisy": mean_psnr(y, x0), **classical_scores(y, x0, sigma)}
        rows.append({"sigma_255": s255, "dae": mean_psnr(denoise_batch(model, y), x0), **baselines[key]})
    return rows


def evaluate_dae(model, config: DAEConfig, n: int = 2000, seed: int = 4321, baselines: dict | None = None) -> dict:
    """Held-out scores of one DAE: with its own training noise, its ceiling, and (Gaussian DAEs) the sweep.

    Returns:
        {"heldout_digits", "noise", "psnr_noisy", "psnr_dae", "psnr_nlm", "psnr_blur", "psnr_median",
        "psnr_clean_input", "sweep" (Gaussian DAEs only: see :func:`sigma_sweep`)}. ``psnr_nlm`` is given the
        true sigma for Gaussian noise and the wavelet estimate of it otherwise; ``psnr_clean_input`` is the
        DAE's PSNR on the clean digits themselves, the most it can reach.
    """
    from .classical import estimate_noise_sigma
    from .dae import denoise_batch

    x0 = heldout_digits(n)  # (N, 1, 28, 28)
    y = corrupt(x0, config.noise, config.noise_level, np.random.default_rng(seed))
    sigma = (config.noise_level if config.noise == "gaussian"
             else float(np.mean([estimate_noise_sigma(im[0]) for im in y])))
    scores = classical_scores(y, x0, sigma)
    out = {"heldout_digits": int(len(x0)), "noise": f"{config.noise} {config.noise_level}",
           "psnr_noisy": mean_psnr(y, x0), "psnr_dae": mean_psnr(denoise_batch(model, y), x0),
           **{f"psnr_{k}": v for k, v in scores.items()},
           "psnr_clean_input": mean_psnr(denoise_batch(model, x0), x0)}
    if config.noise == "gaussian":
        out["sweep"] = sigma_sweep(model, x0, seed=seed, baselines=baselines)
    return out


def reevaluate_daes(configs) -> list[dict]:
    """Recompute and store the held-out metrics of the shipped DAE weights (training figures kept)."""
    import torch

    from ..checkpoints import load_checkpoint, save_checkpoint, weight_paths
    from .dae import build

    torch.set_num_threads(1)
    results, baselines = [], {}
    for config in configs:
        path = weight_paths(config)[0]
        payload = load_checkpoint(path, config)
        model = build(config)
        model.load_state_dict(payload["state_dict"])
        metrics = {k: v for k, v in payload["metrics"].items() if k in ("steps", "final_loss", "train_seconds")}
        metrics.update(evaluate_dae(model.eval(), config, baselines=baselines))
        save_checkpoint(path, model, config, metrics)
        results.append(metrics)
    return results
