"""Frozen configs of the denoising networks: every field that defines the weights, training included."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DnCNNConfig:
    """A small DnCNN-family photo denoiser (Zhang et al. 2017, with FFDNet's 2x2 pixel-unshuffle).

    Attributes:
        depth: number of 3x3 conv layers (first and last included).
        width: feature channels of the hidden layers.
        patch: side of the random square training crops (pixels).
        batch: patches per step.
        steps: optimiser steps: the training budget (counted in steps, never in seconds, so a config names
            the same weights on every machine).
        lr: Adam learning rate at the start; cosine-decayed to ``lr / 20``.
        sigma_max: training noise levels are uniform in [0, sigma_max] on the 0-255 scale.
        holdout_every: every n-th Train400 image is held out for evaluation.
        seed: seed of initialisation, crops and noise.
        parent: the config whose trained network this one starts from (same depth and width), or None
            to start from a fresh initialisation. Training a trained network for another cosine cycle
            from a lower learning rate is a warm restart (Loshchilov & Hutter 2017, "SGDR").
    """

    depth: int = 12
    width: int = 48
    patch: int = 40
    batch: int = 64
    steps: int = 12000
    lr: float = 1e-3
    sigma_max: float = 50.0
    holdout_every: int = 20
    seed: int = 0
    parent: DnCNNConfig | None = None

    def __post_init__(self):
        p = self.parent
        if p is not None and (p.depth, p.width) != (self.depth, self.width):
            raise ValueError(f"A DnCNN starts from a parent of the same shape: parent is {p.depth}x{p.width}, "
                             f"this config {self.depth}x{self.width}.")


@dataclass(frozen=True)
class DAEConfig:
    """One of the book's denoising autoencoders for 28x28 MNIST-like images.

    Attributes:
        kind: ``"dense"`` (784-hidden-code-hidden-784) or ``"conv"`` (16-32-64 convs to a 64x3x3 code).
        noise: ``"gaussian"`` (x + sigma * eps) or ``"dropout"`` (pixels zeroed with probability p).
        noise_level: sigma on [0, 1] for Gaussian noise, or the dropout probability p.
        hidden: dense only: width of the hidden layers (the book uses 100).
        code: dense only: size of the code (the book uses 30).
        epochs: passes over the 8,000 MNIST training images.
        batch: images per step.
        lr: Adam learning rate.
        seed: seed of initialisation, shuffling and noise.
    """

    kind: str = "conv"
    noise: str = "gaussian"
    noise_level: float = 0.5
    hidden: int = 256
    code: int = 64
    epochs: int = 20
    batch: int = 64
    lr: float = 1e-3
    seed: int = 0


# The weights GenLab ships (trained by ``python -m models.denoise.train``): a first cosine cycle from a
# fresh network (27 minutes on 2 CPU cores), then a warm restart from its weights: 44,193 steps (that run
# was planned as 60,000 steps capped at 100 minutes; the cap stopped it, and its learning rate followed the
# clock: the model card keeps that history; the weights are the same).
DNCNN_BASE = DnCNNConfig()
DNCNN_CONFIG = DnCNNConfig(steps=44193, lr=3e-4, seed=1, parent=DNCNN_BASE)
# Dense and convolutional DAEs for Gaussian noise (sigma = 0.5); the dense one also for dropout (p = 0.5).
DAE_CONFIGS = (
    DAEConfig(kind="dense", noise="gaussian", noise_level=0.5),
    DAEConfig(kind="conv", noise="gaussian", noise_level=0.5, epochs=10),
    DAEConfig(kind="dense", noise="dropout", noise_level=0.5),
)
# Not shipped: the convolutional DAE trained on dropout noise collapsed to a near-constant output in three
# runs here (seeds 0 and 1, lr 1e-3 and 3e-4; held-out PSNR ~10 dB), so dropout-noise digits use the
# convolutional DAE trained on Gaussian noise, and the page says so.


def dae_config(kind: str, noise: str) -> DAEConfig:
    """The shipped DAE of a kind (``dense``/``conv``) for a noise (``gaussian``/``dropout``).

    Falls back to the Gaussian-noise DAE of that kind when none was shipped for ``noise``
    (check ``.noise`` of the result).
    """
    for wanted in (noise, "gaussian"):
        for config in DAE_CONFIGS:
            if config.kind == kind and config.noise == wanted:
                return config
    raise ValueError(f"No shipped DAE for kind={kind!r}.")
