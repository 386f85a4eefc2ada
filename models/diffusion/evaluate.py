"""Sample quality of a trained diffusion model, judged by the project's own digit classifier.

The acceptance test of the DDPM page: of 1,000 DDIM-50 samples, at least 80 % get a class with
probability > 0.9, and every class takes at least 4 % of the samples. The same classifier on the held-out
real images gives the reference figure.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch

from ..threads import limit_this_thread
from ..checkpoints import load_checkpoint, weight_paths
from .store import repair, save_weights as save_checkpoint
from .config import DiffusionConfig
from .samplers import as_eps_fn, last, sample_steps
from .schedules import make_schedule
from .forward import to_pixels


@dataclass(frozen=True)
class Quality:
    """Classifier verdict on a set of images.

    Attributes:
        n: images scored.
        confident: fraction whose top class probability exceeds ``threshold``.
        class_fractions: fraction of images per predicted class (10 values).
        min_class_fraction: the smallest of them.
    """

    n: int
    threshold: float
    confident: float
    class_fractions: tuple[float, ...]
    min_class_fraction: float


@torch.no_grad()
def classifier_quality(x: torch.Tensor, classifier: torch.nn.Module, threshold: float = 0.9,
                       batch: int = 500) -> Quality:
    """Score images x (N, 1, H, W) in [0, 1]: softmax of the classifier's logits, top-class statistics."""
    probs = torch.cat([torch.softmax(classifier(x[i:i + batch]), dim=1) for i in range(0, len(x), batch)])
    top, cls = probs.max(dim=1)
    frac = torch.bincount(cls, minlength=probs.shape[1]).double() / len(x)
    return Quality(len(x), threshold, float((top > threshold).double().mean()),
                   tuple(round(float(f), 4) for f in frac), float(frac.min()))


@torch.no_grad()
def generate(model: torch.nn.Module, config: DiffusionConfig, n: int, steps: int = 50, seed: int = 0,
             batch: int = 250) -> torch.Tensor:
    """n DDIM samples, (n, 1, H, W) in [0, 1], in batches (fixed seeds: reproducible)."""
    size = 8 if config.dataset == "digits" else 28
    sched = make_schedule(config.schedule, config.T)
    out = []
    for i in range(0, n, batch):
        b = min(batch, n - i)
        x_T = torch.randn((b, 1, size, size), generator=torch.Generator().manual_seed(seed + i))
        out.append(to_pixels(last(sample_steps(as_eps_fn(model.eval()), sched, x_T, "ddim", steps)).x_t))
    return torch.cat(out)


def evaluate_and_store(config: DiffusionConfig, n: int = 1000, log=print) -> dict:
    """Score the shipped weights of ``config`` and add the figures to the checkpoint's metrics."""
    import time

    from ..classifier import load_classifier
    from ..data import load_images
    from .training import build

    limit_this_thread(1)
    path = weight_paths(config)[0]
    repair(path, config)  # files written by an older train.py stored the config with tuples
    payload = load_checkpoint(path, config)
    model = build(config)
    model.load_state_dict(payload["state_dict"])
    clf = load_classifier(config.dataset, torch.device("cpu")).eval()
    t0 = time.perf_counter()
    samples = generate(model, config, n)
    gen_s = time.perf_counter() - t0
    q = classifier_quality(samples, clf)
    real = classifier_quality(load_images(config.dataset, "test").x, clf)
    metrics = dict(payload["metrics"])
    if "heldout_loss" not in metrics:  # a run stopped between checkpoints: measure it as train.py does
        from .training import heldout_loss

        metrics["heldout_loss"] = heldout_loss(model, config, load_images(config.dataset, "test").x[:1000],
                                               torch.device("cpu"), n_t=5)
    metrics.update({"ddim50": asdict(q), "heldout_real": asdict(real), "eval_wall_s": round(gen_s, 1)})
    save_checkpoint(path, model, config, metrics)
    _save_grid(samples[:64], path.parent / f"diffusion_samples_{config.dataset}.png")
    log(f"{config.dataset}: {q.confident:.1%} of {n} DDIM-50 samples confident (>0.9); min class "
        f"{q.min_class_fraction:.1%}; held-out real {real.confident:.1%}")
    return metrics


def _save_grid(x: torch.Tensor, path) -> None:
    """An 8x8 grid PNG of samples for the model card (nearest-neighbour upscaled to >= 28 px)."""
    import numpy as np
    from PIL import Image

    n, _, h, w = x.shape
    cols = 8
    rows = (n + cols - 1) // cols
    grid = np.zeros((rows * (h + 1), cols * (w + 1)), dtype=np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        grid[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = (x[i, 0].numpy() * 255).round()
    img = Image.fromarray(grid)
    scale = max(1, 28 // h)
    img.resize((img.width * scale, img.height * scale), Image.NEAREST).save(path)
