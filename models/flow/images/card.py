"""The model card of the shipped MNIST flow: ``pretrained/flow_mnist.md`` (``python -m models.flow.images.train
--card``), measured from the shipped weights."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ...checkpoints import config_key, load_checkpoint, weight_paths
from .config import ImageFlowConfig


def load(config: ImageFlowConfig | None = None, device="cpu"):
    """The shipped network (the EMA weights), via :func:`models.checkpoints.load_or_train`."""
    from ...checkpoints import load_or_train
    from .trainer import fit
    from .training import build

    return load_or_train(config or ImageFlowConfig(), build, fit, device=__import__("torch").device(device))


def write_card(config: ImageFlowConfig) -> Path:
    from ...diffusion.api import load_model
    from . import evaluate, sampling

    loaded = load(config)
    path = weight_paths(config)[0]
    metrics = load_checkpoint(path, config)["metrics"]
    t0 = time.perf_counter()
    nfe = evaluate.quality_vs_nfe(loaded.model, load_model("mnist"))
    guidance = evaluate.guidance_curve(loaded.model)
    seconds = time.perf_counter() - t0
    import dataclasses

    from ...checkpoints import forget, save_checkpoint

    metrics["quality_vs_nfe"] = {k: [dataclasses.asdict(p) for p in v] for k, v in nfe.items()}
    metrics["guidance"] = [dataclasses.asdict(g) for g in guidance]
    save_checkpoint(path, loaded.model.cpu(), config, metrics)  # the page draws these (typed: .measured)
    forget(config)
    grid = sampling.sample(loaded.model, 80, 20, [i // 8 for i in range(80)], 2.0, seed=0)
    _save_grid(grid, path.parent / "flow_samples_mnist.png")
    lines = [
        "# Flow-matching U-Net with classifier-free guidance (flow page, MNIST)",
        "",
        "One class-conditional network v_theta(x_t, t, y) trained with the conditional flow-matching loss on the "
        "straight path x_t = (1 - t) x0 + t x1, x0 ~ N(0, I) (Lipman et al. 2023; Liu et al. 2023), the label "
        f"replaced by 'none' with probability {config.p_uncond} (Ho & Salimans 2022), so that the same network "
        "gives the unconditional velocity guidance needs. Reproduce with "
        f"`GENLAB_DATA_DIR=... python -m models.flow.images.train` (key `{config_key(config)}`; resumable: run it "
        "again after a stop and it continues from its last checkpoint).",
        "",
        f"- Weights: `{path.name}` ({path.stat().st_size // 1024} KB), the EMA of the weights (decay {config.ema_decay}).",
        f"- Config: `{config}`",
        "- Training data: the first 8,000 images of the MNIST test split (only that split is on this machine), "
        "scaled to [-1, 1]; held out: its last 2,000 images.",
        f"- Steps: {metrics['steps']:,}, batch {config.batch_size}, Adam lr {config.lr:g} ({config.warmup} warm-up "
        f"steps), grad-norm clip 1; {metrics['train_seconds'] / 60:.1f} min on this machine's 2 CPU cores"
        + (f" (resumed from step {metrics['resumed_from']:,})" if metrics.get("resumed_from") else "") + ".",
        f"- Loss (last 200 steps): {metrics['final_loss']:.4f}.",
        "",
        "## Quality against the number of network evaluations (500 unconditional samples each)",
        "",
        "FID with GenLab's MNIST classifier's features against the 2,000 held-out images (lower is better), and the "
        "share of samples the classifier is sure of (top-class probability > 0.9). Flow matching: Euler steps; "
        "DDIM: the shipped DDPM U-Net (`pretrained/diffusion.md`), deterministic DDIM with that many steps.",
        "",
        "| NFE | flow matching FID | flow matching confident | DDIM FID | DDIM confident |",
        "|---|---|---|---|---|",
    ]
    for a, b in zip(nfe["flow matching"], nfe["DDIM (shipped DDPM)"]):
        lines.append(f"| {a.nfe} | {a.fid:.1f} | {a.confident:.1%} | {b.fid:.1f} | {b.confident:.1%} |")
    lines += ["", "## Guidance: fidelity against diversity (500 samples asking for each digit in turn, 20 Euler steps)",
              "", "Guided velocity (1 + w) v(x, t, y) - w v(x, t, none); w = 0 is the conditional model.", "",
              "| w | mean probability of the asked digit | recall (k = 5) |", "|---|---|---|"]
    for g in guidance:
        lines.append(f"| {g.w:g} | {g.asked_prob:.3f} | {g.recall:.3f} |")
    lines += ["", f"Measured in {seconds:.0f} s. Samples: `flow_samples_mnist.png` (rows: digits 0-9 asked, w = 2, "
              "20 steps).", ""]
    card = path.parent / "flow_mnist.md"
    card.write_text("\n".join(lines))
    return card


def _save_grid(x, path: Path) -> None:
    from PIL import Image

    arr = (x[:, 0].numpy() * 255).round().astype(np.uint8)  # (80, 28, 28), 10 rows of 8
    grid = arr.reshape(10, 8, 28, 28).transpose(0, 2, 1, 3).reshape(280, 224)
    Image.fromarray(grid).resize((448, 560), Image.NEAREST).save(path)
