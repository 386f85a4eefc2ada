"""Sample photos: held-out Train400 photos, and classic test photos bundled with scikit-image and scikit-learn
(always there, offline). The photo denoiser never trained on any of them."""

from __future__ import annotations

import functools

import numpy as np

from ..data.errors import DatasetUnavailable
from .config import DNCNN_CONFIG

HELDOUT_PREFIX = "Train400 held out: "


# scikit-image's natural photos (``skimage.data``): the cameraman is gray, the others colour.
SKIMAGE_PHOTOS = ("camera", "astronaut", "chelsea", "coffee", "rocket", "motorcycle")


def _skimage_photo(name: str) -> np.ndarray:
    from skimage import data

    return data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(data, name)()


@functools.lru_cache(maxsize=1)
def bundled_photos() -> dict[str, np.ndarray]:
    """{name: uint8 (H, W) or (H, W, 3)}: scikit-image's six photos, then scikit-learn's two."""
    from sklearn.datasets import load_sample_images

    photos = {f"{name} (scikit-image)": _skimage_photo(name) for name in SKIMAGE_PHOTOS}
    bunch = load_sample_images()
    photos.update({str(f).replace("\\", "/").rsplit("/", 1)[-1]: img for f, img in zip(bunch.filenames, bunch.images)})
    return photos


def _heldout() -> dict[str, np.ndarray]:
    from .patches import load_train400, split_indices

    try:
        names, images = load_train400()
    except DatasetUnavailable:
        return {}
    _, held = split_indices(len(images), DNCNN_CONFIG.holdout_every)
    return {HELDOUT_PREFIX + names[i]: images[i] for i in held[:5]}


def photo_names() -> list[str]:
    """Names of the sample photos: up to 5 held-out Train400 photos (small, fast) when present, then the bundled ones."""
    return list(_heldout()) + list(bundled_photos())


def photo(name: str) -> np.ndarray:
    """A sample photo as (H, W, C) float32 in [0, 1] (C = 3 colour, 1 grayscale)."""
    photos = bundled_photos()
    if name in photos:
        img = photos[name].astype(np.float32) / 255.0
        return img if img.ndim == 3 else img[..., None]
    held = _heldout()
    if name in held:
        return held[name].astype(np.float32)[..., None] / 255.0
    raise KeyError(f"No sample photo called {name!r}; choose one of {', '.join(photo_names())}.")
