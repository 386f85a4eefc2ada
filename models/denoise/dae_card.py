"""The digit autoencoders' section of ``pretrained/denoise.md``, from the metrics stored in their checkpoints."""

from __future__ import annotations

from pathlib import Path

from ..checkpoints import CorruptCheckpoint, load_checkpoint, weight_paths
from .pipeline import DEFAULT_P, DEFAULT_SIGMA255


def _metrics(config) -> tuple[dict | None, Path]:
    path = weight_paths(config)[0]
    try:
        return load_checkpoint(path, config)["metrics"], path
    except (CorruptCheckpoint, FileNotFoundError):
        return None, path


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.0f} KiB" if path.is_file() else "missing"


def _sweep_table(dae_configs) -> list[str]:
    """Rows sigma, columns noisy / each Gaussian DAE / the classical filters (the first DAE's run of them)."""
    sweeps = [(c, m["sweep"]) for c in dae_configs for m in [_metrics(c)[0]] if m and "sweep" in m]
    if not sweeps:
        return []
    head = ["sigma (0-255)", "noisy"] + [f"{c.kind} DAE" for c, _ in sweeps] + ["non-local means", "blur", "median"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i, row in enumerate(sweeps[0][1]):
        cells = [str(row["sigma_255"]), f"{row['noisy']:.2f}"] + [f"{s[i]['dae']:.2f}" for _, s in sweeps]
        cells += [f"{row[k]:.2f}" for k in ("nlm", "blur", "median")]
        lines.append("| " + " | ".join(cells) + " |")
    photo = DEFAULT_SIGMA255["photo"]
    photo_rows = [(r["dae"], r["noisy"], r["nlm"]) for _, sweep in sweeps for r in sweep if r["sigma_255"] == photo]
    ceilings = ", ".join(f"{c.kind} {m['psnr_clean_input']:.2f} dB" for c in dae_configs
                         for m in [_metrics(c)[0]] if m and "psnr_clean_input" in m and c.noise == "gaussian")
    return ["### Gaussian noise across the page's sigma slider (same held-out digits)", "",
            *lines, "",
            f"The page opens digit mode at sigma = {DEFAULT_SIGMA255['digit']} (0.5 on the [0, 1] scale, the level "
            f"these DAEs were trained at) and p = {DEFAULT_P['digit']:g} for masking noise. Before issue 20 it opened"
            f" at the photo default sigma = {DEFAULT_SIGMA255['photo']}, where the DAEs score "
            f"{' and '.join(f'{r[0]:.2f}' for r in photo_rows)} dB, *below the noisy input's* "
            f"{photo_rows[0][1]:.2f} dB (non-local means: {photo_rows[0][2]:.2f} dB): an undercomplete autoencoder "
            "only outputs what its code can describe. Fed "
            f"the clean digits themselves they reach {ceilings}, their ceiling; light noise is better left to "
            "non-local means, which keeps every pixel it cannot tell from noise. `tests/denoise/test_claims.py` "
            "checks both sides on the shipped weights.", ""]


def dae_section(dae_configs) -> list[str]:
    """Markdown lines of the DAE section."""
    lines = ["## Denoising autoencoders (MNIST-like 28x28)", "",
             "Trained on the first 8,000 images of MNIST's test split (the only MNIST split on the build machine; "
             "`load_images('mnist', 'train')`), evaluated on the last 2,000 (held out). Mean PSNR in dB on the "
             "held-out digits with the noise each model was trained for; every denoiser gets the same unclipped "
             "noisy digits; non-local means is given the true sigma (for masking noise, its wavelet estimate). "
             "Weights unchanged since they were trained; figures recomputed by "
             "`python -m models.denoise.train --only dae --reevaluate`.", "",
             "| file | model | noise | epochs | train time | noisy | DAE | non-local means | blur (std 1) "
             "| median 3x3 |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for config in dae_configs:
        m, path = _metrics(config)
        if m is None:
            lines.append(f"| `{path.name}` | {config.kind} | {config.noise} {config.noise_level:g} | missing "
                         "| | | | | | |")
            continue
        nlm = f"{m['psnr_nlm']:.2f}" if "psnr_nlm" in m else ""
        lines.append(f"| `{path.name}` ({_size(path)}) | {config.kind} | {config.noise} {config.noise_level:g} | "
                     f"{config.epochs} | {m.get('train_seconds')} s | {m['psnr_noisy']:.2f} | {m['psnr_dae']:.2f} | "
                     f"{nlm} | {m['psnr_blur']:.2f} | {m['psnr_median']:.2f} |")
    lines += ["", *_sweep_table(dae_configs),
              "No convolutional DAE for dropout noise is shipped: its training collapsed to a near-constant output "
              "(held-out PSNR about 10 dB) in three runs here, so the page uses the Gaussian-noise convolutional DAE "
              "on dropout-noise digits and says so."]
    return lines
