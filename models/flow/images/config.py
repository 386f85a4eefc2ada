"""The configuration of the MNIST flow-matching U-Net; its hash names the weights file."""

from __future__ import annotations

from dataclasses import dataclass

NUM_CLASSES = 10
NULL = NUM_CLASSES  # the label of the empty condition (classifier-free guidance's "no label")


@dataclass(frozen=True)
class ImageFlowConfig:
    """Everything that defines a trained v_theta(x_t, t, y).

    Attributes:
        dataset: ``"mnist"`` (28x28, trained on GenLab's MNIST training images).
        base, mults, patch: the U-Net (:class:`models.diffusion.unet.UNet`): channels base * mults[i] at
            level i, patch x patch pixel blocks folded into channels.
        steps, batch_size, lr, warmup: Adam steps, images per step, learning rate after a linear warm-up.
        ema_decay: decay of the weights' exponential moving average (what samples).
        p_uncond: probability of training on the empty label (Ho & Salimans 2022: 0.1-0.2), so the one
            network also predicts the unconditional velocity v(x, t, none) that guidance needs.
        seed: initial weights and every draw of the training.
    """

    dataset: str = "mnist"
    base: int = 24
    mults: tuple[int, ...] = (1, 2, 2)
    patch: int = 2
    steps: int = 10000
    batch_size: int = 64
    lr: float = 2e-3
    warmup: int = 200
    ema_decay: float = 0.999
    p_uncond: float = 0.1
    seed: int = 0

    def __post_init__(self):
        if self.dataset != "mnist":
            raise ValueError("The flow-matching U-Net trains on MNIST only (dataset='mnist').")
        if not 0.0 <= self.p_uncond < 1.0:
            raise ValueError(f"p_uncond must be in [0, 1), got {self.p_uncond}.")
        if self.steps < 1 or self.batch_size < 1:
            raise ValueError("steps and batch_size must be at least 1.")
