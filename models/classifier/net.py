"""The classifier network: three 3x3 convolutions, a 128-d penultimate layer, 10 logits."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .config import ClassifierConfig
from ..seed import seeded_init


class DigitCNN(nn.Module):
    """Small CNN for grayscale digits, with the penultimate layer exposed as :meth:`features`.

    Inputs of any size and 1 or 3 channels are accepted: they are converted to grayscale
    (BT.601 luma) and resized (bilinear, antialiased) to the native size first, see :meth:`prepare`.
    """

    def __init__(self, config: ClassifierConfig, n_classes: int = 10):
        super().__init__()
        self.config = config
        c1, c2, c3 = config.channels
        # 28x28 inputs are pooled after the first conv to keep the cost low; 8x8 inputs are not.
        pool1 = nn.MaxPool2d(2) if config.size >= 16 else nn.Identity()
        self.body = nn.Sequential(
            nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(), pool1,
            nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c2, c3, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(3),
            nn.Flatten(),
        )
        self.fc = nn.Linear(c3 * 9, config.feature_dim)
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.feature_dim, n_classes)

    def prepare(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W) in [0, 1], C in {1, 3} -> (N, 1, S, S) at the native size S."""
        if x.dim() != 4 or x.shape[1] not in (1, 3):
            raise ValueError(f"expected images of shape (N, 1 or 3, H, W), got {tuple(x.shape)}.")
        x = x.to(self.fc.weight.dtype)  # float32 as trained; float64 for a float64 copy (path lengths)
        if x.shape[1] == 3:
            w = torch.tensor([0.299, 0.587, 0.114], device=x.device, dtype=x.dtype).view(1, 3, 1, 1)
            x = (x * w).sum(1, keepdim=True)
        s = self.config.size
        if x.shape[-2:] != (s, s):
            x = F.interpolate(x, size=(s, s), mode="bilinear", align_corners=False, antialias=True)
        return x

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate activations h = ReLU(W conv(x) + b).

        Args:
            x: (N, C, H, W) in [0, 1].
        Returns:
            (N, feature_dim), non-negative.
        """
        x = self.prepare(x) - 0.5  # centre the inputs; the network is trained this way
        return F.relu(self.fc(self.body(x)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits, (N, C, H, W) in [0, 1] -> (N, n_classes); softmax gives p(y | x)."""
        return self.head(self.drop(self.features(x)))


def build(config: ClassifierConfig) -> DigitCNN:
    """A freshly initialised network for ``config`` (seeded, so builds are reproducible)."""
    with seeded_init(config.seed):
        return DigitCNN(config)
