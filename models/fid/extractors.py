"""Feature extractors for FID: Inception-v3 pool3, GenLab's MNIST classifier, raw pixels.

Each maps images in [0, 1] to one feature vector per image (and, where the network classifies, class
probabilities for the Inception Score). Images arrive as a tensor (N, C, H, W) or as a list of
(H, W, C) arrays of possibly different sizes (uploads); they are processed in batches of one size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

import numpy as np
import torch

Images = torch.Tensor | Sequence[np.ndarray]
OnBatch = Callable[[int, int], None]  # on_batch(images_done, images_total)


@dataclass(frozen=True)
class ExtractorInfo:
    """What the page and the command say about an extractor."""

    name: str
    label: str
    dim: int
    has_classes: bool
    note: str
    kid_scale: float = 1.0  # KID divides the features by this (see MNIST_FEATURE_RMS)


# KID's kernel (x . y / d + 1)^3 (Binkowski et al. 2018, for Inception's pool3 features) mixes degrees 0 to 3
# only while x . y / d is about 1 or less. GenLab's classifier features are larger: their RMS on real MNIST is
# 2.75 (x . x / d = 7.6), where the kernel is nearly the pure cubic (x . y / d)^3: KID came out about 100 times
# larger (KID x 1000 = 2.6e4 for the page's default noisy images, 2.5e2 after the division) and the longest
# feature vectors dominate it. KID therefore divides these features by 2.75 first (a fixed constant, measured
# on 2,000 MNIST training images and checked by tests/fid/test_claims.py), so that real digits have
# x . x / d = 1. FID uses the raw features; Inception's and the pixels' are used as they are (pixels in [0, 1]: x . y / d <= 1).
MNIST_FEATURE_RMS = 2.75


INFO = {
    "inception": ExtractorInfo("inception", "Inception-v3 pool3 (2048-d, FID standard)", 2048, True,
                               "The FID of papers: pytorch-fid's network and weights; images are resized "
                               "to 299x299. Slow on a CPU."),
    "mnist": ExtractorInfo("mnist", "GenLab MNIST classifier (128-d)", 128, True,
                           "The penultimate layer of GenLab's own digit classifier; fast on a CPU. Its FID "
                           "values are NOT comparable with Inception FID or with papers. KID divides these "
                           f"features by {MNIST_FEATURE_RMS} (their RMS on MNIST) so that its kernel sees "
                           "values about 1.", MNIST_FEATURE_RMS),
    "pixels": ExtractorInfo("pixels", "Raw pixels (grayscale, H*W-d)", 0, False,
                            "Each image's grayscale values in [0, 1], flattened (all images one size). "
                            "For teaching: pixel distance ignores what the image shows."),
}
EXTRACTORS = tuple(INFO)


@dataclass
class Extracted:
    """features (N, d) float64; probs (N, C) float64 or None; notes; kid_scale: KID uses features / kid_scale."""

    features: np.ndarray
    probs: np.ndarray | None
    notes: list[str]
    kid_scale: float = 1.0


def _gray(x: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) -> (B, 1, H, W) BT.601 luma (as PIL's convert("L") and models.imageio.to_gray)."""
    if x.shape[1] == 1:
        return x
    w = torch.tensor([0.299, 0.587, 0.114], dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    return (x[:, :3] * w).sum(1, keepdim=True)


def batches(images: Images, batch_size: int) -> Iterator[torch.Tensor]:
    """Yield (B, C, H, W) float32 tensors in order; a list is cut where the image size or channels change."""
    if isinstance(images, torch.Tensor):
        if images.dim() != 4:
            raise ValueError(f"expected images (N, C, H, W); got shape {tuple(images.shape)}.")
        for i in range(0, images.shape[0], batch_size):
            yield images[i:i + batch_size].float()
        return
    group: list[np.ndarray] = []
    for a in images:
        if group and (a.shape != group[0].shape or len(group) == batch_size):
            yield torch.from_numpy(np.stack(group)).permute(0, 3, 1, 2).float()
            group = []
        group.append(np.asarray(a, np.float32))
    if group:
        yield torch.from_numpy(np.stack(group)).permute(0, 3, 1, 2).float()


def count(images: Images) -> int:
    return int(images.shape[0]) if isinstance(images, torch.Tensor) else len(images)


def sizes(images: Images) -> set[tuple[int, int]]:
    """The distinct (H, W) sizes in a set of images."""
    if isinstance(images, torch.Tensor):
        return {tuple(images.shape[-2:])}
    return {tuple(a.shape[:2]) for a in images}


def extract(name: str, images: Images, *, device: torch.device | str | None = None, batch_size: int = 50,
            on_batch: OnBatch | None = None) -> Extracted:
    """Features (and class probabilities) of every image.

    Args:
        name: ``"inception"``, ``"mnist"`` or ``"pixels"``.
        images: tensor (N, C, H, W) or list of (H, W, C) arrays, values in [0, 1], C = 1 or 3.
        device: where the network runs (default: models.device.pick_device()).
    Returns:
        :class:`Extracted` with features (N, d) float64.
    Raises:
        ValueError: unknown extractor, no images, or (pixels) images of different sizes.
        models.fid.inception.InceptionUnavailable: Inception weights or pytorch-fid missing.
    """
    if name not in INFO:
        raise ValueError(f"Unknown feature extractor {name!r}; choose one of {', '.join(EXTRACTORS)}.")
    total = count(images)
    if total == 0:
        raise ValueError("There are no images to compute features of.")
    if name == "pixels" and len(sizes(images)) > 1:
        found = ", ".join(f"{w}x{h}" for h, w in sorted(sizes(images)))
        raise ValueError(f"Raw-pixel features need all images to have one size; found {found}. Resize "
                         f"them to one size or use another extractor.")
    from ..device import pick_device

    dev = torch.device(device) if device is not None else pick_device()
    notes: list[str] = []
    net = None
    if name == "mnist":
        from ..classifier import load_classifier

        net = load_classifier("mnist", dev)
        if sizes(images) != {(28, 28)}:
            notes.append("images resized to 28x28 (bilinear, antialiased) for the MNIST classifier")
    elif name == "inception":
        from .inception import load_inception

        net, path = load_inception(dev)
        if not _standard_cached(str(path), path.stat().st_mtime):
            notes.append(f"{path.name} is not the FID-standard weights file (hash mismatch): values are "
                         f"not comparable with published FIDs")
    feats, probs, done = [], [], 0
    with torch.no_grad():
        for x in batches(images, batch_size):  # (B, C, H, W)
            x = x.to(dev)
            if name == "pixels":
                feats.append(_gray(x).flatten(1).cpu().double())
            elif name == "mnist":
                h = net.features(x)  # (B, 128)
                feats.append(h.cpu().double())
                probs.append(torch.softmax(net.head(h), 1).cpu().double())
            else:
                pool3, logits = net(x.expand(-1, 3, -1, -1) if x.shape[1] == 1 else x[:, :3])
                feats.append(pool3.cpu().double())
                probs.append(torch.softmax(logits.double(), 1).cpu())
            done += x.shape[0]
            if on_batch is not None:
                on_batch(done, total)
    return Extracted(torch.cat(feats).numpy(), torch.cat(probs).numpy() if probs else None, notes,
                     INFO[name].kid_scale)


_STANDARD: dict[tuple[str, float], bool] = {}


def _standard_cached(path: str, mtime: float) -> bool:
    from pathlib import Path

    from .inception import is_standard

    key = (path, mtime)
    if key not in _STANDARD:
        _STANDARD[key] = is_standard(Path(path))
    return _STANDARD[key]
