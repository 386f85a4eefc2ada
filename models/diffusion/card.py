"""The model card ``pretrained/diffusion.md``, written from the metrics stored in the shipped checkpoints."""

from __future__ import annotations

from pathlib import Path

from ..checkpoints import CorruptCheckpoint, config_key, load_checkpoint, weight_paths
from ..data.paths import pretrained_dir
from .config import default_config

HELD_OUT = {"mnist": "the last 2,000 images of the MNIST test split (never seen in training)",
            "digits": "the 360-image test part of scikit-learn's digits (20 %, stratified, random_state=0)"}
TRAIN = {"mnist": "the first 8,000 images of the MNIST test split (only that split is on this machine)",
         "digits": "the 1,437-image train part of scikit-learn's digits"}


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _section(dataset: str) -> list[str]:
    config = default_config(dataset)
    path = weight_paths(config)[0]
    if not path.is_file():
        return [f"## {dataset}", "", f"Not trained yet: run `python -m models.diffusion.train --datasets {dataset}`.", ""]
    try:
        from .store import repair

        repair(path, config)
        m = load_checkpoint(path, config)["metrics"]
    except (CorruptCheckpoint, ValueError) as exc:
        return [f"## {dataset}", "", f"The weights file could not be read: {exc}", ""]
    size_kb = path.stat().st_size / 1024
    lines = [f"## {dataset}", "",
             f"- Weights: `{path.name}` ({size_kb:.0f} KB), the EMA of the weights (decay {config.ema_decay}).",
             f"- Config: `{config}`",
             f"- Training data: {TRAIN[dataset]}; images scaled to [-1, 1].",
             f"- Held out: {HELD_OUT[dataset]}.",
             f"- Steps: {m.get('steps', '?'):,} of {m.get('planned_steps', config.steps):,} planned"
             + (" (stopped early: wall-clock budget on a shared CPU)" if m.get("partial") else "")
             + f", batch {config.batch_size}, Adam lr {config.lr} ({config.warmup} warm-up steps), grad-norm clip 1.",
             f"- Wall time: {m.get('wall_s', 0) / 60:.1f} min on this machine's CPU (1 thread; 2 cores shared "
             f"with several other training jobs, so expect it faster on an idle machine).",
             f"- L_simple: {m.get('final_loss', float('nan')):.4f} (train, last 200 steps), "
             f"{m.get('heldout_loss', float('nan')):.4f} (held out: up to 1,000 images, 5 evenly spaced t, fixed noise)."]
    q, real = m.get("ddim50"), m.get("heldout_real")
    if q:
        ok = q["confident"] >= 0.8 and q["min_class_fraction"] >= 0.04
        fr = ", ".join(f"{i}: {_pct(f)}" for i, f in enumerate(q["class_fractions"]))
        lines += [
            f"- Sample quality ({q['n']:,} DDIM-50 samples, seeds fixed, scored by the shipped "
            f"`models.classifier` for {dataset}):",
            f"  - confident (top class probability > {q['threshold']}): **{_pct(q['confident'])}** "
            f"(goal >= 80 %; the same classifier on the held-out real images: {_pct(real['confident'])})",
            f"  - smallest class share: **{_pct(q['min_class_fraction'])}** (goal >= 4 % for every class)",
            f"  - class shares: {fr}",
            f"  - acceptance: {'met' if ok else 'NOT met'}; generating them took {m.get('eval_wall_s', 0):.0f} s.",
            f"- Samples: `diffusion_samples_{dataset}.png` (the first 64 of them)."]
    else:
        lines.append("- Sample quality: not evaluated yet (`python -m models.diffusion.train --eval-only`).")
    return lines + [""]


def write_card(path: Path | None = None) -> Path:
    """Write the card for every dataset with a default config; returns its path."""
    path = path or pretrained_dir() / "diffusion.md"
    lines = ["# Diffusion U-Nets (DDPM page)", "",
             "Small U-Nets eps_theta(x_t, t) trained with the simple DDPM loss (Ho et al. 2020, eq. 14), "
             "linear schedule beta 1e-4..0.02, T = 1000. Reproduce with",
             "`GENLAB_DATA_DIR=/work/shared/data python -m models.diffusion.train` (keys: "
             + ", ".join(f"`{config_key(default_config(d))}`" for d in ("mnist", "digits")) + ").", ""]
    for ds in ("mnist", "digits"):
        lines += _section(ds)
    path.write_text("\n".join(lines))
    return path
