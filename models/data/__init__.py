"""Datasets: images (digits, MNIST, Fashion-MNIST) and synthetic point clouds.

The names and paths load at once; the loaders (which need PyTorch, a few seconds to import) load on first
use, so the app's home page and sidebar can draw before PyTorch is in memory.
"""

import importlib

from .errors import DatasetUnavailable
from .names import IMAGE_DATASETS, LABELS
from .paths import cache_dir, data_dir, download_allowed, pretrained_dir

_LAZY = {
    **dict.fromkeys(("ImageData", "download", "load_images", "needs_download"), ".images"),
    **dict.fromkeys(("TOYS_2D", "Toy2D", "grid25", "homl_3d", "ring8", "s_curve", "swiss_roll"), ".synthetic"),
}

__all__ = [
    "DatasetUnavailable", "IMAGE_DATASETS", "LABELS", "ImageData", "download", "load_images", "needs_download",
    "cache_dir", "data_dir", "download_allowed", "pretrained_dir",
    "TOYS_2D", "Toy2D", "grid25", "homl_3d", "ring8", "s_curve", "swiss_roll",
]


def __getattr__(name: str):
    """PEP 562: import the submodule that defines ``name`` the first time someone asks for it."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
