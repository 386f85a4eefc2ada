"""Training patches from Train400: the 400 grayscale 180x180 Berkeley photos DnCNN was trained on.

The folder is ``$GENLAB_DATA_DIR/Train400``. Every ``holdout_every``-th image (sorted by name) is
held out of training and used only for evaluation, so reported PSNRs are on photos the network
never saw.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ..data.errors import DatasetUnavailable
from ..data.paths import data_dir

SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")


def train400_dir(root: str | Path | None = None) -> Path:
    """The Train400 folder: ``<root>/Train400`` (default root: ``GENLAB_DATA_DIR``)."""
    return (Path(root) if root is not None else data_dir()) / "Train400"


@functools.lru_cache(maxsize=2)
def _load(folder: str) -> tuple[tuple[str, ...], np.ndarray]:
    path = Path(folder)
    files = sorted(p for p in path.glob("*") if p.suffix.lower() in SUFFIXES) if path.is_dir() else []
    if not files:
        raise DatasetUnavailable(
            f"No Train400 photos found in {path}. Put the 400 grayscale Berkeley training images "
            "(test_001.png ... test_400.png) there, or set GENLAB_DATA_DIR to the folder that holds Train400/.")
    arrays = [np.asarray(Image.open(p).convert("L"), dtype=np.uint8) for p in files]
    shapes = {a.shape for a in arrays}
    if len(shapes) != 1:
        raise DatasetUnavailable(f"Train400 images in {path} differ in size ({sorted(shapes)[:3]}...); expected 180x180.")
    return tuple(p.name for p in files), np.stack(arrays)


def load_train400(root: str | Path | None = None) -> tuple[tuple[str, ...], np.ndarray]:
    """All Train400 photos.

    Returns:
        (names, images): file names, and uint8 images of shape (N, H, W) (N = 400, H = W = 180).

    Raises:
        DatasetUnavailable: the folder is missing or empty; the message says where to put it.
    """
    return _load(str(train400_dir(root).resolve()))


def split_indices(n: int, holdout_every: int) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, held-out indices): every ``holdout_every``-th image, starting at 0, is held out."""
    idx = np.arange(n)
    held = idx % holdout_every == 0
    return idx[~held], idx[held]


def sample_patches(images: np.ndarray, n: int, patch: int, gen: torch.Generator) -> torch.Tensor:
    """Random square crops with random flips and 90-degree rotations (the 8 dihedral symmetries).

    Args:
        images: (N, H, W) uint8 photos.
        n: number of patches.
        patch: side of a patch in pixels (<= H, W).
        gen: torch generator (reproducible sampling).

    Returns:
        (n, 1, patch, patch) float32 in [0, 1].
    """
    N, H, W = images.shape
    if patch > min(H, W):
        raise ValueError(f"patch {patch} is larger than the {H}x{W} photos.")
    pick = torch.randint(0, N, (n,), generator=gen).numpy()
    top = torch.randint(0, H - patch + 1, (n,), generator=gen).numpy()
    left = torch.randint(0, W - patch + 1, (n,), generator=gen).numpy()
    flips = torch.randint(0, 8, (n,), generator=gen).numpy()
    out = np.empty((n, patch, patch), dtype=np.uint8)
    for i in range(n):
        crop = images[pick[i], top[i]:top[i] + patch, left[i]:left[i] + patch]
        crop = np.rot90(crop, k=int(flips[i]) % 4)
        out[i] = crop[:, ::-1] if flips[i] >= 4 else crop
    return torch.from_numpy(out).float().div_(255.0).unsqueeze(1)  # (n, 1, P, P)
