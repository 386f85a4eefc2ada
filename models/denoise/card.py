"""The model card ``pretrained/denoise.md``, written from the metrics stored in the shipped checkpoints."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..checkpoints import config_key
from ..data.paths import pretrained_dir
from .config import DnCNNConfig
from .bm3d_card import bm3d_section
from .dae_card import _metrics, _size, dae_section  # one reader of stored metrics for the whole card
from .evaluate import TRAIN400_PREFIX

# Published average PSNR (dB) on BSD68, grayscale, sigma = 25 (Zhang et al. 2017 table 2; Zhang et al. 2021).
PUBLISHED_BSD68_SIGMA25 = {"BM3D": 28.57, "DnCNN-S": 29.23, "DRUNet": 29.48}


def _fields(config: DnCNNConfig) -> dict:
    """A config's own fields (its parent named by its weights file)."""
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name != "parent"}
    if config.parent is not None:
        fields["parent"] = config_key(config.parent)
    return fields


def _training_lines(config: DnCNNConfig) -> list[str]:
    """One bullet per training stage, the first from a fresh network, each next one from the previous weights."""
    chain = [config]
    while chain[0].parent is not None:
        chain.insert(0, chain[0].parent)
    lines = []
    for k, stage in enumerate(chain):
        m, _ = _metrics(stage)
        m = m or {}
        start = ("from a fresh network" if stage.parent is None else
                 f"from the weights of `{config_key(stage.parent)}.pt` (a warm restart)")
        partial = f" ({m['history']})" if m.get("history") else ""
        threads = m.get("threads", 1)
        lines.append(f"- Training, stage {k + 1} of {len(chain)}: {m.get('steps', '?')} Adam steps of {stage.batch} "
                     f"patches {start}, lr {stage.lr:g} cosine-decayed to {stage.lr / 20:g}, seed {stage.seed}; "
                     f"{m.get('train_seconds', '?')} s wall time on a shared 2-core CPU, {threads} "
                     f"thread{'s' if threads > 1 else ''}{partial}.")
    return lines


def _ensemble_line(m: dict) -> list[str]:
    """The x8 self-ensemble's figures (8 passes over the flips and rotations of each photo)."""
    if "gray_mean_dncnn_x8" not in m:
        return []
    return [f"The x8 self-ensemble (mean of the 8 flipped and rotated passes, 8 times the time): "
            f"{m['gray_mean_dncnn_x8']:.2f} dB on the Train400 photos, {m['colour_mean_dncnn_x8']:.2f} dB on the "
            f"colour photos, smallest margin {m['min_margin_x8_db']:+.2f} dB.", ""]


def _parent_line(config: DnCNNConfig) -> list[str]:
    """What the last stage bought: the parent's weights alone on the same held-out photos."""
    if config.parent is None:
        return []
    m, _ = _metrics(config.parent)
    if not m or "gray_mean_dncnn" not in m:
        return []
    return [f"The previous stage's weights alone (`{config_key(config.parent)}.pt`): {m['gray_mean_dncnn']:.2f} dB "
            f"gray, {m['colour_mean_dncnn']:.2f} dB colour, smallest margin {m['min_margin_db']:+.2f} dB.", ""]


def card_text(dncnn_config: DnCNNConfig, dae_configs) -> str:
    """Markdown for the model card (metrics of weights that are missing are reported as missing)."""
    lines = ["# Denoising models (models/denoise)", "",
             "Written by `python -m models.denoise.train` from the metrics stored in the checkpoints.", ""]
    m, path = _metrics(dncnn_config)
    lines += [f"## Photo denoiser: `{config_key(dncnn_config)}.pt` ({_size(path)})", "",
              "A DnCNN-family residual CNN (Zhang et al. 2017) with FFDNet's 2x2 pixel-unshuffle and noise-level "
              "map (Zhang et al. 2018), grayscale; colour photos are denoised per channel in an orthogonal "
              "luminance-opponent space (as CBM3D).", "",
              f"- Config: `{_fields(dncnn_config)}`",
              f"- Data: Train400 (400 grayscale 180x180 Berkeley photos), random {dncnn_config.patch}x"
              f"{dncnn_config.patch} crops with flips/rotations; every {dncnn_config.holdout_every}th photo "
              f"held out (never trained on). Noise sigma ~ U[0, {dncnn_config.sigma_max:g}] (0-255 scale).", ""]
    if m is None:
        lines += ["Weights missing: run the training command.", ""]
    else:
        lines += _training_lines(dncnn_config) + [""]
        if "gray_mean_dncnn" in m:
            lines += [f"### Held-out photos, Gaussian noise sigma = {m['sigma_255']:g}", "",
                      "| set | this model | non-local means | Gaussian blur | median 3x3 |", "|---|---|---|---|---|",
                      f"| {sum(r['name'].startswith(TRAIN400_PREFIX) for r in m['per_photo'])} held-out Train400 photos (gray) | "
                      f"{m['gray_mean_dncnn']:.2f} dB | {m['gray_mean_nlm']:.2f} dB | {m['gray_mean_blur']:.2f} dB | "
                      f"{m['gray_mean_median']:.2f} dB |",
                      f"| {sum(r['colour'] for r in m['per_photo'])} colour photos (scikit-image, scikit-learn) | "
                      f"{m['colour_mean_dncnn']:.2f} dB | "
                      f"{m['colour_mean_nlm']:.2f} dB | | |", "",
                      f"Mean SSIM (Train400): this model {m['gray_mean_dncnn_ssim']:.3f}, non-local means "
                      f"{m['gray_mean_nlm_ssim']:.3f}. Smallest margin over the best classical filter on any "
                      f"single photo: {m['min_margin_db']:+.2f} dB (goal: +1 dB; "
                      + ("met)." if m["min_margin_db"] >= 1 else
                         "NOT met: the network is undertrained; train it longer, on a GPU)." if m.get("partial") else
                         "NOT met with the planned training: a larger network trained far longer, on a GPU, "
                         "would be needed)."), "",
                      *_ensemble_line(m),
                      *_parent_line(dncnn_config),
                      "Published averages on BSD68 at sigma = 25, for reference (a different set of 68 gray "
                      "photos): "
                      + ", ".join(f"{k} {v} dB" for k, v in PUBLISHED_BSD68_SIGMA25.items()) + ".", "",
                      "| photo | colour | this model | x8 self-ensemble | NLM | blur | median |",
                      "|---|---|---|---|---|---|---|"]
            lines += [f"| {r['name']} | {'yes' if r['colour'] else 'no'} | {r['dncnn']:.2f} | "
                      + (f"{r['dncnn_x8']:.2f}" if "dncnn_x8" in r else "") + f" | {r['nlm']:.2f} | "
                      f"{r['blur']:.2f} | {r['median']:.2f} |" for r in m["per_photo"]]
            lines.append("")
    lines += bm3d_section()
    lines += dae_section(dae_configs)
    return "\n".join(lines) + "\n"


def write_card(dncnn_config: DnCNNConfig, dae_configs) -> Path:
    """Write ``pretrained/denoise.md``; returns its path."""
    path = pretrained_dir() / "denoise.md"
    path.write_text(card_text(dncnn_config, dae_configs))
    return path
