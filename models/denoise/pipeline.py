"""Run the chosen denoisers on one image: outputs, PSNR/SSIM against the clean image when known, time.

Two domains. ``photo``: any size, grayscale or colour; the photo denoiser (tiled) and the classical
filters. ``digit``: the image is first reduced to what the MNIST models see (28x28 grayscale, white
digit on black); the denoising autoencoders, the DDPM reverse-from-t* denoiser (when the diffusion
family is installed) and the same classical filters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from PIL import Image

from . import classical
from .metrics import psnr, ssim

DENOISERS = {
    "dae_dense": "Dense denoising autoencoder",
    "dae_conv": "Convolutional denoising autoencoder",
    "ddpm": "DDPM reverse from t*",
    "dncnn": "Photo denoiser (DnCNN family)",
    "dncnn_x8": "Photo denoiser, x8 self-ensemble",
    "bm3d": "BM3D (the classical state of the art)",
    "nlm": "Non-local means",
    "blur": "Gaussian blur",
    "median": "Median filter",
}
DOMAIN_DENOISERS = {
    "photo": ("dncnn", "dncnn_x8", "bm3d", "nlm", "blur", "median"),
    "digit": ("dae_dense", "dae_conv", "ddpm", "dncnn", "nlm", "blur", "median"),
}
# Chosen only when the user adds them: the x8 ensemble takes 8 times the photo denoiser's time, and BM3D
# (the authors' Python package) seconds per 100k pixels on a laptop CPU; the model card and the page's
# "against BM3D" table give its scores on every held-out photo.
SLOW_DENOISERS = ("dncnn_x8", "bm3d")
# Above this many pixels non-local means is refused (it would take minutes on a laptop CPU).
# One page run denoises at most this many images (a shared server must not spend minutes on one click);
# the command line (``python -m models.denoise``) has no such limit.
MAX_IMAGES_PER_RUN = 24
NLM_MAX_PIXELS = 2_000_000
BM3D_MAX_PIXELS = 600_000  # about a 775x775 photo: tens of seconds of BM3D on a 2-core laptop
# Above this many pixels the photo denoiser is refused (tiled below it, with progress).
DNCNN_MAX_PIXELS = 16_000_000
DNCNN_X8_MAX_PIXELS = 2_000_000  # its self-ensemble runs 8 passes
DIGIT_SIDE = 28
# The page's default noise levels (sigma on the 0-255 scale, p for salt-and-pepper or masking). Photos open at
# the usual benchmark level; digits at the level the shipped autoencoders were trained for (sigma = 0.5 on the
# [0, 1] scale, p = 0.5): an autoencoder trained for one noise level is tested at that level. Below about
# sigma = 60 non-local means beats them (their 64-number code cannot carry a digit's fine detail); the model
# card measures the whole range and tests/denoise/test_claims.py checks both statements.
DEFAULT_SIGMA255 = {"photo": 25, "digit": 128}
DEFAULT_P = {"photo": 0.2, "digit": 0.5}


@dataclass
class Result:
    """One denoiser's output on one image.

    Attributes:
        key: one of :data:`DENOISERS`.
        output: float32 in [0, 1], the noisy image's shape; ``None`` when the denoiser was refused.
        psnr, ssim: against the clean image (``None`` when it is unknown or the denoiser was refused).
        seconds: wall time of the denoiser alone.
        note: what was done or why not (settings, limits).
    """

    key: str
    output: np.ndarray | None
    psnr: float | None
    ssim: float | None
    seconds: float
    note: str = ""

    @property
    def label(self) -> str:
        return DENOISERS[self.key]


@dataclass
class Nets:
    """Trained networks the pipeline may call (``None`` when not loaded)."""

    dncnn: object | None = None
    dae: dict[str, object] = field(default_factory=dict)  # {"dense": model, "conv": model}
    dae_noise: dict[str, str] = field(default_factory=dict)  # the noise each DAE was trained on
    ddpm: Callable[[np.ndarray, float], np.ndarray] | None = None  # (N, 1, 28, 28), sigma -> same shape
    warnings: list[str] = field(default_factory=list)  # what loading met (a corrupt file retrained...)


def to_digit(image: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """What the MNIST models see: 28x28 grayscale in [0, 1], white strokes on a black background.

    Args:
        image: (H, W) or (H, W, C) float in [0, 1].

    Returns:
        ((28, 28) float32, notes on what was changed).
    """
    from ..imageio import to_gray

    notes = []
    arr = np.asarray(image, dtype=np.float32)
    gray = to_gray(arr if arr.ndim == 3 else arr[..., None])
    if gray.shape != (DIGIT_SIDE, DIGIT_SIDE):
        notes.append(f"resized {gray.shape[1]}x{gray.shape[0]} to {DIGIT_SIDE}x{DIGIT_SIDE}")
        pil = Image.fromarray(gray.astype(np.float32), mode="F").resize((DIGIT_SIDE, DIGIT_SIDE), Image.BILINEAR
                                                                          if min(gray.shape) < DIGIT_SIDE else Image.BOX)
        gray = np.asarray(pil, dtype=np.float32)
    if arr.ndim == 3 and arr.shape[2] == 3:
        notes.insert(0, "converted to grayscale")
    if float(np.median(gray)) > 0.5:  # MNIST digits are light on dark
        gray = 1.0 - gray
        notes.append("inverted (dark strokes on a light background become light on dark, as in MNIST)")
    return np.clip(gray, 0, 1).astype(np.float32), notes


def run_denoiser(key: str, y: np.ndarray, sigma: float, nets: Nets, *, dae_noise: str = "gaussian",
                 blur_sigma: float = 1.0, median_size: int = 3,
                 on_progress: Callable[[int, int], None] | None = None,
                 page_limits: bool = True) -> tuple[np.ndarray | None, str]:
    """Run one denoiser on a noisy image.

    Args:
        key: one of :data:`DENOISERS`.
        y: noisy image, (H, W) or (H, W, C), about [0, 1] (Gaussian noise may leave that range).
        sigma: Gaussian noise std on [0, 1] (known, chosen or estimated) for the photo denoiser,
            non-local means and the DDPM start step.
        nets: trained networks.
        dae_noise: which DAE weights to use (``"gaussian"`` or ``"dropout"``).
        page_limits: refuse BM3D above ``BM3D_MAX_PIXELS`` (a shared server); the command line passes False.

    Returns:
        (output or None when refused, a note).
    """
    pixels = y.shape[0] * y.shape[1]
    if key == "blur":
        return classical.gaussian_blur(y, blur_sigma), f"std {blur_sigma:g} px"
    if key == "median":
        return classical.median(y, median_size), f"{median_size}x{median_size} window"
    if key == "nlm":
        if pixels > NLM_MAX_PIXELS:
            return None, (f"skipped: {pixels / 1e6:.1f} megapixels is over the {NLM_MAX_PIXELS / 1e6:.0f} MP limit "
                          "for non-local means (minutes on a CPU); downscale the photo to compare it.")
        return classical.non_local_means(y, sigma), f"h = 0.8 sigma, sigma = {sigma * 255:.1f}/255"
    if key == "bm3d":
        from . import bm3d_baseline

        if not bm3d_baseline.available():
            return None, bm3d_baseline.INSTALL_HINT
        if page_limits and pixels > BM3D_MAX_PIXELS:
            return None, (f"skipped: {pixels / 1e6:.1f} megapixels is over the {BM3D_MAX_PIXELS / 1e6:.1f} MP limit "
                          "for BM3D on this server (minutes on a CPU); crop or downscale the photo, or run "
                          "`python -m models.denoise --model bm3d`, which has no limit.")
        return bm3d_baseline.bm3d_denoise(y, sigma), f"sigma = {sigma * 255:.1f}/255" + (
            ", colour by CBM3D (opponent colour space)" if y.ndim == 3 and y.shape[2] == 3 else "")
    if key in ("dncnn", "dncnn_x8"):
        if nets.dncnn is None:
            return None, "the photo denoiser's weights are not loaded."
        limit = DNCNN_MAX_PIXELS if key == "dncnn" else DNCNN_X8_MAX_PIXELS
        if pixels > limit:
            return None, (f"refused: {pixels / 1e6:.1f} megapixels is over the {limit / 1e6:.0f} MP limit "
                          f"of the {DENOISERS[key].lower()}; downscale the photo first.")
        from .config import DNCNN_CONFIG
        from .dncnn import denoise_array, denoise_ensemble, tile_boxes

        n_tiles = len(tile_boxes(y.shape[0], y.shape[1], 512))
        run = denoise_array if key == "dncnn" else denoise_ensemble
        out = run(nets.dncnn, y, sigma, on_progress=on_progress)
        note = f"sigma = {sigma * 255:.1f}/255" + (f", {n_tiles} tiles of 512x512" if n_tiles > 1 else "")
        if key == "dncnn_x8":
            note += ", mean of 8 flipped/rotated passes"
        if sigma * 255 > DNCNN_CONFIG.sigma_max:
            note += f"; beyond its training range (sigma <= {DNCNN_CONFIG.sigma_max:g}), expect artefacts"
        return out, note
    if y.shape[:2] != (DIGIT_SIDE, DIGIT_SIDE) or (y.ndim == 3 and y.shape[2] != 1):
        return None, f"needs a 28x28 grayscale digit (pick the digit domain), got {y.shape[1]}x{y.shape[0]}."
    digit = y.reshape(1, 1, DIGIT_SIDE, DIGIT_SIDE)
    if key in ("dae_dense", "dae_conv"):
        kind = key.split("_")[1]
        model = nets.dae.get(kind)
        if model is None:
            return None, f"the {kind} DAE's weights are not loaded."
        from .dae import denoise_batch

        trained = nets.dae_noise.get(kind, dae_noise)
        note = f"trained on {trained} noise" + ("" if trained == dae_noise else f" (no {kind} DAE for {dae_noise} noise)")
        return denoise_batch(model, digit).reshape(y.shape), note
    if key == "ddpm":
        if nets.ddpm is None:
            return None, "the diffusion model is not available."
        return np.asarray(nets.ddpm(digit, sigma), dtype=np.float32).reshape(y.shape), \
            f"reverse process from the t* whose noise level matches sigma = {sigma:.2f}"
    raise ValueError(f"Unknown denoiser {key!r}; choose from {', '.join(DENOISERS)}.")


def denoise_all(y: np.ndarray, keys: list[str], sigma: float, nets: Nets, clean: np.ndarray | None = None,
                on_progress: Callable[[str, int, int], None] | None = None, **options) -> list[Result]:
    """Run several denoisers on one noisy image and score each against ``clean`` when given.

    Args:
        y: noisy image (H, W) or (H, W, C).
        keys: denoisers to run, in display order.
        sigma: noise std on [0, 1] used by the sigma-aware denoisers.
        clean: the clean image, same shape as y, or ``None`` (an upload that was already noisy).
        on_progress: ``on_progress(key, done, total)`` as a denoiser advances (tiles of the photo denoiser).
        options: forwarded to :func:`run_denoiser` (``dae_noise``, ``blur_sigma``, ``median_size``).

    Returns:
        one :class:`Result` per key.
    """
    results = []
    for key in keys:
        tick = (lambda d, n, k=key: on_progress(k, d, n)) if on_progress else None
        start = time.perf_counter()
        out, note = run_denoiser(key, y, sigma, nets, on_progress=tick, **options)
        seconds = time.perf_counter() - start
        score_psnr = score_ssim = None
        if out is not None and clean is not None:
            score_psnr = psnr(out, clean)
            score_ssim = ssim(out, clean) if min(out.shape[:2]) >= 11 else None
        results.append(Result(key, out, score_psnr, score_ssim, seconds, note))
        if on_progress:
            on_progress(key, 1, 1)
    return results
