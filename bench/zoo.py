"""Benchmark: training time per autoencoder variant on the CPU (the zoo page's live training).

Each figure is the median over repeats of the wall time of ``steps`` training steps (batch 64, digits 8x8,
code 8; MNIST 28x28, batch 128, code 16), with min/max in the note. The anchor is the plain stacked
autoencoder, so the ratio says how much each variant's extra machinery costs.
"""

from __future__ import annotations

import statistics
import time

import torch

from models.data import load_images
from models.zoo.config import VARIANTS, digits_config, mnist_config
from models.zoo.training import VariantTrainer, batches
from models.zoo.variants import build


def _time_variant(config, x: torch.Tensor, repeats: int) -> list[float]:
    times = []
    for r in range(repeats):
        trainer = VariantTrainer(config, build(config), torch.device("cpu"))
        t0 = time.perf_counter()
        for idx in batches(len(x), config.batch_size, config.steps, config.seed + r):
            trainer.step(x[idx])
        times.append(time.perf_counter() - t0)
    return times


def rows(quick: bool) -> list[dict]:
    torch.set_num_threads(1)
    out = []
    settings = [("digits", digits_config, 50 if quick else 100, 1 if quick else 5),  # 50 ms each: 5 repeats
                ("mnist", mnist_config, 10 if quick else 30, 1 if quick else 3)][: 1 if quick else 2]
    for name, make, steps, repeats in settings:
        x = load_images(name, "train").x
        medians = {}
        for v in VARIANTS:
            ts = _time_variant(make(v, steps=steps), x, repeats)
            medians[v] = statistics.median(ts)
            out.append({"area": "zoo", "measure": f"train {v}, {steps} steps on {name}",
                        "value": round(medians[v], 3), "unit": "s",
                        "anchor": f"stacked, {steps} steps", "anchor_value": None, "ratio": None,
                        "goal": "all ten variants on digits in well under a minute (live page)",
                        "note": f"median of {repeats}, min {min(ts):.3f} s, max {max(ts):.3f} s, "
                                f"{1000 * medians[v] / steps:.2f} ms/step, 1 CPU thread"})
        for row in out[-len(VARIANTS):]:
            row["anchor_value"] = round(medians["stacked"], 3)
            row["ratio"] = round(row["value"] / medians["stacked"], 2)
    return out


if __name__ == "__main__":
    for r in rows(quick=True):
        print(r)
