"""Training the classifier: AdamW, cosine decay, random affine augmentation; held-out accuracy."""

from __future__ import annotations

import math
import time

import torch
import torch.nn.functional as F

from ..checkpoints import OnStep
from ..data import load_images
from .config import ClassifierConfig
from .net import DigitCNN


def augment(x: torch.Tensor, max_shift: float, gen: torch.Generator) -> torch.Tensor:
    """Random rotation (±10°), scale (0.9-1.1) and translation (±max_shift px) of each image.

    Args:
        x: (B, 1, H, W) in [0, 1].
    Returns:
        (B, 1, H, W), zeros where the warped image leaves the frame.
    """
    b, _, h, w = x.shape
    u = torch.rand(b, 4, generator=gen) * 2 - 1  # (B, 4) in [-1, 1]
    angle = u[:, 0] * math.radians(10)
    scale = 1 + 0.1 * u[:, 1]
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    # affine_grid works in normalised coordinates, where the image spans [-1, 1]: one pixel is 2 / W.
    tx, ty = u[:, 2] * max_shift * 2 / w, u[:, 3] * max_shift * 2 / h
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)  # (B, 2, 3)
    grid = F.affine_grid(theta.to(x.device), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


@torch.no_grad()
def accuracy(model: DigitCNN, x: torch.Tensor, y: torch.Tensor, batch_size: int = 500) -> float:
    """Fraction of images whose arg-max logit is the label; x (N, 1, H, W) in [0, 1], y (N,)."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    correct = 0
    for i in range(0, len(x), batch_size):
        logits = model(x[i:i + batch_size].to(device))
        correct += int((logits.argmax(1).cpu() == y[i:i + batch_size]).sum())
    model.train(was_training)
    return correct / max(len(x), 1)


def fit(model: DigitCNN, config: ClassifierConfig, device: torch.device, on_step: OnStep | None = None) -> dict:
    """Train in place on the dataset's ``"train"`` split; report accuracy on the held-out ``"test"`` split.

    Minimises the cross-entropy -log softmax(f(x))_y over mini-batches.

    Returns:
        ``{"train_acc", "test_acc", "test_n", "train_n", "steps", "seconds"}``.
    """
    train, test = load_images(config.dataset, "train"), load_images(config.dataset, "test")
    gen = torch.Generator().manual_seed(config.seed)
    model.to(device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    n = len(train)
    per_epoch = math.ceil(n / config.batch_size)
    total = per_epoch * config.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=total, pct_start=0.15)
    t0, step = time.perf_counter(), 0
    for epoch in range(config.epochs):
        order = torch.randperm(n, generator=gen)
        for i in range(per_epoch):
            idx = order[i * config.batch_size:(i + 1) * config.batch_size]
            x0 = augment(train.x[idx], config.max_shift, gen).to(device)  # (B, 1, H, W)
            loss = F.cross_entropy(model(x0), train.y[idx].to(device))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if on_step is not None and (step % 20 == 0 or step == total):
                on_step(step, total, {"loss": loss.item(), "epoch": epoch})
    model.eval()
    return {
        "train_acc": accuracy(model, train.x, train.y),
        "test_acc": accuracy(model, test.x, test.y),
        "train_n": n, "test_n": len(test), "steps": total,
        "seconds": round(time.perf_counter() - t0, 1),
        "test_note": test.note,
    }
