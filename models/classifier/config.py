"""The classifier's configuration: everything that defines its weights (network, data, training)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Native input side length of each dataset the classifier is trained on.
SIZES = {"digits": 8, "mnist": 28, "fashion": 28}


@dataclass(frozen=True)
class ClassifierConfig:
    """A small CNN digit classifier; its fields name the shipped weights file.

    Attributes:
        dataset: ``"digits"`` (8x8), ``"mnist"`` or ``"fashion"`` (28x28); training split ``"train"``.
        channels: output channels of the three 3x3 convolutions.
        feature_dim: width of the penultimate layer (the FID "mnist" feature space).
        epochs, batch_size, lr, weight_decay: AdamW with a cosine learning-rate decay.
        dropout: before the last layer, during training only.
        max_shift: random translation in pixels for augmentation (plus small rotation and scale).
        seed: initialisation and batch order.
    """

    dataset: str = "mnist"
    # A list, not a tuple: checkpoints store the config through JSON-like types and compare it on load.
    channels: list[int] = field(default_factory=lambda: [32, 64, 64])
    feature_dim: int = 128
    epochs: int = 15
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-4
    dropout: float = 0.3
    max_shift: float = 2.0
    seed: int = 0

    @property
    def size(self) -> int:
        """Native side length H = W of the images the network was trained on."""
        return SIZES[self.dataset]


def default_config(dataset: str = "mnist") -> ClassifierConfig:
    """The configuration GenLab ships weights for."""
    if dataset not in SIZES:
        raise ValueError(f"No classifier for dataset {dataset!r}; choose one of {', '.join(SIZES)}.")
    if dataset == "digits":
        # 1,437 training images of 8x8: more epochs, a one-pixel shift.
        return ClassifierConfig(dataset="digits", epochs=60, batch_size=32, max_shift=1.0)
    return ClassifierConfig(dataset=dataset)
