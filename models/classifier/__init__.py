"""GenLab's own digit classifier: logits for MNIST-like images and a 128-d feature space for FID.

Usage::

    from models.classifier import load_classifier
    net = load_classifier("mnist")        # shipped weights from pretrained/, never trains on import
    logits = net(x)                       # x: (N, 1, H, W) in [0, 1] -> (N, 10)
    h = net.features(x)                   # (N, 128), the penultimate layer ("mnist" FID features)
"""

from __future__ import annotations

import torch

from .config import SIZES, ClassifierConfig, default_config
from .net import DigitCNN, build


def load_classifier(dataset: str = "mnist", device: torch.device | str | None = None) -> DigitCNN:
    """The trained classifier for ``dataset`` (``"mnist"``, ``"digits"``; ``"fashion"`` needs its data).

    Loads the shipped weights (or the user cache); trains only when neither exists. The model is in
    eval mode; do not train it in place (it is shared through the in-memory cache).
    """
    return load_loaded(dataset, device).model


def load_loaded(dataset: str = "mnist", device: torch.device | str | None = None):
    """Like :func:`load_classifier` but returns the :class:`models.checkpoints.Loaded` (metrics, source)."""
    from ..checkpoints import load_or_train
    from .fit import fit

    dev = torch.device(device) if isinstance(device, str) else device
    return load_or_train(default_config(dataset), build, fit, device=dev)


@torch.no_grad()
def features(x: torch.Tensor, dataset: str = "mnist", device: torch.device | str | None = None) -> torch.Tensor:
    """Penultimate-layer features of the shipped classifier, (N, C, H, W) in [0, 1] -> (N, 128)."""
    net = load_classifier(dataset, device)
    return net.features(x.to(next(net.parameters()).device))


__all__ = ["ClassifierConfig", "DigitCNN", "SIZES", "build", "default_config", "features",
           "load_classifier", "load_loaded"]
