"""Where an image set comes from: uploads, folders, zips, dataset splits, generators, corrupted copies.

Every file from outside goes through :func:`models.imageio.decode_uploads`, which never raises: bad
files become one message each and the good images are still used.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import torch

from ..imageio import decode_uploads
from .corruptions import LABELS as CORRUPTION_LABELS
from .corruptions import corrupt
from .extractors import Images

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif", ".pgm", ".ppm"}


@dataclass
class ImageSet:
    """A set of images to compare.

    Attributes:
        images: (N, C, H, W) tensor in [0, 1], or a list of (H, W, C) float32 arrays (uploads).
        problems: one message per file that could not be used.
        notes: what was done to the images (resized, converted...), summarised.
        seconds: time spent generating them (generators only).
    """

    label: str
    images: Images
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float | None = None

    def __len__(self) -> int:
        return int(self.images.shape[0]) if isinstance(self.images, torch.Tensor) else len(self.images)

    def preview(self, k: int = 8) -> list[np.ndarray]:
        """The first k images as (H, W) grayscale or (H, W, 3) colour arrays, for display."""
        out = []
        for i in range(min(k, len(self))):
            a = self.images[i].permute(1, 2, 0).numpy() if isinstance(self.images, torch.Tensor) else self.images[i]
            out.append(a[..., 0] if a.shape[-1] == 1 else a)
        return out

    def as_tensor(self) -> torch.Tensor:
        """(N, C, H, W); raises ValueError when the images differ in size or channels."""
        if isinstance(self.images, torch.Tensor):
            return self.images
        shapes = {a.shape for a in self.images}
        if len(shapes) != 1:
            raise ValueError(f"{self.label}: the images have {len(shapes)} different shapes; this needs one size.")
        return torch.from_numpy(np.stack(self.images)).permute(0, 3, 1, 2).contiguous()


def _summarise(images) -> list[str]:
    notes = Counter(n for d in images for n in d.notes)
    out = [f"{k} ({v} image{'s' if v > 1 else ''})" for k, v in notes.items()]
    sizes = Counter(d.size for d in images)
    if len(sizes) > 1:
        out.append("mixed sizes: " + ", ".join(f"{w}x{h} ({c})" for (w, h), c in sizes.most_common(5))
                   + "; each extractor resizes to its input size (raw pixels need one size)")
    chans = Counter(d.array.shape[-1] for d in images)
    if len(chans) > 1:
        out.append(f"mixed grayscale ({chans.get(1, 0)}) and colour ({chans.get(3, 0)}) images")
    return out


def from_uploads(files: list[tuple[str, bytes]], label: str = "Uploaded images") -> ImageSet:
    """Decode uploaded images and zips; bad files become problems, good ones are kept."""
    decoded, problems = decode_uploads(files)
    return ImageSet(label, [d.array for d in decoded], problems, _summarise(decoded))


def from_dataset(name: str, split: str, n: int, seed: int = 0) -> ImageSet:
    """A random subset of n images of a dataset split (all of it when n >= its size)."""
    from ..data import LABELS, load_images

    data = load_images(name, split)
    gen = torch.Generator().manual_seed(int(seed))
    idx = torch.randperm(len(data), generator=gen)[:n]
    notes = [data.note] if data.note else []
    return ImageSet(f"{LABELS.get(name, name)}, {split} split", data.x[idx], [], notes)


def from_generator(key: str, dataset: str, n: int, seed: int = 0, on_progress=None) -> ImageSet:
    """n images from one of the app's generators (see :mod:`models.fid.generators`).

    ``on_progress(done, total)``: see :func:`models.fid.generators.generate`.
    """
    from .generators import generate

    out = generate(key, dataset, n, seed, on_progress)
    return ImageSet(out.spec.label, out.x0, [], [], out.seconds)


def corrupted(base: ImageSet, kind: str, level: float, seed: int = 0) -> ImageSet:
    """A corrupted copy of an image set (all images one size)."""
    x = corrupt(base.as_tensor(), kind, level, seed)
    return ImageSet(f"{base.label}, {CORRUPTION_LABELS[kind].lower()} at level {level:g}", x,
                    list(base.problems), list(base.notes))


def path_kind(path: str | Path) -> str:
    """``"npz"``, ``"zip"`` or ``"folder"``; raises ValueError for anything else."""
    p = Path(path)
    if p.is_dir():
        return "folder"
    if not p.is_file():
        raise ValueError(f"{p}: no such file or folder.")
    if p.suffix.lower() == ".npz":
        return "npz"
    if p.suffix.lower() == ".zip":
        return "zip"
    raise ValueError(f"{p}: expected a folder of images, a .zip of images or an .npz of statistics.")


def iter_path(path: str | Path, chunk: int = 256) -> Iterator[tuple[list[np.ndarray], list[str], list[str]]]:
    """Decode a folder (recursively, sorted) or a zip in chunks: yields (arrays, problems, notes)."""
    p = Path(path)
    if path_kind(p) == "zip":
        decoded, problems = decode_uploads([(p.name, p.read_bytes())])
        yield [d.array for d in decoded], problems, _summarise(decoded)
        return
    files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES
                   and not any(part.startswith(".") for part in f.relative_to(p).parts))
    if not files:
        raise ValueError(f"{p}: no image files (by extension: {', '.join(sorted(IMAGE_SUFFIXES))}).")
    for i in range(0, len(files), chunk):
        batch = [(str(f.relative_to(p)), f.read_bytes()) for f in files[i:i + chunk]]
        decoded, problems = decode_uploads(batch, max_files=len(batch))
        yield [d.array for d in decoded], problems, _summarise(decoded)
