"""Unsupervised pretraining with few labels (HOML ch. 17, "Unsupervised Pretraining Using Stacked
Autoencoders"; Erhan et al. 2010).

An autoencoder learns an encoder from *all* the unlabelled training images. A classifier
softmax(V f(x) + c) on its (standardised) codes is then trained on a fraction of the labels (1%, 10%,
100%), with the pretrained encoder frozen (or fine-tuned), and compared with the very same network
started from random weights and trained end to end ("scratch"). With few labels the pretrained codes
generalise better; with more labels scratch catches up and passes it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Generator, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..seed import seeded_init


FRACTIONS = (0.01, 0.1, 1.0)
INITS = ("pretrained", "scratch")


class CodeClassifier(nn.Module):
    """The autoencoder's encoder f, its codes standardised, then a linear softmax layer.

        logits = V (f(x) - m) / s + c

    m and s are the mean and standard deviation of the codes over the *unlabelled* training images (no
    labels needed, so a fair part of the unsupervised stage); the scratch twin standardises its own random
    codes the same way.

    Args:
        autoencoder: the trained autoencoder whose encoder is reused (it is copied, never modified).
        x_unlabelled: (N, C, H, W) images for the code statistics.
        n_classes: number of classes.
        pretrained: keep the encoder weights (True) or re-initialise every layer at random (False, "scratch").
        freeze: keep the pretrained encoder fixed and train only the softmax layer.
        seed: initialisation seed for the random parts.
    """

    def __init__(self, autoencoder: nn.Module, x_unlabelled: torch.Tensor, n_classes: int = 10, *,
                 pretrained: bool, freeze: bool = False, seed: int = 0):
        super().__init__()
        with seeded_init(seed):  # the re-drawn layers and the head depend on the seed alone
            self.autoencoder = copy.deepcopy(autoencoder)
            if not pretrained:
                for module in self.autoencoder.modules():
                    if module is not self.autoencoder and hasattr(module, "reset_parameters"):
                        module.reset_parameters()
            if freeze and pretrained:
                self.autoencoder.requires_grad_(False)
            with torch.no_grad():
                device = next(self.autoencoder.parameters()).device
                z = torch.cat([self.autoencoder.encode(x_unlabelled[i:i + 1024].to(device))
                               for i in range(0, len(x_unlabelled), 1024)])  # (N, k)
            self.register_buffer("code_mean", z.mean(0))
            self.register_buffer("code_std", z.std(0).clamp_min(1e-6))
            self.head = nn.Linear(z.shape[1], n_classes)

    def encoder_parameters(self) -> list[nn.Parameter]:
        return [p for p in self.autoencoder.parameters() if p.requires_grad]

    def forward(self, x0: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) -> logits (B, n_classes)."""
        z = self.autoencoder.encode(x0)  # (B, k)
        return self.head((z - self.code_mean) / self.code_std)


def label_subset(y: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """Indices of a class-stratified random subset holding ``fraction`` of the labels (>= 1 per class).

    Args:
        y: (N,) integer labels.
        fraction: in (0, 1].
    Returns:
        sorted indices into y.
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"The fraction of labels must be in (0, 1], got {fraction}.")
    rng = np.random.default_rng(seed)
    picked = []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        n = max(1, int(round(fraction * len(members))))
        picked.append(rng.choice(members, size=n, replace=False))
    return np.sort(np.concatenate(picked))


@torch.no_grad()
def accuracy(model: nn.Module, x0: torch.Tensor, y: torch.Tensor, batch_size: int = 1024) -> float:
    """Fraction of (N, C, H, W) images whose argmax logit equals the label."""
    device = next(model.parameters()).device
    model.eval()
    hits = sum(int((model(x0[i:i + batch_size].to(device)).argmax(1).cpu() == y[i:i + batch_size]).sum())
               for i in range(0, len(x0), batch_size))
    return hits / len(x0)


@dataclass(frozen=True)
class Curve:
    """Held-out accuracy of one classifier as training goes on."""

    fraction: float
    init: str
    n_labels: int
    steps: np.ndarray
    acc: np.ndarray

    @property
    def final(self) -> float:
        return float(self.acc[-1])


@dataclass(frozen=True)
class PretrainState:
    """Progress of :func:`compare`: the curves finished so far and the one being trained."""

    done_runs: int
    total_runs: int
    curves: tuple[Curve, ...]


def train_classifier(model: CodeClassifier, x0: torch.Tensor, y: torch.Tensor, x_test: torch.Tensor,
                     y_test: torch.Tensor, *, steps: int, lr: float, batch_size: int, eval_every: int,
                     seed: int, encoder_lr: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Adam on cross-entropy; returns (steps, held-out accuracy) evaluated every ``eval_every`` steps.

    ``encoder_lr`` (default ``lr``) is the encoder's own learning rate: fine-tuning a pretrained encoder
    gently keeps what it learnt without labels.
    """
    device = next(model.parameters()).device
    encoder = model.encoder_parameters()
    groups = [{"params": list(model.head.parameters()), "lr": lr}]
    if encoder:
        groups.append({"params": encoder, "lr": lr if encoder_lr is None else encoder_lr})
    opt = torch.optim.Adam(groups)
    gen = torch.Generator().manual_seed(seed)
    xs, ys = x0.to(device), y.to(device)
    marks, accs = [0], [accuracy(model, x_test, y_test)]
    for step in range(1, steps + 1):
        idx = torch.randint(len(xs), (min(batch_size, len(xs)),), generator=gen).to(device)
        model.train()
        loss = F.cross_entropy(model(xs[idx]), ys[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % eval_every == 0 or step == steps:
            marks.append(step)
            accs.append(accuracy(model, x_test, y_test))
    return np.asarray(marks), np.asarray(accs)


def compare(autoencoder: nn.Module, x_train: torch.Tensor, y_train: torch.Tensor, x_test: torch.Tensor,
            y_test: torch.Tensor, *, fractions: Sequence[float] = FRACTIONS, steps: int = 300,
            lr: float = 3e-3, batch_size: int = 64, eval_every: int = 25, freeze: bool = True,
            finetune_scale: float = 1.0, seed: int = 0) -> Generator[PretrainState, None, None]:
    """Train pretrained and scratch classifiers for every label fraction, yielding after each one.

    Args:
        autoencoder: a trained autoencoder of the zoo (its encoder is copied, never modified).
        x_train, y_train: the labelled pool (N, C, H, W), (N,); a stratified subset is used per fraction.
        x_test, y_test: held-out images for the accuracy curves.
        freeze: train only the softmax layer on top of the pretrained encoder (scratch always trains all).
        finetune_scale: the pretrained encoder learns at ``finetune_scale * lr`` (scratch always at ``lr``).
    """
    device = next(autoencoder.parameters()).device
    curves: list[Curve] = []
    total = len(fractions) * len(INITS)
    yield PretrainState(0, total, ())
    for fraction in fractions:
        idx = torch.from_numpy(label_subset(y_train.numpy(), fraction, seed))
        for init in INITS:
            clf = CodeClassifier(autoencoder, x_train, int(y_train.max()) + 1, pretrained=init == "pretrained",
                                 freeze=freeze, seed=seed).to(device)
            enc_lr = lr * finetune_scale if init == "pretrained" else lr
            marks, accs = train_classifier(clf, x_train[idx], y_train[idx], x_test, y_test, steps=steps, lr=lr,
                                           batch_size=batch_size, eval_every=eval_every, seed=seed,
                                           encoder_lr=enc_lr)
            curves.append(Curve(fraction, init, len(idx), marks, accs))
            yield PretrainState(len(curves), total, tuple(curves))
