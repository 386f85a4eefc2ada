"""Sample photos for the page: scikit-learn's two bundled colour photos and held-out Train400 photos."""

from __future__ import annotations

import functools

import numpy as np

from ..data.errors import DatasetUnavailable
from .config import DNCNN_CONFIG

HELDOUT_PREFIX = "Train400 held out: "


@functools.lru_cache(maxsize=1)
def _sklearn_photos() -> dict[str, np.ndarray]:
    from sklearn.datasets import load_sample_images

    bunch = load_sample_images()
    return {str(f).replace("\\", "/").rsplit("/", 1)[-1]: img for f, img in zip(bunch.filenames, bunch.images)}


def _heldout() -> dict[str, np.ndarray]:
    from .patches import load_train400, split_indices

    try:
        names, images = load_train400()
    except DatasetUnavailable:
        return {}
    _, held = split_indices(len(images), DNCNN_CONFIG.holdout_every)
    return {HELDOUT_PREFIX + names[i]: images[i] for i in held[:5]}


def photo_names() -> list[str]:
    """Names of the sample photos: up to 5 held-out Train400 photos (small, fast) when present, then the colour ones."""
    return list(_heldout()) + list(_sklearn_photos())


def photo(name: str) -> np.ndarray:
    """A sample photo as (H, W, C) float32 in [0, 1] (C = 3 colour, 1 grayscale)."""
    photos = _sklearn_photos()
    if name in photos:
        return photos[name].astype(np.float32) / 255.0
    held = _heldout()
    if name in held:
        return held[name].astype(np.float32)[..., None] / 255.0
    raise KeyError(f"No sample photo called {name!r}; choose one of {', '.join(photo_names())}.")
