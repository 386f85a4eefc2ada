"""Train the shipped classifiers and write pretrained/ weights and the model card.

Run: ``GENLAB_DATA_DIR=/work/shared/data python -m models.classifier.train [--datasets mnist digits]``
"""

from __future__ import annotations

import argparse
import platform
import time

import torch

from ..checkpoints import save_checkpoint, weight_paths
from ..data import pretrained_dir
from .config import default_config
from .fit import fit
from .net import build


def train_one(dataset: str) -> dict:
    """Train ``default_config(dataset)`` on the CPU and save it to its shipped path."""
    config = default_config(dataset)
    model = build(config)
    last = [0.0]

    def on_step(step: int, total: int, logs: dict) -> None:
        now = time.perf_counter()
        if now - last[0] > 10 or step == total:
            last[0] = now
            print(f"  [{dataset}] step {step}/{total} loss {logs['loss']:.4f}", flush=True)

    metrics = fit(model, config, torch.device("cpu"), on_step)
    path = save_checkpoint(weight_paths(config)[0], model, config, metrics)
    metrics["file"] = path.name
    metrics["bytes"] = path.stat().st_size
    print(f"{dataset}: {metrics}", flush=True)
    return {"config": config, **metrics}


CARD = """# GenLab digit classifier (`models/classifier`)

Small CNN (3x3 conv {c} with ReLU and max-pooling, a {f}-unit penultimate layer, 10 logits; {p:,}
parameters). Used to label generated digits, for the Inception Score on digits, and as the "mnist"
feature extractor of the FID page (its {f}-d penultimate layer; FID values in this space are **not**
comparable with Inception FID).

Inputs: (N, 1, H, W) in [0, 1]; other sizes are resized (bilinear, antialiased) to the native size and
RGB is converted to luma. Trained by `python -m models.classifier.train` on {host} with one CPU thread.

| dataset | weights | training images | held-out images | epochs | steps | train acc | held-out acc | wall time |
|---|---|---|---|---|---|---|---|---|
{rows}

Data: MNIST: only the 10,000-image MNIST **test** split is on this machine; the first 8,000 of its
images are the training part and the last 2,000 are held out (never seen in training; the accuracy
above is on them). scikit-learn digits: its fixed 80/20 stratified split (1,437 / 360).
Training: AdamW (weight decay 1e-4), one-cycle learning rate, batch 64 (MNIST) / 32 (digits), dropout 0.3, random rotation
±10°, scale ±10% and translation (±2 px MNIST, ±1 px digits). No early stopping or model selection on
the held-out part.
"""


def write_card(results: list[dict]) -> None:
    rows = []
    for r in results:
        c = r["config"]
        rows.append(f"| {c.dataset} | `{r['file']}` ({r['bytes'] / 1e6:.2f} MB) | {r['train_n']:,} | "
                    f"{r['test_n']:,} | {c.epochs} | {r['steps']:,} | {r['train_acc']:.2%} | "
                    f"{r['test_acc']:.2%} | {r['seconds']:.0f} s |")
    c0 = results[0]["config"]
    params = sum(p.numel() for p in build(c0).parameters())
    text = CARD.format(c=c0.channels, f=c0.feature_dim, p=params, host=platform.machine(),
                       rows="\n".join(rows))
    (pretrained_dir() / "classifier.md").write_text(text)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--datasets", nargs="+", default=["mnist", "digits"])
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    results = [train_one(d) for d in args.datasets]
    write_card(results)


if __name__ == "__main__":
    main()
