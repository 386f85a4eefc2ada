"""Held-out evaluation of the denoisers: photos the network never saw, and MNIST digits it never saw.

Photos: every ``holdout_every``-th Train400 photo (grayscale, 180x180), then the classic test photos
bundled with scikit-image (the cameraman, gray; the astronaut, Chelsea the cat, coffee, a rocket launch,
a motorcycle, colour; 300x451 to 500x741) and scikit-learn's two colour photos (427x640); none is used
in training. Digits: the last 2,000 MNIST test images (the DAEs train on the first 8,000). Noise is
drawn from fixed seeds, so every run scores the same inputs.
"""

from __future__ import annotations


import numpy as np

from .config import DAEConfig, DnCNNConfig
from .metrics import psnr, ssim
from .noise import add_gaussian, corrupt

PHOTO_SIGMA = 25.0 / 255.0
DIGIT_SIGMA = 0.5


TRAIN400_PREFIX = "test_"  # the Train400 files' names


def heldout_photos(config: DnCNNConfig) -> list[tuple[str, np.ndarray]]:
    """[(name, clean image)]: held-out Train400 photos, then the bundled test photos (see the module's
    docstring); gray ones as (H, W), colour ones as (H, W, 3); float32 in [0, 1]."""
    from .patches import load_train400, split_indices
    from .samples import bundled_photos

    names, images = load_train400()
    _, held = split_indices(len(images), config.holdout_every)
    photos = [(names[i], images[i].astype(np.float32) / 255.0) for i in held]
    for name, img in bundled_photos().items():
        photos.append((name, img.astype(np.float32) / 255.0))
    return photos


def classical_best(y: np.ndarray, x0: np.ndarray, sigma: float) -> dict[str, float]:
    """PSNR of each classical baseline at its usual setting: blur (std 1), median (3x3), NLM (h = 0.8 sigma)."""
    from .classical import gaussian_blur, median, non_local_means

    return {"blur": psnr(gaussian_blur(y, 1.0), x0), "median": psnr(median(y, 3), x0),
            "nlm": psnr(non_local_means(y, sigma), x0)}


def evaluate_photos(model, config: DnCNNConfig, sigma: float = PHOTO_SIGMA, seed: int = 1234) -> dict:
    """Score the photo denoiser and the classical baselines on every held-out photo at one noise level.

    Returns:
        {"sigma_255", "per_photo": [{"name", "colour", "dncnn", "dncnn_x8", "blur", "median", "nlm",
        "dncnn_ssim", "nlm_ssim"}], "gray_mean_*" (the held-out Train400 photos), "colour_mean_*" (every colour photo),
        "min_margin_db" (smallest DnCNN - best classical PSNR over all photos), "min_margin_x8_db" (the same
        for the x8 self-ensemble)}.
    """
    from .classical import non_local_means
    from .dncnn import denoise_array, denoise_ensemble

    rows = []
    for k, (name, x0) in enumerate(heldout_photos(config)):
        y = add_gaussian(x0, sigma, np.random.default_rng(seed + k))
        out = denoise_array(model, y, sigma)
        row = {"name": name, "colour": bool(x0.ndim == 3), "dncnn": psnr(out, x0),
               "dncnn_x8": psnr(denoise_ensemble(model, y, sigma), x0), **classical_best(y, x0, sigma)}
        row["dncnn_ssim"] = ssim(out, x0)
        row["nlm_ssim"] = ssim(non_local_means(y, sigma), x0)
        rows.append({k2: (round(v, 4) if isinstance(v, float) else v) for k2, v in row.items()})
    gray = [r for r in rows if r["name"].startswith(TRAIN400_PREFIX)]  # comparable with earlier cards
    colour = [r for r in rows if r["colour"]]
    margin = min(r["dncnn"] - max(r["blur"], r["median"], r["nlm"]) for r in rows)
    margin_x8 = min(r["dncnn_x8"] - max(r["blur"], r["median"], r["nlm"]) for r in rows)
    return {
        "sigma_255": round(sigma * 255, 2), "per_photo": rows,
        "gray_mean_dncnn": _mean(gray, "dncnn"), "gray_mean_nlm": _mean(gray, "nlm"),
        "gray_mean_blur": _mean(gray, "blur"), "gray_mean_median": _mean(gray, "median"),
        "gray_mean_dncnn_ssim": _mean(gray, "dncnn_ssim"), "gray_mean_nlm_ssim": _mean(gray, "nlm_ssim"),
        "colour_mean_dncnn": _mean(colour, "dncnn"), "colour_mean_nlm": _mean(colour, "nlm"),
        "min_margin_db": round(margin, 4),
        "gray_mean_dncnn_x8": _mean(gray, "dncnn_x8"), "colour_mean_dncnn_x8": _mean(colour, "dncnn_x8"),
        "min_margin_x8_db": round(margin_x8, 4),
    }


def heldout_digits(n: int | None = None) -> np.ndarray:
    """(N, 1, 28, 28) MNIST digits the DAEs never saw: the held-out 2,000 of the test split."""
    from ..data import load_images

    x = load_images("mnist", "test").x.numpy()
    return x if n is None else x[:n]


def evaluate_dae(model, config: DAEConfig, n: int = 2000, seed: int = 4321) -> dict:
    """Mean PSNR on held-out digits corrupted with the DAE's own noise, next to blur and median.

    Returns:
        {"heldout_digits", "noise", "psnr_noisy", "psnr_dae", "psnr_blur", "psnr_median"}.
    """
    from .classical import gaussian_blur, median
    from .dae import denoise_batch

    x0 = heldout_digits(n)  # (N, 1, 28, 28)
    y = corrupt(x0, config.noise, config.noise_level, np.random.default_rng(seed))
    dae_out = denoise_batch(model, y)
    # every denoiser gets the same (unclipped) noisy input
    return {"heldout_digits": int(len(x0)), "noise": f"{config.noise} {config.noise_level}",
            "psnr_noisy": _mean_psnr(y, x0), "psnr_dae": _mean_psnr(dae_out, x0),
            "psnr_blur": _mean_psnr(np.stack([gaussian_blur(im[0], 1.0)[None] for im in y]), x0),
            "psnr_median": _mean_psnr(np.stack([median(im[0], 3)[None] for im in y]), x0)}


def _mean_psnr(est: np.ndarray, x0: np.ndarray) -> float:
    return round(float(np.mean([psnr(e, c) for e, c in zip(est, x0)])), 4)


def _mean(rows: list[dict], key: str) -> float | None:
    return round(float(np.mean([r[key] for r in rows])), 4) if rows else None
