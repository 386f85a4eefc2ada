"""Train the shipped image GAN generators and write pretrained/gan.md.

Run: ``GENLAB_DATA_DIR=/work/shared/data python -m models.gan.train [--only mnist]``.
Only MNIST's test split is on the build machine: its first 8,000 images train, the last 2,000 are held
out to score the classifier that checks the samples (see :mod:`models.gan.image_metrics`).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from models.checkpoints import save_checkpoint, weight_paths
from models.data import load_images, pretrained_dir

from .image_metrics import class_histogram, conditional_accuracy, fit_classifier
from .image_train import build, fit
from .sampling import SHIPPED, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["mnist", "digits"], help="train one dataset's models")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    for (kind, ds), config in SHIPPED.items():
        if args.only and ds != args.only:
            continue
        train, test = load_images(ds, "train"), load_images(ds, "test")
        t0 = time.perf_counter()
        model = build(config)
        metrics = fit(model, config, torch.device("cpu"), None)
        wall = time.perf_counter() - t0
        clf, acc = fit_classifier(train.x, train.y, test.x, test.y)
        labels = np.arange(1000) % 10
        imgs = generate(model, config.codings, 1000, seed=1, labels=labels)
        hist = class_histogram(clf, imgs)
        metrics.update(wall_s=round(wall, 1), classifier_test_acc=round(acc, 4),
                       classes_present=int((hist >= 0.02).sum()), class_hist=[round(float(h), 3) for h in hist])
        if kind == "cgan":
            metrics["cond_acc"] = round(conditional_accuracy(clf, imgs, labels), 4)
        path = save_checkpoint(weight_paths(config)[0], model, config, metrics)
        rows.append((kind, ds, config, metrics, path))
        print(f"{kind}/{ds}: {metrics}", flush=True)
        write_card(rows)  # after each model, so a long run leaves a card for what is done


def write_card(rows) -> None:
    card = pretrained_dir() / "gan.md"
    old = card.read_text() if card.is_file() else ""
    lines = ["# GAN generators (GAN lab page)", "",
             "Written by `python -m models.gan.train`. Each file stores only the generator (the discriminator",
             "is not needed to sample). Adam (betas 0.5, 0.999), non-saturating loss, batch 64, codings 30,",
             "one thread on the 2-core build machine (shared with other jobs, so times are pessimistic).", "",
             "Data: MNIST's *test* split is the only MNIST on the build machine; its first 8,000 images train,",
             "the last 2,000 are held out. Digits: scikit-learn's 8x8 digits, same carving by `load_images`.", "",
             "Check: a logistic regression trained on the real training images (accuracy on the held-out split",
             "in the table) classifies 1,000 samples per model; *classes present* counts classes with >= 2% of",
             "the samples (10 = no class is missing); for the conditional GAN, *cond. acc.* is how often the",
             "requested class comes out.", "",
             "| file | kind | data | steps | wall s | size KB | classifier acc. (held out) | classes present | cond. acc. |",
             "|---|---|---|---|---|---|---|---|---|"]
    for kind, ds, config, m, path in rows:
        lines.append(f"| {path.name} | {kind} | {ds} | {m['steps']} | {m['wall_s']} | {path.stat().st_size // 1024} "
                     f"| {m['classifier_test_acc']:.3f} | {m['classes_present']} | {m.get('cond_acc', '-')} |")
    kept = [ln for ln in old.splitlines() if ln.startswith("| ") and ln.split(" | ")[0][2:].endswith(".pt")
            and not any(path.name in ln for *_, path in rows)] if old else []
    card.write_text("\n".join(lines + kept) + "\n")
    print(f"wrote {card}")


if __name__ == "__main__":
    main()
