"""Words for images: what GenLab's digit classifier reads in them, for text alternatives (WCAG 1.1.1).

A screen-reader user hears "VAE decoder output at z = (0.30, -1.20): looks like a 3 (classifier 97% sure)"
instead of nothing. The words come from the shipped classifier, so they are a measurement, not a caption
written by hand; when it is unsure (top probability under 50%) the text says so.
"""

from __future__ import annotations

from collections import Counter

import torch

SURE = 0.5


def _predict(x: torch.Tensor, dataset: str) -> tuple[list[int], list[float], tuple[str, ...]] | None:
    try:
        from . import load_classifier

        net = load_classifier(dataset)
    except Exception:  # noqa: BLE001 - no classifier for this dataset here: describe without it
        return None
    with torch.no_grad():
        p = torch.softmax(net(x.float().to(next(net.parameters()).device)), dim=1).cpu()
    top, cls = p.max(dim=1)
    names = tuple(str(i) for i in range(p.shape[1])) if dataset in ("mnist", "digits") else None
    if names is None:
        from torchvision.datasets import FashionMNIST

        names = tuple(FashionMNIST.classes)
    return cls.tolist(), top.tolist(), names


def looks_like(x: torch.Tensor, dataset: str) -> list[str]:
    """One phrase per image of x (N, 1, H, W) in [0, 1]: 'looks like a 3 (classifier 97% sure)'."""
    pred = _predict(x, dataset)
    if pred is None:
        return ["an image"] * len(x)
    cls, top, names = pred
    return [f"looks like a {names[c]} (classifier {p:.0%} sure)" if p >= SURE
            else f"no clear digit (the classifier's best guess, {names[c]}, at {p:.0%})" for c, p in zip(cls, top)]


def summary(x: torch.Tensor, dataset: str) -> str:
    """What a grid of images holds: 'the classifier reads 0 x3, 1 x5, ...; 4 unclear'."""
    pred = _predict(x, dataset)
    if pred is None:
        return f"{len(x)} images"
    cls, top, names = pred
    counts = Counter(names[c] for c, p in zip(cls, top) if p >= SURE)
    unclear = sum(p < SURE for p in top)
    parts = ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
    return f"the classifier reads {parts or 'nothing clearly'}" + (f"; {unclear} unclear" if unclear else "")


def sequence(x: torch.Tensor, dataset: str) -> str:
    """The classes along a strip of images, in order: 'reads as 3, 3, 5, 8, 8' (? where unsure)."""
    pred = _predict(x, dataset)
    if pred is None:
        return f"{len(x)} images"
    cls, top, names = pred
    return "reads as " + ", ".join(names[c] if p >= SURE else "?" for c, p in zip(cls, top))
