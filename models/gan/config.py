"""Frozen configurations for the GAN family: 2D toy runs and image GANs (stored in checkpoints)."""

from __future__ import annotations

from dataclasses import dataclass

LOSSES = ("minimax", "nonsat", "lsgan", "wgan-gp")
LOSS_LABELS = {
    "minimax": "Original minimax (saturating)",
    "nonsat": "Non-saturating",
    "lsgan": "Least squares (LSGAN)",
    "wgan-gp": "Wasserstein with gradient penalty (WGAN-GP)",
}
OPTIMIZERS = ("adam", "sgd", "rmsprop")
ACTIVATIONS = ("relu", "leaky_relu", "tanh")
Z_DISTS = ("gaussian", "uniform")
TOY_NAMES = ("ring8", "grid25", "moons", "spiral", "custom")
IMAGE_KINDS = ("dense", "dcgan", "cgan")
IMAGE_KIND_LABELS = {
    "dense": "Dense GAN (book: codings 30, layers 100/150)",
    "dcgan": "DCGAN (transposed convolutions)",
    "cgan": "Conditional GAN (class label in)",
}


@dataclass(frozen=True)
class ToyConfig:
    """One 2D toy GAN run.

    Attributes:
        toy: one of ``TOY_NAMES`` (``custom`` means the points the user drew or pasted).
        loss: one of ``LOSSES``.
        k_d: discriminator (critic) updates per generator update, >= 1.
        gp_lambda: WGAN-GP penalty weight lambda (Gulrajani et al. 2017 use 10 for images, 0.1 on toys).
        d_opt, g_opt: ``adam`` (betas 0.5, 0.9), ``sgd`` or ``rmsprop``.
        d_lr, g_lr: learning rates, > 0.
        hidden_layers, width: both networks' hidden layers and their width.
        activation: hidden activation (``relu``, ``leaky_relu``, ``tanh``).
        z_dim: noise dimension, >= 1; z_dist: ``gaussian`` N(0, I) or ``uniform`` U(-1, 1).
        batch: real and generated points per update.
        seed: fixes initial weights, data pool and noise.
    """

    toy: str = "ring8"
    loss: str = "nonsat"
    k_d: int = 1
    gp_lambda: float = 0.1
    d_opt: str = "adam"
    g_opt: str = "adam"
    d_lr: float = 1e-3
    g_lr: float = 1e-3
    hidden_layers: int = 2
    width: int = 32
    activation: str = "relu"
    z_dim: int = 2
    z_dist: str = "gaussian"
    batch: int = 256
    seed: int = 0

    def __post_init__(self):
        problems = []
        if self.toy not in TOY_NAMES:
            problems.append(f"toy must be one of {', '.join(TOY_NAMES)}, got {self.toy!r}")
        if self.loss not in LOSSES:
            problems.append(f"loss must be one of {', '.join(LOSSES)}, got {self.loss!r}")
        for name in ("d_opt", "g_opt"):
            if getattr(self, name) not in OPTIMIZERS:
                problems.append(f"{name} must be one of {', '.join(OPTIMIZERS)}")
        if self.activation not in ACTIVATIONS:
            problems.append(f"activation must be one of {', '.join(ACTIVATIONS)}")
        if self.z_dist not in Z_DISTS:
            problems.append(f"z_dist must be one of {', '.join(Z_DISTS)}")
        if not (self.d_lr > 0 and self.g_lr > 0):
            problems.append("learning rates must be > 0")
        if self.k_d < 1 or self.hidden_layers < 0 or self.width < 1 or self.z_dim < 1 or self.batch < 2:
            problems.append("k_d >= 1, hidden_layers >= 0, width >= 1, z_dim >= 1 and batch >= 2 are required")
        if self.gp_lambda < 0:
            problems.append("gp_lambda must be >= 0")
        if problems:
            raise ValueError("Invalid GAN settings: " + "; ".join(problems) + ".")


@dataclass(frozen=True)
class ImageGANConfig:
    """An image GAN: architecture, data and training (the checkpoint's name is derived from it).

    Attributes:
        kind: ``dense`` (HOML ch. 17: codings 30, layers 100/150, SELU), ``dcgan`` or ``cgan``.
        dataset: ``digits``, ``mnist`` or ``fashion`` (the training split of :func:`models.data.load_images`).
        codings: noise dimension of z.
        loss: one of ``LOSSES`` (``nonsat`` is the book's binary cross-entropy set-up).
        lr: Adam learning rate for both networks (betas 0.5, 0.999 as in DCGAN, Radford et al. 2016).
        batch: images per update.
        steps: generator updates when trained to completion (``fit``).
        seed: fixes initial weights and the data order.
    """

    kind: str = "dense"
    dataset: str = "mnist"
    codings: int = 30
    loss: str = "nonsat"
    lr: float = 1e-3
    batch: int = 64
    steps: int = 4000
    seed: int = 0

    def __post_init__(self):
        if self.kind not in IMAGE_KINDS:
            raise ValueError(f"kind must be one of {', '.join(IMAGE_KINDS)}, got {self.kind!r}.")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {self.loss!r}.")
        if self.codings < 1 or self.batch < 2 or self.steps < 1 or not self.lr > 0:
            raise ValueError("codings >= 1, batch >= 2, steps >= 1 and lr > 0 are required.")
